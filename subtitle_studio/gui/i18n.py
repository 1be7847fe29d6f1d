"""The window's language: English (the source strings) or Simplified Chinese.

The translations are written as Qt Linguist sources, ``resources/translations/*.ts``
(``tools/translations.py`` extracts and checks them); Qt loads only their compiled
form, ``.qm``, which is a build output and never committed. Where the ``.qm`` files
come from:

* **Frozen build** (PyInstaller, ``sys.frozen``): the build calls
  :func:`compile_translations` and bundles the result as ``translations/`` in the
  application folder (``sys._MEIPASS``). Nothing is compiled at run time.
* **Source or editable checkout** (``pip install -e .``): setuptools runs no build
  step that could be trusted to compile for an editable install, so the window
  compiles on first use instead, into ``<home>/cache/translations``, and again
  whenever a ``.ts`` is newer than its cached ``.qm`` — editing a translation shows
  up on the next start with no manual step.

``apply_language`` also loads Qt's own translations (``qtbase_zh_CN.qm``, shipped in
PySide6's ``Qt/translations``), so the standard buttons (OK, Cancel, Yes, No…) and the
file dialogs speak the same language as the rest of the window. The number and date
formats are left to the system locale (``QLocale``): the language of the words is a
separate choice from how a user writes 1,5 or 1.5.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from subtitle_studio.core import paths
from subtitle_studio.errors import StudioError

log = logging.getLogger(__name__)

#: The ``.ts`` sources (found beside the package, as the icons are).
TRANSLATIONS_SOURCE = Path(__file__).resolve().parents[2] / "resources" / "translations"
#: File names: ``subtitle_studio_<code>.ts`` / ``.qm``.
CATALOG = "subtitle_studio"
LANGUAGES = ("en", "zh_CN")
#: Qt's own catalogues loaded beside ours, when PySide6 ships them.
QT_CATALOGS = ("qtbase",)

#: The translators installed by the last ``apply_language``, kept alive here (Qt does not
#: own them) and removed again when the language changes.
_installed: list[QTranslator] = []


def effective_language(language: str = "system", locale: QLocale | None = None) -> str:
    """``"en"`` or ``"zh_CN"`` for a setting of ``"system"``, ``"en"`` or ``"zh_CN"``.

    Any Chinese system locale (``zh_CN``, ``zh_TW``, ``zh_HK``…) gets Simplified
    Chinese: for a Traditional Chinese reader it is far closer than English.
    """
    if language in LANGUAGES:
        return language
    if language != "system":
        log.warning("unknown UI language %r; following the system", language)
    name = (locale or QLocale.system()).name()
    return "zh_CN" if name.lower().startswith("zh") else "en"


def apply_language(app: QCoreApplication, language: str = "system") -> str:
    """Install the translators for ``language`` ("system", "en" or "zh_CN").

    Call it before any window is built: widgets take their texts when they are
    created. Returns the language actually in effect, ``"en"`` or ``"zh_CN"``; that is
    ``"en"`` when the Chinese catalogue could not be loaded (the reason is logged —
    the window still works, in English).
    """
    wanted = effective_language(language)
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if wanted == "en":
        return "en"  # the source strings: no translator
    try:
        qm = find_qm(wanted)
    except StudioError as exc:
        log.error("the %s translation is not available: %s", wanted, exc)
        return "en"
    ours = QTranslator(app)
    if not ours.load(str(qm)):
        log.error("could not load the translation %s", qm)
        return "en"
    app.installTranslator(ours)
    _installed.append(ours)
    for catalog in QT_CATALOGS:
        qt_translator = QTranslator(app)
        folders = qt_translation_folders()
        if any(qt_translator.load(f"{catalog}_{wanted}", folder) for folder in folders):
            app.installTranslator(qt_translator)
            _installed.append(qt_translator)
        else:
            log.info("Qt's %s_%s translation is in none of %s", catalog, wanted, folders)
    log.info("UI language: %s (%s)", wanted, qm)
    return wanted


def qt_translation_folders() -> list[str]:
    """Where Qt's own ``.qm`` files may be: Qt's configured folder, then the one inside
    the PySide6 package (where a frozen build keeps them if Qt's paths point elsewhere)."""
    folders = [
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
        str(Path(PySide6.__file__).resolve().parent / "Qt" / "translations"),
    ]
    return list(dict.fromkeys(folders))


def find_qm(language: str) -> Path:
    """The compiled catalogue for ``language``: bundled when frozen, else compiled to the cache."""
    name = f"{CATALOG}_{language}.qm"
    if getattr(sys, "frozen", False):
        bundled = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "translations"
        qm = bundled / name
        if not qm.is_file():
            raise StudioError("The translation {name} is missing from this build.", name=name)
        return qm
    ts = TRANSLATIONS_SOURCE / f"{CATALOG}_{language}.ts"
    if not ts.is_file():
        raise StudioError("The translation source {path} is missing.", path=ts)
    cache = paths.home_dir() / "cache" / "translations"
    qm = cache / name
    if not qm.is_file() or qm.stat().st_mtime < ts.stat().st_mtime:
        compile_translations(cache, [ts])
    return qm


def lrelease_command() -> list[str]:
    """PySide6's ``lrelease`` (shipped in the wheel), as a command line."""
    folder = Path(PySide6.__file__).resolve().parent
    for name in ("lrelease.exe", "lrelease"):
        binary = folder / name
        if binary.is_file():
            return [str(binary)]
    script = shutil.which("pyside6-lrelease")
    if script:
        return [script]
    raise StudioError(
        "Qt's lrelease was not found in PySide6 ({folder}); reinstall PySide6.", folder=folder
    )


def compile_translations(out_dir: Path, sources: list[Path] | None = None) -> list[Path]:
    """Compile every ``.ts`` (default: all in ``resources/translations``) into ``out_dir``.

    Returns the ``.qm`` paths. Raises ``StudioError`` with lrelease's own output when it
    fails or leaves a file out, so a build never ships a silently missing language.
    """
    sources = sorted(TRANSLATIONS_SOURCE.glob("*.ts")) if sources is None else sources
    if not sources:
        raise StudioError("No translation sources in {folder}.", folder=TRANSLATIONS_SOURCE)
    out_dir.mkdir(parents=True, exist_ok=True)
    command = lrelease_command()
    compiled = []
    for ts in sources:
        qm = out_dir / (ts.stem + ".qm")
        result = subprocess.run(
            [*command, str(ts), "-qm", str(qm)],
            capture_output=True,
            text=True,
            check=False,
        )
        output = (result.stdout + result.stderr).strip()
        if result.returncode != 0 or not qm.is_file():
            raise StudioError(
                "lrelease could not compile {name} (exit {code}): {output}",
                name=ts.name,
                code=result.returncode,
                output=output,
            )
        log.debug("lrelease %s: %s", ts.name, output)
        compiled.append(qm)
    return compiled
