"""Pictures of the main window in the dark theme and in Chinese, on a real X server (Xvfb).

Saved for a reviewer as ``test-output/main-window-dark.png`` and
``test-output/main-window-zh_CN.png``. Each is checked for what a reviewer would look
for: the dark one is dark overall, the Chinese one has Chinese menus drawn with a font
that has Chinese glyphs (without one, Qt draws empty boxes; Debian: fonts-wqy-microhei).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

from tests.conftest import REPO
from tests.gui.test_screenshot import x_server  # noqa: F401 - the Xvfb fixture

pytestmark = pytest.mark.slow
OUTPUT = REPO / "test-output"
CJK = re.compile(r"[\u4e00-\u9fff]")


def shoot(mode: str, display: str, media: Path, work: Path) -> tuple[QImage, dict]:
    """Run the window in a child process on ``display``; the picture and its report
    (``report["log"]`` holds the child's log, for failure messages)."""
    output = OUTPUT / f"main-window-{mode}.png"
    OUTPUT.mkdir(exist_ok=True)
    output.unlink(missing_ok=True)
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.gui.screenshot_themes",
            mode,
            str(media / "jfk.flac"),
            str(work),
            str(output),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    reports = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert reports, done.stdout + done.stderr
    image = QImage(str(output))
    assert not image.isNull(), f"{output} was not written"
    assert image.width() >= 1200 and image.height() >= 700
    report = json.loads(reports[-1])
    report["log"] = done.stderr[-3000:]
    return image, report


def mean_luminance(image: QImage) -> float:
    """Mean perceived brightness, 0 (black) to 255 (white)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    raw = np.frombuffer(bytes(image.constBits()), dtype=np.uint8)
    pixels = raw.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), :3]
    blue, green, red = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return float((0.2126 * red + 0.7152 * green + 0.0722 * blue).mean())


def test_the_window_in_the_dark_theme(x_server: str, tmp_path: Path, media: Path) -> None:  # noqa: F811
    image, report = shoot("dark", x_server, media, tmp_path / "work")
    assert report["theme"] == "dark"
    assert report["rows"] == 3
    assert mean_luminance(image) < 80, f"not a dark window: {mean_luminance(image):.0f}"
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 20  # the widgets drew, not an empty dark rectangle


def test_the_window_in_chinese(x_server: str, tmp_path: Path, media: Path) -> None:  # noqa: F811
    image, report = shoot("zh_CN", x_server, media, tmp_path / "work")
    assert report["language"] == "zh_CN", "the window did not switch to Chinese:\n" + report["log"]
    assert report["chinese_fonts"], (
        "no font can draw Chinese, so the menus show boxes "
        "(Debian: apt-get install fonts-wqy-microhei)"
    )
    first_menu = report["menus"][0]
    assert CJK.search(first_menu), f"the first menu is not in Chinese: {report['menus']}"
    assert all(CJK.search(title) for title in report["menus"]), report["menus"]
    assert mean_luminance(image) > 150  # the light theme
