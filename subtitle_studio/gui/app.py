"""Starting the desktop application: ``subtitle-studio`` and ``subtitle-studio FILE…``.

Files given on the command line (how "Open with" and file associations launch
the application) are queued and started at once; the window stays open after
they finish. Subtitle files (``subtitle-studio film.srt``) open for editing instead
(``MainWindow.add_files`` routes them, as it does a dropped one). SIGTERM and a
session logout close the window the normal way, which pauses a running job so it
resumes on the next start.
"""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from subtitle_studio import __version__
from subtitle_studio.core.app_settings import load_theme, load_ui_language
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.engines.factory import LocalEngines
from subtitle_studio.gui.first_run import show_first_run_note
from subtitle_studio.gui.i18n import apply_language
from subtitle_studio.gui.icons import app_icon
from subtitle_studio.gui.main_window import MainWindow
from subtitle_studio.gui.responsive import favour_the_gui_thread, settle_heap
from subtitle_studio.gui.theme import apply_theme

log = logging.getLogger(__name__)


def create_application(argv: list[str] | None = None) -> QApplication:
    favour_the_gui_thread()
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName("Subtitle Studio")
    app.setOrganizationName("SubtitleStudio")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    # Wayland matches the window to resources/linux/subtitle-studio.desktop by this name.
    app.setDesktopFileName("subtitle-studio")
    return app  # type: ignore[return-value]


def install_quit_handlers(app: QApplication, window: MainWindow) -> QTimer:
    """SIGTERM/SIGINT and logout close the window cleanly (pausing a running job).

    Python runs signal handlers only between bytecodes, and Qt's event loop is C++:
    a light timer gives the interpreter a moment every 200 ms to notice a signal.
    """

    def close_window(signum: int, frame: object) -> None:
        log.info("signal %d: closing the window", signum)
        QTimer.singleShot(0, window.close)

    signal.signal(signal.SIGTERM, close_window)
    signal.signal(signal.SIGINT, close_window)
    app.commitDataRequest.connect(lambda _manager: window.close())
    app.aboutToQuit.connect(window.session.shutdown)
    ticker = QTimer(window)
    ticker.timeout.connect(lambda: None)
    ticker.start(200)
    return ticker


def run(files: list[Path]) -> int:
    """Open the window (with ``files`` queued) and run until it is closed."""
    app = create_application()
    apply_language(app, load_ui_language())  # before any widget: they take their texts when built
    apply_theme(app, load_theme())
    window = MainWindow(JobStore(), LocalEngines())
    install_quit_handlers(app, window)
    window.show()
    show_first_run_note(window)  # once, until dismissed
    settle_heap("started")
    if files:
        QTimer.singleShot(0, lambda: window.add_files(files))
    return app.exec()
