"""Keep the Qt Linguist sources in resources/translations up to date.

    python tools/translations.py update            # extract the strings (pyside6-lupdate)
    python tools/translations.py fill A.json ...   # take translations from JSON files
    python tools/translations.py check             # list what is untranslated; exit 1 if any

``update`` scans every ``subtitle_studio/**/*.py`` for ``self.tr("…")`` and
``QCoreApplication.translate("Context", "…")`` and rewrites each ``.ts``: translations
already written are kept, strings no longer in the code are dropped, new ones are added
as unfinished. ``fill`` reads ``{"Context": {"English source": "翻译"}}`` files (how the
translations are written outside Qt Linguist) and marks the matching messages finished.
``check`` is what the test suite runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import PySide6

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "subtitle_studio"
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("zh_CN",)


def ts_files() -> list[Path]:
    return [TRANSLATIONS / f"subtitle_studio_{code}.ts" for code in LANGUAGES]


def qt_tool(name: str) -> str:
    """A Qt tool shipped in the PySide6 wheel (``lupdate``, ``lrelease``)."""
    folder = Path(PySide6.__file__).resolve().parent
    for candidate in (folder / f"{name}.exe", folder / name):
        if candidate.is_file():
            return str(candidate)
    sys.exit(f"{name} is not in {folder}; reinstall PySide6")


def update() -> int:
    """Extract the strings from the code into every .ts (keeping what is translated)."""
    sources = sorted(str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py"))
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    for code, ts in zip(LANGUAGES, ts_files(), strict=True):
        command = [
            qt_tool("lupdate"),
            *sources,
            "-no-obsolete",
            "-locations",
            "none",
            "-source-language",
            "en",
            "-target-language",
            code,
            "-ts",
            str(ts.relative_to(ROOT)),
        ]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        print((result.stdout + result.stderr).strip())
        if result.returncode != 0:
            return result.returncode
    return 0


def _messages(root: ET.Element):
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            yield name, message


def _write(root: ET.Element, ts: Path) -> None:
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode")
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )


def fill(files: list[Path]) -> int:
    """Copy translations from JSON files into the .ts; report entries that match nothing.

    Runs ``update`` before (so every string in the code is there to be filled) and after
    (so the file is written in lupdate's own layout and diffs stay small).
    """
    if update() != 0:
        return 1
    wanted: dict[tuple[str, str], str] = {}
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8"))
        for context, entries in data.items():
            for source, translation in entries.items():
                wanted[(context, source)] = translation
    for ts in ts_files():
        root = ET.parse(ts).getroot()
        used = set()
        filled = 0
        for context, message in _messages(root):
            key = (context, message.findtext("source") or "")
            if key not in wanted or not wanted[key].strip():
                continue
            translation = message.find("translation")
            if translation is None:
                translation = ET.SubElement(message, "translation")
            if translation.get("type") in ("vanished", "obsolete"):
                continue
            translation.text = wanted[key]
            translation.attrib.pop("type", None)
            used.add(key)
            filled += 1
        _write(root, ts)
        print(f"{ts.name}: {filled} translations filled")
        for context, source in sorted(set(wanted) - used):
            print(f"  not in the code: [{context}] {source!r}")
    return update()


def unfinished(ts: Path) -> list[tuple[str, str]]:
    """(context, source) of every message without a finished translation."""
    missing = []
    for context, message in _messages(ET.parse(ts).getroot()):
        translation = message.find("translation")
        kind = translation.get("type") if translation is not None else "unfinished"
        if kind in ("vanished", "obsolete"):
            continue
        text = "".join(translation.itertext()) if translation is not None else ""
        if kind == "unfinished" or not text.strip():
            missing.append((context, message.findtext("source") or ""))
    return missing


def check() -> int:
    """Print every unfinished message; non-zero exit when there is one."""
    total = 0
    for ts in ts_files():
        if not ts.is_file():
            print(f"{ts} is missing")
            return 1
        missing = unfinished(ts)
        for context, source in missing:
            print(f"{ts.name}: [{context}] {source!r}")
        total += len(missing)
    print(f"{total} unfinished translation(s)")
    return 1 if total else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update", help="extract the strings from the code")
    fill_parser = commands.add_parser("fill", help="take translations from JSON files")
    fill_parser.add_argument("files", nargs="+", type=Path)
    commands.add_parser("check", help="list untranslated strings")
    args = parser.parse_args(argv)
    if args.command == "update":
        return update()
    if args.command == "fill":
        return fill(args.files)
    return check()


if __name__ == "__main__":
    sys.exit(main())
