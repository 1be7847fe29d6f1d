"""Application preferences in ``settings.json`` in the config folder (``paths.config_dir``).

What is kept: the default settings for new jobs, whether the window runs the local
HTTP endpoint, how model downloads reach the network (mirror and proxy), the window's
language and theme, and whether the first-run note was read.

The file is one JSON object of sections. ``schema`` is the file's own version (a file
without it is schema 1: it lived in the home folder, beside ``jobs/`` and ``models/``,
and is moved to the config folder the first time it is read); ``version`` is the
version of the job settings in ``job_defaults``. A later schema may add sections and
keys; a section whose meaning changes gets a new name. That is what lets this version
work with a file from a newer one: it reads the sections it knows, and when it saves
one, every key it does not know (other sections, new keys inside its own) and the
newer schema number stay as they were.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from subtitle_studio.core import paths
from subtitle_studio.core.atomic import read_json, write_json_atomic
from subtitle_studio.core.settings import SETTINGS_VERSION, JobSettings, setting_names
from subtitle_studio.errors import SettingsError, StorageError, StudioError

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"
#: The schema of the settings file this version writes (1: the file before ``schema``).
SCHEMA_VERSION = 2
#: What an old settings file in the home folder is renamed to once it has been moved.
MIGRATED_SUFFIX = ".migrated"
#: The window's language: "system" follows the operating system's.
UI_LANGUAGES = ("system", "en", "zh_CN")
#: The window's colours: "system" follows the desktop's light or dark setting.
THEMES = ("system", "light", "dark")
#: The endpoint's port unless the user chooses another (0: any free port).
DEFAULT_ENDPOINT_PORT = 8765


@dataclass(frozen=True)
class EndpointPreference:
    """The window's HTTP endpoint: off unless the user turns it on."""

    enabled: bool = False
    port: int = DEFAULT_ENDPOINT_PORT


PROXY_MODES = ("system", "none", "manual")


@dataclass(frozen=True)
class NetworkPreference:
    """How model downloads reach the Hub.

    ``hub_endpoint`` empty means ``$HF_ENDPOINT`` or huggingface.co. ``proxy_mode``:
    ``system`` uses the operating system's proxy settings (environment variables on
    Linux, the registry on Windows, System Settings on macOS); ``none`` connects
    directly; ``manual`` uses ``proxy_url`` for both http and https.
    """

    hub_endpoint: str = ""
    proxy_mode: str = "system"
    proxy_url: str = ""

    def problems(self) -> list[str]:
        out = []
        if self.hub_endpoint and not self.hub_endpoint.startswith(("http://", "https://")):
            out.append("the mirror address must start with http:// or https://")
        if self.proxy_mode not in PROXY_MODES:
            out.append(f"the proxy mode must be one of {', '.join(PROXY_MODES)}")
        if self.proxy_mode == "manual" and "://" not in self.proxy_url:
            out.append("a manual proxy needs an address like http://proxy.example:3128")
        return out


def settings_path(home: Path | None = None) -> Path:
    """The settings file of ``home`` (the platform's home folder when ``None``)."""
    return paths.config_dir(home) / SETTINGS_FILE


def legacy_settings_path(home: Path | None = None) -> Path:
    """Where schema 1 kept the settings: the home folder itself."""
    return (home or paths.home_dir()) / SETTINGS_FILE


def load_defaults(home: Path | None = None) -> JobSettings:
    """The saved defaults; built-in defaults when none are saved or they are unusable
    (a broken preferences file must never stop the application from starting).

    Settings this version does not know (saved by a newer one) are left out."""
    section = _load(home).get("job_defaults")
    if section is None:
        return JobSettings()
    try:
        known = {k: v for k, v in section.items() if k in setting_names()}
        if len(known) < len(section):
            log.info("ignoring unknown default settings: %s", sorted(set(section) - set(known)))
        return JobSettings.from_dict(known)
    except (AttributeError, ValueError, TypeError, StudioError) as exc:
        log.warning("ignoring unusable default settings in %s: %s", settings_path(home), exc)
        return JobSettings()


def save_defaults(settings: JobSettings, home: Path | None = None) -> None:
    _save("job_defaults", settings.to_dict(), home)


def load_endpoint(home: Path | None = None) -> EndpointPreference:
    section = _load(home).get("endpoint")
    if not isinstance(section, dict):
        return EndpointPreference()
    enabled, port = section.get("enabled"), section.get("port")
    if not isinstance(enabled, bool) or not isinstance(port, int) or not 0 <= port < 65536:
        log.warning("ignoring an unusable endpoint preference: %r", section)
        return EndpointPreference()
    return EndpointPreference(enabled, port)


def save_endpoint(preference: EndpointPreference, home: Path | None = None) -> None:
    _save("endpoint", {"enabled": preference.enabled, "port": preference.port}, home)


def load_network(home: Path | None = None) -> NetworkPreference:
    section = _load(home).get("network")
    if not isinstance(section, dict):
        return NetworkPreference()
    try:
        preference = NetworkPreference(
            str(section.get("hub_endpoint", "")),
            str(section.get("proxy_mode", "system")),
            str(section.get("proxy_url", "")),
        )
    except (TypeError, ValueError):
        preference = NetworkPreference(proxy_mode="?")
    if preference.problems():
        log.warning("ignoring an unusable network preference: %r", section)
        return NetworkPreference()
    return preference


def save_network(preference: NetworkPreference, home: Path | None = None) -> None:
    problems = preference.problems()
    if problems:
        raise SettingsError("{problems}.", problems="; ".join(problems).capitalize())
    _save(
        "network",
        {
            "hub_endpoint": preference.hub_endpoint,
            "proxy_mode": preference.proxy_mode,
            "proxy_url": preference.proxy_url,
        },
        home,
    )


def load_ui_language(home: Path | None = None) -> str:
    """The window's language: "system" (the default), "en" or "zh_CN"."""
    return _choice(home, "language", UI_LANGUAGES)


def save_ui_language(value: str, home: Path | None = None) -> None:
    """Remember the window's language; it applies from the next start."""
    _save("ui", {"language": _checked(value, UI_LANGUAGES)}, home)


def load_theme(home: Path | None = None) -> str:
    """The window's theme: "system" (the default), "light" or "dark"."""
    return _choice(home, "theme", THEMES)


def save_theme(value: str, home: Path | None = None) -> None:
    _save("ui", {"theme": _checked(value, THEMES)}, home)


def first_run_done(home: Path | None = None) -> bool:
    """Whether the first-run note was shown and dismissed (then it is not shown again)."""
    section = _load(home).get("ui")
    return isinstance(section, dict) and section.get("first_run_done") is True


def mark_first_run_done(home: Path | None = None) -> None:
    _save("ui", {"first_run_done": True}, home)


def _choice(home: Path | None, key: str, allowed: tuple[str, ...]) -> str:
    section = _load(home).get("ui")
    value = section.get(key, allowed[0]) if isinstance(section, dict) else allowed[0]
    if value not in allowed:
        log.warning("ignoring an unusable %s preference: %r", key, value)
        return allowed[0]
    return str(value)


def _checked(value: str, allowed: tuple[str, ...]) -> str:
    # The window offers only these; anything else is a programming error, not the user's.
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
    return value


_warned_newer: set[Path] = set()


def _load(home: Path | None) -> dict[str, Any]:
    """The whole file as a dict; ``{}`` when there is none or it is unusable."""
    where = _migrate(settings_path(home), legacy_settings_path(home))
    try:
        data = read_json(where)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring unusable %s: %s", where, exc)
        return {}
    if not isinstance(data, dict):
        log.warning("ignoring unusable %s: not a JSON object", where)
        return {}
    schema = _schema(data)
    if schema > SCHEMA_VERSION and where not in _warned_newer:
        _warned_newer.add(where)
        log.warning(
            "%s was written by a newer Subtitle Studio (settings schema %d; this version "
            "knows %d): using the settings this version understands and keeping the rest",
            where,
            schema,
            SCHEMA_VERSION,
        )
    return data


def _schema(data: dict[str, Any]) -> int:
    schema = data.get("schema", 1)
    if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
        log.warning("ignoring an unusable settings schema %r", schema)
        return 1
    return schema


def _migrate(path: Path, legacy: Path) -> Path:
    """Move a schema 1 file from the home folder to ``path``; returns the file to read.

    The old file is renamed ``settings.json.migrated`` (not deleted), so a user going
    back to an older version finds their settings by renaming it. When the new file
    cannot be written, the old one is read where it is and the move is tried again at
    the next start."""
    if path == legacy or path.exists() or not legacy.is_file():
        return path
    try:
        data = read_json(legacy)
    except (OSError, ValueError) as exc:
        log.warning("not moving the unusable settings file %s: %s", legacy, exc)
        return path
    if not isinstance(data, dict):
        log.warning("not moving the unusable settings file %s: not a JSON object", legacy)
        return path
    data["schema"] = max(_schema(data), SCHEMA_VERSION)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(path, data)
    except (OSError, StorageError) as exc:
        log.warning("cannot move the settings from %s to %s: %s", legacy, path, exc)
        return legacy
    kept = legacy.with_name(legacy.name + MIGRATED_SUFFIX)
    try:
        legacy.replace(kept)
    except OSError as exc:
        log.warning("moved the settings to %s but cannot rename %s: %s", path, legacy, exc)
        kept = legacy
    log.info("moved the settings from %s to %s (the old file is kept as %s)", legacy, path, kept)
    return path


def _save(key: str, value: Any, home: Path | None) -> None:
    """Replace one section, keeping the others; inside a section, keys this version does
    not know (a newer version's) are kept too, as is a newer schema number."""
    path = settings_path(home)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError.from_oserror(exc, path.parent) from exc
    data = _load(home)
    previous = data.get(key)
    if isinstance(value, dict) and isinstance(previous, dict):
        value = {**previous, **value}
    data.update(
        {"schema": max(_schema(data), SCHEMA_VERSION), "version": SETTINGS_VERSION, key: value}
    )
    write_json_atomic(path, data)
