"""Window fixtures: real engines shared by the session, questions answered by the test,
and a check that no pipeline or re-alignment thread outlives its test."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.engines.factory import LocalEngines


class AcceptingDialog:
    """The resume dialog, accepted with the job's own settings."""

    def __init__(self, record, **kwargs) -> None:
        self.record = record

    def exec(self) -> QDialog.DialogCode:
        return QDialog.DialogCode.Accepted

    def result_settings(self) -> JobSettings:
        return self.record.settings

    def redo_finished(self) -> bool:
        return False


class FakePrompts:
    """Answers the window's questions without modal dialogs, and remembers them."""

    def __init__(self) -> None:
        self.resume_answer = True
        self.delete_answer = True
        self.export_path: Path | None = None
        self.informed: list[tuple[str, str]] = []
        self.errors: list[tuple[str, str]] = []
        self.error_details: list[str] = []
        self.asked_resume: list[str] = []

    def ask_resume(self, name: str) -> bool:
        self.asked_resume.append(name)
        return self.resume_answer

    def confirm_delete(self, name: str) -> bool:
        return self.delete_answer

    def inform(self, title: str, message: str) -> None:
        self.informed.append((title, message))

    def show_error(self, title: str, message: str, details: str = "") -> None:
        self.errors.append((title, message))
        self.error_details.append(details)

    def ask_media_files(self) -> list[Path]:
        return []

    def ask_export_path(self, default: Path) -> Path | None:
        return self.export_path


@pytest.fixture(scope="session")
def engines(tmp_path_factory: pytest.TempPathFactory) -> LocalEngines:
    return LocalEngines(tmp_path_factory.mktemp("engines-home"))


@pytest.fixture
def make_window(qtbot, engines: LocalEngines):
    """Build main windows that answer through FakePrompts; all are closed at the end."""
    from subtitle_studio.gui.main_window import MainWindow

    made = []

    def make() -> MainWindow:
        window = MainWindow(JobStore(), engines)
        prompts = FakePrompts()
        window.prompts = window.session.prompts = prompts
        qtbot.addWidget(window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()


@pytest.fixture(autouse=True)
def no_running_qthreads():
    yield
    from subtitle_studio.gui.job_queue import THREADS

    alive = []
    for thread in list(THREADS):
        try:
            if thread.isRunning():
                alive.append(thread.objectName())
        except RuntimeError:  # already deleted: not running
            pass
    assert not alive, f"threads left running: {alive}"
