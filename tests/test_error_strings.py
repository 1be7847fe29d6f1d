"""The error messages reach Qt Linguist: ``gui/error_strings.py`` lists every template the
core, engines and window raise, it is current with the sources, and lupdate extracts it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from xml.etree import ElementTree

import pytest

from tests.support.tools import load_tool

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "subtitle_studio" / "gui" / "error_strings.py"


def _tool() -> ModuleType:
    return load_tool("error_strings")


def test_the_generated_module_is_current_with_the_sources() -> None:
    tool = _tool()
    assert GENERATED.read_text(encoding="utf-8") == tool.render(), (
        "subtitle_studio/gui/error_strings.py is out of date: run python tools/error_strings.py"
    )


def test_every_raise_site_in_core_and_engines_is_a_translatable_template() -> None:
    assert _tool().problems() == []


def test_the_tool_finds_the_templates_it_should() -> None:
    tool = _tool()
    templates = tool.templates()
    assert len(templates) > 140  # 165 when written; far fewer means the scan broke
    assert "{name} has no audio track, so there is nothing to transcribe." in templates
    # errors.py's own messages (StorageError.from_oserror builds them with cls(...))
    assert "Permission denied: could not write {where}." in templates
    # a message the window raises itself, and a label marked translatable() in the core
    assert "Select one subtitle to split." in templates
    assert "Stopped in phase: {phase} at {percent} %" in templates


def test_the_tool_refuses_what_it_could_not_translate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tool = _tool()
    package = tmp_path / "subtitle_studio"
    (package / "core").mkdir(parents=True)
    (package / "errors.py").write_text(
        (ROOT / "subtitle_studio" / "errors.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (package / "core" / "bad.py").write_text(
        "from subtitle_studio.errors import EditError, MediaError\n"
        "def f(name, n):\n"
        "    raise MediaError(f'{name} is bad')\n"
        "def g(name):\n"
        "    raise MediaError('{name} is bad', nam=name)\n"
        "def h():\n"
        "    raise EditError('Row {number} is bad')\n"
        "def i(n):\n"
        "    raise EditError('Row ' + str(n))\n"
        "def ok(name):\n"
        "    raise MediaError('{name} is fine', name=name)\n"
        "from subtitle_studio.errors import translatable\n"
        "LABEL = translatable('Label: {x}')\n"
        "BAD = translatable(LABEL)\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    monkeypatch.setattr(tool, "PACKAGE", package)
    monkeypatch.setattr(tool, "OUTPUT", package / "gui" / "error_strings.py")
    found = tool.problems()
    assert [p.split(":")[1] for p in found] == ["3", "5", "7", "9", "14"], found
    assert {"{name} is fine", "Label: {x}"} <= set(tool.templates())


def test_lupdate_extracts_every_template(tmp_path: Path) -> None:
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    assert lupdate.is_file(), f"{lupdate} is missing: install PySide6 (it ships lupdate)"
    ts = tmp_path / "errors.ts"
    done = subprocess.run(
        [str(lupdate), str(GENERATED), "-ts", str(ts)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr + done.stdout
    sources = [
        m.findtext("source")
        for c in ElementTree.parse(ts).getroot().iter("context")
        if c.findtext("name") == "Errors"
        for m in c.iter("message")
    ]
    templates = _tool().templates()
    assert sorted(sources) == templates
    assert not re.search(r"Found 0 source", done.stdout)
