"""When the frozen build of a session may reuse an earlier one: when nothing it holds changed."""

from __future__ import annotations

import importlib.util
import json
import os
import time
from pathlib import Path

import pytest

from tests.delivery import conftest as build


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small checkout with one earlier build in build/frozen, started after every source."""
    repo = tmp_path / "repo"
    (repo / "subtitle_studio").mkdir(parents=True)
    (repo / "resources" / "icons").mkdir(parents=True)
    (repo / "subtitle_studio" / "app.py").write_text("x = 1\n", "utf-8")
    (repo / "resources" / "icons" / "app.svg").write_text("<svg/>", "utf-8")
    (repo / "subtitle-studio.spec").write_text("# spec\n", "utf-8")
    monkeypatch.setattr(build, "REPO", repo)
    monkeypatch.setattr(
        build,
        "SOURCES",
        (repo / "subtitle-studio.spec", repo / "subtitle_studio", repo / "resources"),
    )
    monkeypatch.setattr(build, "STAMP", repo / "build" / "frozen" / "stamp.json")
    dist = repo / "build" / "frozen" / "dist" / build.APP_NAME
    dist.mkdir(parents=True)
    (dist / build.EXE_NAME).write_text("", "utf-8")
    past = time.time() - 60
    for path in build.source_files():
        os.utime(path, (past, past))
    stamp = {
        "started": time.time() - 30,
        "fingerprint": "libraries",
        "dist": str(dist),
        "sources": build.sources_listing(),
    }
    build.STAMP.write_text(json.dumps(stamp), "utf-8")
    return dist


def test_an_unchanged_build_is_reused(checkout: Path) -> None:
    assert build.reusable_build(checkout, "libraries")


def test_a_source_edited_after_the_build_started_builds_again(checkout: Path) -> None:
    build.REPO.joinpath("subtitle_studio", "app.py").write_text("x = 2\n", "utf-8")
    assert not build.reusable_build(checkout, "libraries")


def test_a_new_or_removed_file_builds_again(checkout: Path) -> None:
    added = build.REPO / "resources" / "icons" / "new.svg"
    added.write_text("<svg/>", "utf-8")
    past = time.time() - 60
    os.utime(added, (past, past))  # even with an old time stamp (a copied file)
    assert not build.reusable_build(checkout, "libraries")
    added.unlink()
    assert build.reusable_build(checkout, "libraries")
    (build.REPO / "resources" / "icons" / "app.svg").unlink()
    assert not build.reusable_build(checkout, "libraries")


def test_other_installed_libraries_build_again(checkout: Path) -> None:
    assert not build.reusable_build(checkout, "other libraries")


def test_a_missing_executable_or_stamp_builds_again(checkout: Path) -> None:
    build.STAMP.unlink()
    assert not build.reusable_build(checkout, "libraries")


def test_the_fingerprint_follows_the_installed_distributions() -> None:
    assert build.environment_fingerprint() == build.environment_fingerprint()
    assert len(build.environment_fingerprint()) == 64


def test_without_pyinstaller_the_build_fails_rather_than_skips(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == "PyInstaller" else real_find_spec(name, *args),
    )
    with pytest.raises(pytest.fail.Exception, match="PyInstaller is not installed"):
        build.require_pyinstaller()
    monkeypatch.undo()
    build.require_pyinstaller()  # installed here, as in CI
