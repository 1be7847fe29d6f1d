"""Bad and awkward input files for the bad-input tests, made on the fly (never copied media)."""

from __future__ import annotations

import fractions
import os
import shutil
from pathlib import Path

import av
import numpy as np


def video_without_audio(path: Path, seconds: float = 2.0) -> Path:
    """A real, playable MP4 with a video stream and no audio stream."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=25)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        stream.time_base = fractions.Fraction(1, 25)
        for i in range(int(seconds * 25)):
            image = np.full((120, 160, 3), (i * 5) % 255, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = i
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def truncated_copy(source: Path, path: Path, fraction: float = 0.5) -> Path:
    """The first ``fraction`` of a real file's bytes: a download cut off half way."""
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])
    return path


def text_renamed_as_video(path: Path) -> Path:
    path.write_text("These are meeting notes, not a video.\n" * 50, encoding="utf-8")
    return path


def copy_to(source: Path, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, path)
    return path


def without_read_override() -> list[str]:
    """A command prefix under which even root obeys file permissions (so a chmod 000 file
    is really unreadable in tests that CI runs as root)."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search"]
