"""How fast the waveform strip is computed and drawn for an hour of audio.

Measures, in one process:

1. computing the peaks of an hour of 16 kHz audio (57.6 M samples): from an array in
   memory, and from a stored ``audio.wav`` read in blocks the way a job does it
   (``peaks_for_audio``: compute + cache write), then reading the cache back;
2. drawing a 1600x120 strip into a ``QImage`` for 200 random visible ranges (5 s to the
   whole hour, log-uniform) with 2,000 cues set and one selected: median, p99 and max ms
   per frame against a 16.7 ms frame budget. The **baseline**, measured in the same run,
   is the same draw of an empty strip (no peaks, no cues); the ratio is reported;
3. scrolling: the table's selection stepping through the 2,000-cue document one row at a
   time, each step selecting the cue in the strip (which scrolls it into a 10 s view) and
   drawing a frame; and a playhead moving over a fixed view (the waveform layer cached);
4. for comparison, the same waveform columns drawn with ``QPainter.drawLines`` (one
   ``QLineF`` per column) instead of the numpy raster the view uses.

The audio is synthetic (speech-like bursts of noise at varying loudness with pauses), so
nothing is copied into the repository and the input is the same on every machine.

Usage::

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_waveform.py
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

RATE = 16000
FRAME_BUDGET_MS = 1000.0 / 60.0
CUES = 2000


def synthesise(minutes: float, seed: int) -> np.ndarray:
    """int16 mono: bursts of 0.2-2.5 s of shaped noise at varying loudness, 0.1-1 s apart."""
    rng = np.random.default_rng(seed)
    total = int(minutes * 60 * RATE)
    signal = np.zeros(total, dtype=np.int16)
    at = 0
    while at < total:
        at += int(rng.uniform(0.1, 1.0) * RATE)
        length = min(int(rng.uniform(0.2, 2.5) * RATE), total - at)
        if length <= 0:
            break
        envelope = np.sin(np.linspace(0, np.pi, length)) * rng.uniform(0.05, 0.9)
        noise = rng.standard_normal(length) * 0.35
        signal[at : at + length] = np.clip(noise * envelope * 32767, -32768, 32767)
        at += length
    return signal


def summary(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return {
        "median_ms": round(statistics.median(ordered), 3),
        "p99_ms": round(p99, 3),
        "max_ms": round(ordered[-1], 3),
        "frames": len(ordered),
    }


def timed_frames(view: Any, image: Any, steps: list[Any], apply: Any) -> list[float]:
    """Per step: ``apply(view, step)`` then render the view into ``image``; ms each."""
    out = []
    for step in steps:
        t0 = time.perf_counter()
        apply(view, step)
        view.render(image)
        out.append((time.perf_counter() - t0) * 1000.0)
    return out


def random_ranges(count: int, duration: float, seed: int) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    ranges = []
    for _ in range(count):
        span = min(duration, 5.0 * (duration / 5.0) ** rng.random())
        start = rng.uniform(0.0, duration - span)
        ranges.append((start, start + span))
    return ranges


def draw_lines_frame(peaks: Any, view: tuple[float, float], image: Any, gain: float) -> None:
    """The alternative to the numpy raster: one QLineF per pixel column."""
    from PySide6.QtCore import QLineF
    from PySide6.QtGui import QColor, QPainter

    width, height = image.width(), image.height()
    mins, maxs = peaks.window(view[0], view[1], width)
    half = (height - 1) / 2.0
    tops = half - np.clip(np.nan_to_num(maxs) * gain, -1, 1) * half
    bottoms = half - np.clip(np.nan_to_num(mins) * gain, -1, 1) * half
    painter = QPainter(image)
    painter.fillRect(0, 0, width, height, QColor(255, 255, 255))
    painter.setPen(QColor(0, 0, 0))
    painter.drawLines(
        [
            QLineF(x + 0.5, top, x + 0.5, bottom + 0.5)
            for x, (top, bottom) in enumerate(zip(tops.tolist(), bottoms.tolist()))
        ]
    )
    painter.end()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0, help="audio length")
    parser.add_argument("--frames", type=int, default=200, help="random ranges drawn")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    args = parser.parse_args()

    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from subtitle_studio.core.audio_store import SAMPLE_RATE, AudioWriter
    from subtitle_studio.core.waveform import CACHE_NAME, Peaks, compute_peaks, peaks_for_audio
    from subtitle_studio.gui.waveform_view import WaveformView

    app = QApplication.instance() or QApplication([])
    report: dict[str, Any] = {"minutes": args.minutes, "size": [args.width, args.height]}

    signal = synthesise(args.minutes, args.seed)
    duration = signal.size / RATE
    report["samples"] = int(signal.size)

    # 1. Peaks.
    t0 = time.perf_counter()
    peaks = compute_peaks(signal, RATE)
    report["peaks_from_array_s"] = round(time.perf_counter() - t0, 3)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.out) as folder:
        writer = AudioWriter(Path(folder) / "audio.wav")
        writer.write_pcm16(signal)
        audio = writer.commit()
        t0 = time.perf_counter()
        stored = peaks_for_audio(audio, SAMPLE_RATE)
        report["peaks_from_stored_audio_s"] = round(time.perf_counter() - t0, 3)
        cache = Path(folder) / CACHE_NAME
        report["cache_bytes"] = cache.stat().st_size
        t0 = time.perf_counter()
        Peaks.load(cache)
        report["cache_load_s"] = round(time.perf_counter() - t0, 3)
        assert np.array_equal(stored.levels[0][1], peaks.levels[0][1])
    report["levels"] = [int(level[0].size) for level in peaks.levels]
    del signal

    # 2. Random visible ranges: full strip vs an empty strip, same ranges, same run.
    period = duration / CUES
    cues = [(f"{n}_0", n * period + 0.1, n * period + period * 0.8) for n in range(CUES)]
    image = QImage(args.width, args.height, QImage.Format.Format_ARGB32_Premultiplied)

    def strip(with_content: bool) -> WaveformView:
        view = WaveformView()
        view.resize(args.width, args.height)
        if with_content:
            view.set_peaks(peaks)
            view.set_cues(cues)
            view.select(cues[CUES // 2][0], reveal=False)
        return view

    full, empty = strip(True), strip(False)
    ranges = random_ranges(args.frames, duration, args.seed)

    def show_range(view: WaveformView, rng: tuple[float, float]) -> None:
        view.set_view(*rng)

    timed_frames(full, image, ranges[:10], show_range)  # warm-up
    timed_frames(empty, image, ranges[:10], show_range)
    drawn = timed_frames(full, image, ranges, show_range)
    bare = timed_frames(empty, image, ranges, show_range)
    report["random_ranges"] = summary(drawn)
    report["random_ranges_empty_strip"] = summary(bare)
    report["random_ranges_ratio_to_empty"] = round(
        statistics.median(drawn) / statistics.median(bare), 2
    )
    report["random_ranges_within_budget"] = sum(ms <= FRAME_BUDGET_MS for ms in drawn)
    t0 = time.perf_counter()
    for rng in ranges:
        peaks.window(rng[0], rng[1], args.width)
    report["window_only_mean_ms"] = round((time.perf_counter() - t0) * 1000 / len(ranges), 3)

    # 3. Scrolling with the table: select each row in turn (a 10 s view follows it).
    full.set_view(0.0, 10.0)
    rows = [cue[0] for cue in cues]
    scroll = timed_frames(full, image, rows, lambda view, row: view.select(row))
    empty.set_view(0.0, 10.0)
    steps = [(n * period, n * period + 10.0) for n in range(CUES)]
    scroll_bare = timed_frames(empty, image, steps, show_range)
    report["scroll_rows"] = summary(scroll)
    report["scroll_rows_empty_strip"] = summary(scroll_bare)
    report["scroll_rows_ratio_to_empty"] = round(
        statistics.median(scroll) / statistics.median(scroll_bare), 2
    )
    full.set_view(1800.0, 1810.0)
    ticks = [1800.0 + 0.015 * n for n in range(600)]
    playhead = timed_frames(full, image, ticks, lambda view, s: view.set_playhead(s))
    report["playhead_ticks"] = summary(playhead)

    # 4. The same columns through QPainter.drawLines, for comparison.
    lines = []
    for rng in ranges:
        t0 = time.perf_counter()
        draw_lines_frame(peaks, rng, image, full._gain)
        lines.append((time.perf_counter() - t0) * 1000.0)
    report["draw_lines_alternative"] = summary(lines)

    full.deleteLater()
    empty.deleteLater()
    app.processEvents()
    report["frame_budget_ms"] = round(FRAME_BUDGET_MS, 1)
    print(json.dumps(report, indent=1))
    (args.out / "bench_waveform.json").write_text(json.dumps(report, indent=1))
    print(
        f"\npeaks of {args.minutes:g} min: {report['peaks_from_array_s']} s from memory, "
        f"{report['peaks_from_stored_audio_s']} s from audio.wav (+cache write), "
        f"cache load {report['cache_load_s']} s"
    )
    for name in ("random_ranges", "scroll_rows", "playhead_ticks", "draw_lines_alternative"):
        figures = report[name]
        print(
            f"{name:24s} median {figures['median_ms']:7.3f} ms  p99 {figures['p99_ms']:7.3f} ms"
            f"  max {figures['max_ms']:7.3f} ms  (budget {FRAME_BUDGET_MS:.1f} ms)"
        )
    print(
        "ratio to an empty strip (same run): random ranges "
        f"{report['random_ranges_ratio_to_empty']}, "
        f"scrolling {report['scroll_rows_ratio_to_empty']}"
    )
    # p99, not max: on a shared machine one frame in a thousand can lose the CPU.
    worst = max(report["random_ranges"]["p99_ms"], report["scroll_rows"]["p99_ms"])
    return 0 if worst <= FRAME_BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
