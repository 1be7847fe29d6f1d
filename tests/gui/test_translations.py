"""Every visible string of the window, its dialogs and its messages has a Chinese translation.

The window is built in Chinese (``apply_language(app, "zh_CN")``), then every widget,
menu, action, header, tab, placeholder and combo-box item of the window and of each
dialog it can open is read back. A text fails when it still contains an English word
that is not on the short allow-list (the product name, format names, model names,
units…). The failures are printed with where they were found, so a missing ``tr()`` or
translation is easy to find. English is put back afterwards for the other tests.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QLocale, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from subtitle_studio.core import paths
from subtitle_studio.core.app_settings import load_defaults, load_network
from subtitle_studio.core.jobstore import JOB_FILE, JobStore
from subtitle_studio.core.model_catalog import WHISPER_CATALOG, find_entry
from subtitle_studio.core.model_store import DownloadPlan, ModelStore, RemoteFile
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.errors import MediaError, ModelError, StudioError
from subtitle_studio.gui import i18n
from subtitle_studio.gui.error_text import user_message
from subtitle_studio.gui.i18n import TRANSLATIONS_SOURCE, apply_language, compile_translations
from subtitle_studio.gui.job_list import Column
from subtitle_studio.gui.models_table import Column as ModelColumn

ROOT = Path(__file__).resolve().parents[2]

#: Words that are the same in both languages: names, formats, units, keys.
ALLOWED_WORDS = {
    # the product and formats
    "subtitle studio",
    "srt",
    "vtt",
    "webvtt",
    "subrip",
    "ass",
    "ssa",
    "json",
    "txt",
    "http",
    "https",
    "url",
    "sse",
    "id",
    "cps",
    "utf",
    "gbk",
    "nltk",
    "punkt",
    "ffmpeg",
    "whisper",
    "whisperx",
    "wav2vec",
    "torchaudio",
    "faster",
    "hugging",
    "face",
    "huggingface",
    "hf",
    "cuda",
    "cpu",
    "gpu",
    # model names and their parts
    "tiny",
    "base",
    "small",
    "medium",
    "large",
    "turbo",
    "distil",
    "en",
    "zh",
    "v2",
    "v3",
    "ct2",
    "int8",
    "float16",
    "float32",
    # units and keys
    "ms",
    "min",
    "kb",
    "mb",
    "gb",
    "kib",
    "mib",
    "gib",
    "hz",
    "khz",
    "ctrl",
    "shift",
    "alt",
    "del",
    "esc",
    "f3",
    "localhost",
    "enter",
    "tab",
    "space",
    "backspace",
    "home",
    "end",
    # brands and systems
    "nvidia",
    "linux",
    "windows",
    "macos",
    "vad",
    # the model setting's own value, named in the texts that explain it
    "auto",
    # a language named in itself (the Preferences list)
    "english",
    # the names of the test's own files and job
    "interview",
    "film",
}
#: Whole texts that are identifiers the user picks or types (setting values), not prose.
ALLOWED_VALUES = {"auto", "none", "default"}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")
#: Texts that are not words at all: file names, paths, URLs, time codes, patterns.
NOT_PROSE = re.compile(r"^(?:[\w.\-/\\:*~ ]+\.\w{2,5}|\w+://\S+|[\d:.,\s%+\-]+)$")


def english_words(text: str) -> list[str]:
    """The English words left in ``text`` (allowed names and units removed)."""
    text = re.sub(r"<[^>]+>", " ", text)  # rich-text tags
    text = re.sub(r"\*\.\w+", " ", text)  # file patterns (*.srt)
    text = re.sub(r"\b\w+://\S+", " ", text)  # URLs
    text = re.sub(r"subtitle studio", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"&(?=\w)", "", text)
    if text.strip() in ALLOWED_VALUES:
        return []
    text = re.sub(r"(?:\b[A-Za-z]:)?[\\/][^\s：，。（）()]+", " ", text)  # absolute paths
    text = re.sub(r"[\w\-]+(?:\.[\w\-]+)+", " ", text)  # file names, hosts, tiny.en
    text = re.sub(r"\$?\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b", " ", text)  # environment variables
    text = re.sub(r"\((?:[a-z]{2,3})(?:[-_][A-Za-z]{2,4})?\)", " ", text)  # language codes
    text = re.sub(r"\b(?:b?float|int)\d+(?:_\w+)?\b", " ", text)  # compute types
    if NOT_PROSE.match(text.strip()):
        return []
    return [w for w in WORD.findall(text) if w.lower() not in ALLOWED_WORDS]


def action_texts(action: QAction, where: str) -> Iterator[tuple[str, str]]:
    if action.isSeparator():
        return
    name = action.objectName() or action.text()
    yield f"{where}/action[{name}].text", action.text()
    yield f"{where}/action[{name}].toolTip", action.toolTip()
    yield f"{where}/action[{name}].statusTip", action.statusTip()
    if action.menu() is not None:
        yield from menu_texts(action.menu(), f"{where}/{action.text()}")


def menu_texts(menu: QMenu, where: str) -> Iterator[tuple[str, str]]:
    yield f"{where}.title", menu.title()
    for action in menu.actions():
        yield from action_texts(action, where)


def model_texts(model: QAbstractItemModel, where: str) -> Iterator[tuple[str, str]]:
    for section in range(model.columnCount()):
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = model.headerData(section, Qt.Orientation.Horizontal, role)
            if isinstance(value, str):
                yield f"{where}.header[{section}]", value


def widget_texts(root: QWidget, where: str) -> Iterator[tuple[str, str]]:
    """Every user-visible string of ``root`` and its children, with a path to it."""
    for widget in [root, *root.findChildren(QWidget)]:
        path = f"{where}/{type(widget).__name__}[{widget.objectName()}]"
        if widget.isWindow():
            yield f"{path}.windowTitle", widget.windowTitle()
        yield f"{path}.toolTip", widget.toolTip()
        yield f"{path}.statusTip", widget.statusTip()
        yield f"{path}.whatsThis", widget.whatsThis()
        if isinstance(widget, QLabel):
            yield f"{path}.text", widget.text()
        if isinstance(widget, QAbstractButton):
            yield f"{path}.text", widget.text()
        if isinstance(widget, QGroupBox):
            yield f"{path}.title", widget.title()
        if isinstance(widget, QTabWidget):
            for tab in range(widget.count()):
                yield f"{path}.tab[{tab}]", widget.tabText(tab)
                yield f"{path}.tabToolTip[{tab}]", widget.tabToolTip(tab)
        if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
            yield f"{path}.placeholderText", widget.placeholderText()
        if isinstance(widget, QComboBox):
            for item in range(widget.count()):
                yield f"{path}.item[{item}]", widget.itemText(item)
        if isinstance(widget, QMessageBox):
            yield f"{path}.text", widget.text()
            yield f"{path}.informativeText", widget.informativeText()
        if isinstance(widget, QMenu):
            yield from menu_texts(widget, path)
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            yield from model_texts(widget.model(), path)
        for action in QWidget.actions(widget):  # (a dialog may shadow actions())
            yield from action_texts(action, path)


def untranslated(texts: Iterator[tuple[str, str]]) -> list[str]:
    failures = []
    seen = set()
    for where, text in texts:
        if not text or (where, text) in seen:
            continue
        seen.add((where, text))
        words = english_words(text)
        if words:
            failures.append(f"{where}: {text!r}  (English: {', '.join(words)})")
    return failures


@pytest.fixture
def chinese(qapp):
    assert apply_language(qapp, "zh_CN") == "zh_CN"
    yield qapp
    apply_language(qapp, "en")


def test_every_translation_source_compiles(tmp_path: Path) -> None:
    sources = sorted(TRANSLATIONS_SOURCE.glob("*.ts"))
    assert sources, f"no .ts files in {TRANSLATIONS_SOURCE}"
    compiled = compile_translations(tmp_path)
    assert sorted(p.name for p in compiled) == sorted(ts.stem + ".qm" for ts in sources)
    assert all(p.stat().st_size > 1000 for p in compiled)


def test_apply_language_chooses_and_reverts(chinese) -> None:
    assert QCoreApplication.translate("MainWindow", "&File") == "文件(&F)"
    # Qt's own catalogue is installed too: standard buttons speak Chinese.
    box = QMessageBox(QMessageBox.Icon.Warning, "", "", QMessageBox.StandardButton.Cancel)
    assert box.button(QMessageBox.StandardButton.Cancel).text() == "取消"
    assert apply_language(chinese, "en") == "en"
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


@pytest.mark.parametrize(
    ("setting", "system", "expected"),
    [
        ("system", "zh_CN", "zh_CN"),
        ("system", "zh_TW", "zh_CN"),
        ("system", "de_DE", "en"),
        ("en", "zh_CN", "en"),
        ("zh_CN", "en_US", "zh_CN"),
        ("klingon", "en_US", "en"),
    ],
)
def test_the_language_follows_the_system_unless_chosen(setting, system, expected) -> None:
    assert i18n.effective_language(setting, QLocale(system)) == expected


def test_a_checkout_compiles_on_first_use_and_after_an_edit(tmp_path, monkeypatch) -> None:
    ts = tmp_path / "subtitle_studio_zh_CN.ts"
    ts.write_bytes((TRANSLATIONS_SOURCE / "subtitle_studio_zh_CN.ts").read_bytes())
    monkeypatch.setattr(i18n, "TRANSLATIONS_SOURCE", tmp_path)
    qm = i18n.find_qm("zh_CN")
    assert qm.is_file() and qm.parent == paths.home_dir() / "cache" / "translations"
    first = qm.stat().st_mtime_ns
    assert i18n.find_qm("zh_CN").stat().st_mtime_ns == first  # up to date: not recompiled
    later = first / 1e9 + 10
    os.utime(ts, (later, later))
    assert i18n.find_qm("zh_CN").stat().st_mtime_ns != first


def test_a_frozen_build_uses_its_bundled_translations(qapp, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    with pytest.raises(StudioError, match="missing from this build"):
        i18n.find_qm("zh_CN")
    assert apply_language(qapp, "zh_CN") == "en"  # logged; the window stays usable
    compile_translations(tmp_path / "translations")
    assert i18n.find_qm("zh_CN") == tmp_path / "translations" / "subtitle_studio_zh_CN.qm"
    try:
        assert apply_language(qapp, "zh_CN") == "zh_CN"
    finally:
        apply_language(qapp, "en")


def test_a_broken_translation_source_fails_loudly(tmp_path) -> None:
    broken = tmp_path / "subtitle_studio_xx.ts"
    broken.write_text("<TS><context><name>X</name><message>", encoding="utf-8")
    with pytest.raises(StudioError, match="lrelease could not compile subtitle_studio_xx.ts"):
        compile_translations(tmp_path / "out", [broken])


def test_no_translation_is_unfinished() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "translations.py"), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _models_in_every_state(home: Path) -> None:
    """A downloaded tiny, a base whose download failed half-way: details with numbers."""
    store = ModelStore(home)
    tiny = find_entry(WHISPER_CATALOG, "tiny")
    folder = store.folder(tiny)
    folder.mkdir(parents=True)
    files = []
    for name, data in (("model.bin", b"\0" * 4096), ("config.json", b"{}")):
        (folder / name).write_bytes(data)
        files.append(
            RemoteFile(name, len(data), f"http://x/{name}", sha256=hashlib.sha256(data).hexdigest())
        )
    store.complete_download(tiny, DownloadPlan("tiny", "abc", tuple(files)))
    base = find_entry(WHISPER_CATALOG, "base")
    store.save_plan(base, DownloadPlan("base", "abc", (RemoteFile("model.bin", 10**8, "u"),)))
    store.part_path(base, "model.bin").write_bytes(b"\0" * 1000)
    failure = ModelError(
        "{host} answered HTTP {status} for {what}. Try again later.",
        host="huggingface.co",
        status=503,
        what="model.bin",
    )
    store.record_failure(base, failure)


def model_cells(model: QAbstractItemModel, where: str) -> Iterator[tuple[str, str]]:
    """Every cell's tooltip and text (the Models dialog's notes, states and details), but
    the texts of the Model and Languages columns: model names and language codes."""
    names = {ModelColumn.MODEL, ModelColumn.LANGUAGES}
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            roles = [Qt.ItemDataRole.ToolTipRole]
            if column not in names:
                roles.append(Qt.ItemDataRole.DisplayRole)
            for role in roles:
                value = index.data(role)
                if isinstance(value, str):
                    yield f"{where}.cell[{row},{column}]", value


def test_every_visible_string_is_translated(chinese, make_window, qtbot, tmp_path: Path) -> None:
    from subtitle_studio.gui.find_replace import FindReplaceDialog
    from subtitle_studio.gui.first_run import show_first_run_note
    from subtitle_studio.gui.models_dialog import ModelsDialog
    from subtitle_studio.gui.preferences_dialog import PreferencesDialog
    from subtitle_studio.gui.prompts import Prompts
    from subtitle_studio.gui.settings_dialog import DefaultSettingsDialog, ResumeDialog

    unreadable = JobStore().root / ("1" * 32)  # a damaged job: the window says why it is gone
    unreadable.mkdir(parents=True)
    (unreadable / JOB_FILE).write_text('{"version": 1, "id": ', encoding="utf-8")
    _models_in_every_state(paths.home_dir())
    window = make_window()
    home = window.store.home
    texts = [("MainWindow/banner[unreadable job]", window.banner.text())]
    assert "1" * 32 in texts[0][1]
    media = tmp_path / "interview.mp4"
    media.write_bytes(b"not really a video")
    record = window.store.create(media, load_defaults(home))
    record.status, record.phase, record.percent = JobStatus.PAUSED, "transcribe", 40.0
    window.store.save(record)
    window.jobs.refresh()
    subtitles = tmp_path / "film.srt"
    subtitles.write_text(  # with blocks that cannot be read: the banner lists them
        "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n--:--\n你好\n\n"
        "3\n00:00:04,000 --> 00:00:03,000\n再见\n\n00:00:05,000\n",
        encoding="utf-8",
    )
    window.add_files([subtitles])
    assert window.banner.text().count("\n") >= 4, "the opened file's problems are listed"

    texts += widget_texts(window, "MainWindow")
    for column in (Column.STATUS, Column.PHASE):
        index = window.jobs.index(window.jobs.row_of(record.id), column)
        texts.append((f"MainWindow/jobs.cell[{column.name}]", index.data()))
        tip = index.data(Qt.ItemDataRole.ToolTipRole)
        texts.append((f"MainWindow/jobs.cell[{column.name}].toolTip", tip or ""))
    texts += model_texts(window.table.model(), "MainWindow/subtitle table")
    texts.append(("MainWindow/statusBar.message", window.statusBar().currentMessage()))

    prompts = Prompts(window)
    failed = MediaError("{name} cannot be read: permission denied.", name="interview.mp4")
    dialogs: dict[str, QWidget] = {
        "DefaultSettingsDialog": DefaultSettingsDialog(
            load_defaults(home), window, network=load_network(home)
        ),
        "ResumeDialog": ResumeDialog(
            record, detected_language="en", chunks_done=2, aligned=True, parent=window
        ),
        "ModelsDialog": ModelsDialog(window.models.manager(), window.session.bus, window),
        "FindReplaceDialog": FindReplaceDialog(window.edit_actions),
        "PreferencesDialog": PreferencesDialog(window),
        "ResumeQuestion": prompts.resume_box("interview.mp4"),
        "DeleteQuestion": prompts.delete_box("interview.mp4"),
        "ErrorDetails": prompts.error_box(
            QCoreApplication.translate("MainWindow", "{name} failed").format(name="interview"),
            user_message(failed),
            "details",
        ),
    }
    models = dialogs["ModelsDialog"]
    qtbot.waitUntil(lambda: not models._refreshing, timeout=20_000)
    states = list(model_cells(models.model, "ModelsDialog/table"))
    assert any("4.1 KB" in text for _, text in states), "the downloaded tiny is listed"
    assert any("100.0 MB" in text for _, text in states), "the failed base is listed"
    texts += states
    note = show_first_run_note(window, tmp_path / "first-run-home")
    if note is not None:
        dialogs["FirstRunNote"] = note
    for name, dialog in dialogs.items():
        texts += widget_texts(dialog, name)

    assert len([text for _, text in texts if text]) > 300, "the walk found too little to check"
    failures = untranslated(iter(texts))
    for dialog in dialogs.values():
        dialog.close()
        dialog.deleteLater()
    print(f"{len(failures)} untranslated string(s):")
    for failure in failures:
        print("  " + failure)
    assert not failures, f"{len(failures)} untranslated strings:\n" + "\n".join(failures)


def test_the_word_check_catches_english() -> None:
    """The checker itself: English prose fails, names and numbers pass."""
    assert english_words("&Open video or audio…") == ["Open", "video", "or", "audio"]
    assert english_words("打开视频或音频(&O)…") == []
    assert english_words("Subtitle Studio") == []
    assert english_words("SubRip (*.srt);;WebVTT (*.vtt)") == []
    assert english_words("模型 large-v3 (1.5 GB)") == []
    assert english_words("interview.mp4") == []
    assert english_words("0:01:02.500") == []
    assert english_words("法语 (fr)") == []
    assert english_words("Detect automatically") == ["Detect", "automatically"]
    assert english_words("none") == []
    assert english_words("none of these") == ["none", "of", "these"]
