"""Run by test_screenshot_themes.py under a real X server: open the main window with a
subtitle file (and its audio) loaded, in the dark theme or in Chinese, and save a picture.

Usage: python -m tests.gui.screenshot_themes {dark|zh_CN} MEDIA_FILE WORK_FOLDER OUTPUT_PNG

Prints one JSON line describing what was shown (the effective theme and language, the
menu titles, the fonts that can draw Chinese) for the test to check beside the picture.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase, QPalette

from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.engines.factory import LocalEngines
from subtitle_studio.gui.app import create_application
from subtitle_studio.gui.main_window import MainWindow
from subtitle_studio.gui.theme import apply_theme

SUBTITLES = """\
1
00:00:00,300 --> 00:00:02,900
And so, my fellow Americans,

2
00:00:03,100 --> 00:00:07,600
ask not what your country can do for you,

3
00:00:07,900 --> 00:00:10,800
ask what you can do for your country.
"""


def main() -> int:
    mode, media, work, output = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
    app = create_application([sys.argv[0]])
    language = "en"
    if mode == "dark":
        effective = apply_theme(app, "dark")
    else:
        from subtitle_studio.gui.i18n import apply_language

        effective = apply_theme(app, "light")
        language = apply_language(app, mode)
    work.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(media, work / f"speech{media.suffix}")
    subtitles = work / "speech.srt"
    subtitles.write_text(SUBTITLES, encoding="utf-8")

    window = MainWindow(JobStore(), LocalEngines())
    window.resize(1280, 760)
    window.show()
    result = {"code": 1}

    def shoot(_peaks: object = None) -> None:
        if result["code"] != 1:
            return
        window.table.selectRow(1)
        app.processEvents()
        picture = window.screen().grabWindow(window.winId())
        result["code"] = 0 if picture.save(output) else 2
        report = {
            "theme": effective,
            "language": language,
            "window": app.palette().color(QPalette.ColorRole.Window).name(),
            "menus": [action.text() for action in window.menuBar().actions()],
            "toolbar": [a.toolTip() for a in window.toolbar.actions() if not a.isSeparator()],
            "rows": window.table.model().rowCount() if window.table.model() else 0,
            "chinese_fonts": QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese),
            "size": [picture.width(), picture.height()],
        }
        print(json.dumps(report, ensure_ascii=False), flush=True)
        window.close()
        app.quit()

    window.listen.peaksShown.connect(lambda peaks: QTimer.singleShot(200, shoot))
    window.add_files([subtitles])
    QTimer.singleShot(60_000, shoot)  # the picture even without a waveform
    app.exec()
    return result["code"]


if __name__ == "__main__":
    sys.exit(main())
