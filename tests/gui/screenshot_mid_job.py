"""Run by test_screenshot.py under a real X server: open the main window, start a real job,
and save a picture of the window while rows are still arriving.

Usage: python -m tests.gui.screenshot_mid_job MEDIA_FILE OUTPUT_PNG
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from subtitle_studio.core.app_settings import save_defaults
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.engines.factory import LocalEngines
from subtitle_studio.gui.main_window import MainWindow

ROWS_BEFORE_SHOT = 8


def main() -> int:
    source, output = Path(sys.argv[1]), Path(sys.argv[2])
    app = QApplication([sys.argv[0]])
    save_defaults(JobSettings(chunk_max_s=10, align_model="none"))
    window = MainWindow(JobStore(), LocalEngines())
    window.resize(1280, 760)
    window.show()
    [job_id] = window.add_files([source])
    document = window.session.document(job_id).document
    result = {"code": 1}

    def poll() -> None:
        running = window.session.queue.running_id == job_id
        if len(document) >= ROWS_BEFORE_SHOT and running:
            window.table.selectRow(2)
            app.processEvents()
            screen = window.screen()
            picture = screen.grabWindow(window.winId())
            result["code"] = 0 if picture.save(str(output)) else 2
            print(f"rows={len(document)} size={picture.width()}x{picture.height()}", flush=True)
            window.close()
            app.quit()
        elif not running and window.session.queue.running_id is None and len(document) > 0:
            print("the job ended before the screenshot", flush=True)
            window.close()
            app.quit()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(100)
    QTimer.singleShot(180_000, app.quit)
    app.exec()
    return result["code"]


if __name__ == "__main__":
    sys.exit(main())
