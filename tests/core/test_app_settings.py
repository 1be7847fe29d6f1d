"""Application preferences: where the file lives, its schema, moving an old file, and
every preference read back as saved."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import platformdirs
import pytest

from subtitle_studio.core import app_settings, paths
from subtitle_studio.core.app_settings import (
    SCHEMA_VERSION,
    THEMES,
    UI_LANGUAGES,
    EndpointPreference,
    NetworkPreference,
    first_run_done,
    legacy_settings_path,
    load_defaults,
    load_endpoint,
    load_network,
    load_theme,
    load_ui_language,
    mark_first_run_done,
    save_defaults,
    save_endpoint,
    save_network,
    save_theme,
    save_ui_language,
    settings_path,
)
from subtitle_studio.core.settings import JobSettings


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def platform_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """No ``$SUBTITLE_STUDIO_HOME``; platformdirs answers with folders of the test's."""
    data, config = tmp_path / "platform-data", tmp_path / "platform-config"
    monkeypatch.delenv(paths.HOME_ENV, raising=False)
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(data))
    monkeypatch.setattr(platformdirs, "user_config_dir", lambda *a, **k: str(config))
    return data, config


# -- where -------------------------------------------------------------------------


def test_settings_live_in_the_platform_config_folder(platform_dirs: tuple[Path, Path]) -> None:
    data, config = platform_dirs
    assert paths.home_dir() == data
    assert settings_path() == config / "settings.json"
    # The window passes the store's home, which is the platform's: still the config folder.
    assert settings_path(paths.home_dir()) == config / "settings.json"
    save_theme("dark")
    assert (config / "settings.json").is_file()
    assert not (data / "settings.json").exists()
    assert load_theme() == load_theme(data) == "dark"


def test_an_overridden_home_keeps_its_settings_inside(
    studio_home: Path, platform_dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.HOME_ENV, str(studio_home))
    assert settings_path() == studio_home / "config" / "settings.json"
    save_ui_language("zh_CN")
    assert (studio_home / "config" / "settings.json").is_file()
    assert not platform_dirs[1].exists(), "a test must never touch the user's settings"


def test_a_home_passed_in_keeps_its_settings_inside(tmp_path: Path) -> None:
    other = tmp_path / "portable"
    save_defaults(JobSettings(model="small"), other)
    assert read(other / "config" / "settings.json")["job_defaults"]["model"] == "small"
    assert load_defaults() == JobSettings(), "the test's own home is a different one"


def test_the_same_folder_for_data_and_config_needs_no_move(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows and macOS: platformdirs gives one folder for both."""
    both = tmp_path / "AppData"
    monkeypatch.delenv(paths.HOME_ENV, raising=False)
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(both))
    monkeypatch.setattr(platformdirs, "user_config_dir", lambda *a, **k: str(both))
    assert settings_path() == legacy_settings_path() == both / "settings.json"
    both.mkdir()
    (both / "settings.json").write_text('{"endpoint": {"enabled": true, "port": 9000}}')
    assert load_endpoint() == EndpointPreference(True, 9000)
    save_theme("light")
    assert read(both / "settings.json")["schema"] == SCHEMA_VERSION
    assert not (both / "settings.json.migrated").exists()


# -- schema and migration ----------------------------------------------------------


def test_a_saved_file_carries_the_schema(studio_home: Path) -> None:
    save_endpoint(EndpointPreference(True, 9000))
    data = read(settings_path())
    assert data["schema"] == SCHEMA_VERSION == 2
    assert data["version"] == 1, "the job settings' own version is kept beside it"


def test_an_old_file_is_moved_to_the_config_folder(
    studio_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    studio_home.mkdir()
    old = studio_home / "settings.json"
    old.write_text(
        json.dumps(
            {
                "version": 1,
                "job_defaults": JobSettings(model="base.en").to_dict(),
                "endpoint": {"enabled": True, "port": 9100},
                "network": {"hub_endpoint": "https://mirror.example", "proxy_mode": "none"},
            }
        )
    )
    with caplog.at_level(logging.INFO, logger=app_settings.__name__):
        assert load_defaults() == JobSettings(model="base.en")
    assert "moved the settings" in caplog.text and str(settings_path()) in caplog.text
    assert not old.exists()
    assert (studio_home / "settings.json.migrated").is_file(), "kept for going back"
    moved = read(settings_path())
    assert moved["schema"] == SCHEMA_VERSION
    assert load_endpoint() == EndpointPreference(True, 9100)
    assert load_network() == NetworkPreference("https://mirror.example", "none", "")

    # Once moved, an old file that reappears (an older version ran) is not read again.
    old.write_text(json.dumps({"endpoint": {"enabled": False, "port": 1}}))
    assert load_endpoint() == EndpointPreference(True, 9100)


def test_an_unusable_old_file_is_left_where_it_is(studio_home: Path) -> None:
    studio_home.mkdir()
    old = studio_home / "settings.json"
    old.write_text("{not json")
    assert load_theme() == "system"
    assert old.read_text() == "{not json"
    save_theme("dark")
    assert load_theme() == "dark"


def test_a_newer_file_is_read_and_its_unknown_keys_kept(
    studio_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    newer = {
        "schema": SCHEMA_VERSION + 1,
        "version": 2,
        "job_defaults": {**JobSettings(model="small").to_dict(), "diarize": True},
        "endpoint": {"enabled": True, "port": 9200, "token": "abc"},
        "ui": {"language": "zh_CN", "theme": "dark", "font_size": 12},
        "shortcuts": {"split": "Ctrl+K"},
    }
    where = settings_path()
    where.parent.mkdir(parents=True)
    where.write_text(json.dumps(newer))

    with caplog.at_level(logging.WARNING, logger=app_settings.__name__):
        assert load_defaults() == JobSettings(model="small"), "the settings it knows"
    assert "newer Subtitle Studio" in caplog.text
    assert load_endpoint() == EndpointPreference(True, 9200)
    assert (load_ui_language(), load_theme()) == ("zh_CN", "dark")

    save_endpoint(EndpointPreference(False, 9200))
    save_theme("light")
    save_defaults(JobSettings(model="tiny.en"))
    data = read(where)
    assert data["schema"] == SCHEMA_VERSION + 1, "not downgraded"
    assert data["shortcuts"] == {"split": "Ctrl+K"}
    assert data["endpoint"] == {"enabled": False, "port": 9200, "token": "abc"}
    assert data["ui"] == {"language": "zh_CN", "theme": "light", "font_size": 12}
    assert data["job_defaults"]["diarize"] is True
    assert data["job_defaults"]["model"] == "tiny.en"


@pytest.mark.parametrize("text", ["[1, 2]", "{broken", '{"schema": "two", "ui": 5}'])
def test_an_unusable_file_gives_the_defaults(studio_home: Path, text: str) -> None:
    where = settings_path()
    where.parent.mkdir(parents=True)
    where.write_text(text)
    assert load_defaults() == JobSettings()
    assert (load_ui_language(), load_theme(), first_run_done()) == ("system", "system", False)
    save_ui_language("en")
    assert load_ui_language() == "en"
    assert read(where)["schema"] == SCHEMA_VERSION


# -- round trips -------------------------------------------------------------------


def test_language_and_theme_default_to_the_system(studio_home: Path) -> None:
    assert load_ui_language() == "system" and load_theme() == "system"
    assert not settings_path().exists(), "reading creates nothing"


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_language_round_trips(language: str) -> None:
    save_ui_language(language)
    assert load_ui_language() == language


@pytest.mark.parametrize("theme", THEMES)
def test_theme_round_trips(theme: str) -> None:
    save_theme(theme)
    assert load_theme() == theme


def test_an_unknown_value_is_refused_on_save_and_ignored_on_load() -> None:
    with pytest.raises(ValueError, match="is not one of"):
        save_ui_language("klingon")
    with pytest.raises(ValueError, match="is not one of"):
        save_theme("purple")
    where = settings_path()
    where.parent.mkdir(parents=True)
    where.write_text(json.dumps({"ui": {"language": "fr", "theme": 3}}))
    assert load_ui_language() == "system" and load_theme() == "system"


def test_first_run_is_marked_once_and_kept_beside_other_choices() -> None:
    assert not first_run_done()
    save_ui_language("zh_CN")
    assert not first_run_done()
    mark_first_run_done()
    assert first_run_done()
    save_theme("dark")
    assert first_run_done() and load_ui_language() == "zh_CN" and load_theme() == "dark"


def test_sections_are_saved_without_losing_each_other() -> None:
    save_defaults(JobSettings(model="small", language="de"))
    save_endpoint(EndpointPreference(True, 9300))
    save_network(NetworkPreference("https://mirror.example", "manual", "http://p.example:3128"))
    save_ui_language("en")
    save_theme("dark")
    mark_first_run_done()
    assert load_defaults() == JobSettings(model="small", language="de")
    assert load_endpoint() == EndpointPreference(True, 9300)
    assert load_network() == NetworkPreference(
        "https://mirror.example", "manual", "http://p.example:3128"
    )
    assert (load_ui_language(), load_theme(), first_run_done()) == ("en", "dark", True)
