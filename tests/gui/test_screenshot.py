"""A picture of the window mid-job on a real X server (Xvfb), for a reviewer to look at.

Qt's xcb plugin needs the Debian packages xvfb, libxcb-icccm4 and libxcb-keysyms1 (its
error message wrongly names libxcb-cursor0). The picture is saved to
``test-output/main-window-mid-job.png`` in the checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.conftest import REPO
from tests.support.media_files import copy_to

pytestmark = pytest.mark.slow
OUTPUT = REPO / "test-output" / "main-window-mid-job.png"


@pytest.fixture
def x_server():
    """A private Xvfb display; fails (does not skip) when Xvfb is not installed."""
    xvfb = shutil.which("Xvfb")
    assert xvfb, (
        "Xvfb is not installed (Debian: apt-get install xvfb libxcb-icccm4 libxcb-keysyms1)"
    )
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [xvfb, "-displayfd", str(write_fd), "-screen", "0", "1366x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as handle:
        display = handle.readline().strip()
    assert display, "Xvfb did not start"
    yield f":{display}"
    proc.terminate()
    proc.wait(timeout=10)


def test_screenshot_of_the_window_mid_job(x_server: str, tmp_path: Path, media: Path) -> None:
    source = copy_to(
        media / "en_ljspeech_LJ001-0001_to_0023_concat.flac", tmp_path / "Printing.flac"
    )
    OUTPUT.parent.mkdir(exist_ok=True)
    env = {**os.environ, "DISPLAY": x_server, "QT_QPA_PLATFORM": "xcb"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.gui.screenshot_mid_job", str(source), str(OUTPUT)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    image = QImage(str(OUTPUT))
    assert image.width() >= 1200 and image.height() >= 700
    # Not a blank picture: the window's widgets drew many different colours.
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 20
