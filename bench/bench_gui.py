"""How responsive the window stays while a job streams thousands of rows into it.

Measures, in one process:

1. the longest stall of the GUI thread while a job streams >= 2,000 rows into the
   subtitle table and then merges its alignment (a 5 ms QTimer records how late it
   fires; goal: no stall over 50 ms);
2. the time to apply a merge of 10,000 rows with 500 user edits: the core merge alone,
   and the whole ``alignment_ready`` path in the window (merge, table reset, view state
   kept); goal: under 100 ms.

The job is a real pipeline run (PyAV extraction, Silero VAD, chunk planning,
checkpoints after every chunk, the fallback aligner, the SRT) on an hour of real
speech built from ../shared/media, except that transcription is replaced by a fast
stand-in that returns plausible rows (15 per chunk) in milliseconds: the point is to
push rows at the window faster than faster-whisper ever would, so the GUI is the
bottleneck being measured.

Usage::

    HF_HUB_OFFLINE=1 QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_gui.py
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
os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

ROWS_PER_CHUNK = 15
TICK_MS = 5


class StallMeter:
    """A 5 ms timer that records how late each tick fires: a late tick is a stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.lateness_ms: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setTimerType(self._timer.timerType().PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._timer.start(TICK_MS)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lateness_ms.append(max(0.0, (now - self._last) * 1000 - TICK_MS))
        self._last = now

    def stop(self) -> None:
        self._timer.stop()

    def summary(self) -> dict[str, float]:
        data = sorted(self.lateness_ms)
        return {
            "ticks": len(data),
            "max_stall_ms": round(data[-1], 1) if data else 0.0,
            "p99_ms": round(data[int(0.99 * (len(data) - 1))], 1) if data else 0.0,
            "median_ms": round(statistics.median(data), 2) if data else 0.0,
        }


class FastTranscriber:
    """Returns ``ROWS_PER_CHUNK`` rows with evenly spread word times per chunk, at once."""

    model_name = "stand-in"

    def __init__(self, words: list[str]) -> None:
        self._words = words
        self._next = 0

    def transcribe(self, audio, *, offset_s, segment_index, language, **_: Any):
        from types import SimpleNamespace

        duration = len(audio) / 16000
        step = duration / ROWS_PER_CHUNK
        rows = []
        for n in range(ROWS_PER_CHUNK):
            start = offset_s + n * step
            words = [self._take() for _ in range(6)]
            spread = (step * 0.9) / len(words)
            rows.append(
                {
                    "id": f"{segment_index}_{n}",
                    "start": round(start, 3),
                    "end": round(start + step * 0.9, 3),
                    "text": " ".join(words),
                    "words": [
                        {
                            "word": f" {w}",
                            "start": round(start + i * spread, 3),
                            "end": round(start + (i + 1) * spread, 3),
                        }
                        for i, w in enumerate(words)
                    ],
                }
            )
        return SimpleNamespace(language="en", rows=rows)

    def _take(self) -> str:
        word = self._words[self._next % len(self._words)]
        self._next += 1
        return word


class StandInEngines:
    """The real engines, except transcription."""

    def __init__(self, real, words: list[str]) -> None:
        self._real = real
        self._transcriber = FastTranscriber(words)

    def __getattr__(self, name: str):
        return getattr(self._real, name)

    def transcriber(self, settings):
        return self._transcriber


def stream_job(minutes: float, media: Path, out: Path) -> dict[str, Any]:
    from bench_pipeline import build_input
    from PySide6.QtCore import QEventLoop, QTimer

    from subtitle_studio.core.app_settings import save_defaults
    from subtitle_studio.core.jobstore import JobStore
    from subtitle_studio.core.settings import JobSettings
    from subtitle_studio.engines.factory import LocalEngines
    from subtitle_studio.gui.app import create_application
    from subtitle_studio.gui.main_window import MainWindow
    from subtitle_studio.gui.responsive import settle_heap

    app = create_application()  # as the application starts it
    bench_input = build_input(minutes, media, out)
    words = bench_input.reference.split()
    save_defaults(JobSettings(align_model="none", chunk_max_s=30))
    window = MainWindow(JobStore(), StandInEngines(LocalEngines(), words))
    window.resize(1280, 760)
    window.show()
    settle_heap("started")  # as gui.app.run does
    [job_id] = window.add_files([Path(bench_input.wav)])
    document = window.session.document(job_id).document
    window.table.selectRow(0)  # the user has a row selected while rows stream in

    meter = StallMeter()
    started = time.perf_counter()
    max_rows = 0

    def watch() -> None:
        nonlocal max_rows
        max_rows = max(max_rows, len(document))
        finished = window.session.queue.running_id != job_id and document.aligned
        if finished or time.perf_counter() - started > 600:
            loop.quit()

    # The application's own event loop runs, as it does for a user; a slow watcher
    # looks at the table now and then.
    loop = QEventLoop()
    watcher = QTimer()
    watcher.timeout.connect(watch)
    watcher.start(50)
    loop.exec()
    watcher.stop()
    if not document.aligned:
        raise RuntimeError("the job did not finish in 10 minutes")
    settle = QEventLoop()
    QTimer.singleShot(200, settle.quit)  # let the last queued events land
    settle.exec()
    meter.stop()
    seconds = time.perf_counter() - started
    idle = idle_stalls(app, seconds=10.0)
    record = window.store.get(job_id)
    result = {
        "input_minutes": round(bench_input.seconds / 60, 1),
        "job_status": str(record.status),
        "rows_streamed": max_rows,
        "rows_after_alignment": len(document),
        "seconds": round(seconds, 1),
        **meter.summary(),
        "idle_baseline": idle,
    }
    window.close()
    return result


def idle_stalls(app, seconds: float) -> dict[str, float]:
    """The same meter on the same window with nothing happening: the machine's own noise."""
    from PySide6.QtCore import QEventLoop, QTimer

    meter = StallMeter()
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    meter.stop()
    return meter.summary()


def merge_timing(rows: int, edits: int, repeats: int) -> dict[str, Any]:
    from PySide6.QtCore import Qt

    from subtitle_studio.core.jobstore import JobStore
    from subtitle_studio.core.merge import merge_rows
    from subtitle_studio.core.settings import JobSettings
    from subtitle_studio.engines.factory import LocalEngines
    from subtitle_studio.gui.app import create_application
    from subtitle_studio.gui.main_window import MainWindow
    from subtitle_studio.gui.responsive import settle_heap
    from subtitle_studio.gui.subtitle_model import COL_START, COL_TEXT

    app = create_application()  # as the application starts it
    rng = random.Random(3)
    unaligned, aligned = [], []
    t = 0.0
    for i in range(rows):
        seg, n = divmod(i, 10)
        row_id = f"{seg}_{n}"
        unaligned.append(
            {"id": row_id, "start": t, "end": t + 2.0, "text": f"Row {i} says something."}
        )
        # Alignment moves every row a little and splits every twentieth in two.
        if i % 20 == 0:
            aligned.append(
                {
                    "id": row_id,
                    "source_id": row_id,
                    "start": t + 0.1,
                    "end": t + 0.9,
                    "text": f"Row {i} says",
                }
            )
            aligned.append(
                {
                    "id": f"{seg}_{n + 100}",
                    "source_id": row_id,
                    "start": t + 1.0,
                    "end": t + 1.8,
                    "text": "something.",
                }
            )
        else:
            aligned.append(
                {
                    "id": row_id,
                    "source_id": row_id,
                    "start": t + 0.1,
                    "end": t + 1.8,
                    "text": f"Row {i} says something.",
                }
            )
        t += 2.1

    store = JobStore()
    record = store.create(Path("/nonexistent/bench.wav"), JobSettings())
    window = MainWindow(store, LocalEngines())
    window.resize(1280, 760)
    window.show()
    settle_heap("started")  # as gui.app.run does
    window.select_job(record.id)
    opened = window.session.document(record.id)
    document, model = opened.document, opened.model
    document.load(unaligned, aligned=False)
    app.processEvents()
    for i in rng.sample(range(rows), edits):
        if i % 2:
            model.setData(model.index(i, COL_TEXT), f"Edited {i}.", Qt.ItemDataRole.EditRole)
        else:
            model.setData(
                model.index(i, COL_START),
                f"{document.rows[i].start + 0.05:.3f}",
                Qt.ItemDataRole.EditRole,
            )
    window.table.scrollTo(model.index(rows // 2, 0))
    window.table.selectRow(rows // 2)
    app.processEvents()

    core_ms, window_ms = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        merge_rows(aligned, document.edits, aligned=True)
        core_ms.append((time.perf_counter() - t0) * 1000)
        document.load(unaligned, aligned=False)
        app.processEvents()
        t0 = time.perf_counter()
        state = window.table.visible_state()
        document.apply_alignment(aligned)
        window.table.restore_visible_state(state)
        app.processEvents()  # the table repaints: part of what the user waits for
        window_ms.append((time.perf_counter() - t0) * 1000)
    window.session.documents.pop(record.id, None)  # nothing to save: a synthetic job
    window.close()
    return {
        "rows": rows,
        "edits": edits,
        "rows_after_merge": len(document),
        "core_merge_ms_median": round(statistics.median(core_ms), 1),
        "window_apply_ms_median": round(statistics.median(window_ms), 1),
        "window_apply_ms_max": round(max(window_ms), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0, help="input length (>= 2,000 rows)")
    parser.add_argument("--media", type=Path, default=REPO.parent / "shared" / "media")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ["SUBTITLE_STUDIO_HOME"] = tempfile.mkdtemp(prefix="gui-bench-", dir=args.out)

    stream = stream_job(args.minutes, args.media, args.out)
    merge = merge_timing(10_000, 500, args.repeats)
    report = {"stream": stream, "merge": merge}
    print(json.dumps(report, indent=1))
    stall_met = "met" if stream["max_stall_ms"] <= 50 else "NOT met"
    merge_met = "met" if merge["window_apply_ms_median"] < 100 else "NOT met"
    print(
        f"\nstreamed {stream['rows_streamed']} rows: longest GUI stall {stream['max_stall_ms']} ms"
    )
    print(f"  (p99 {stream['p99_ms']} ms; goal <= 50 ms: {stall_met})")
    print(f"merge of {merge['rows']} rows with {merge['edits']} edits:")
    core, whole = merge["core_merge_ms_median"], merge["window_apply_ms_median"]
    print(f"  core {core} ms, in the window {whole} ms")
    print(f"  (goal < 100 ms: {merge_met})")
    (args.out / "bench_gui.json").write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
