"""Pause and cancel in every phase (SPEC §4), on the real engines.

"Pause takes effect at the next chunk boundary (and between phases); cancel also
interrupts alignment. A paused or canceled job keeps its checkpoint." And resuming
never redoes finished work (SPEC §2): no second decode, no chunk transcribed twice, no
second alignment once ``aligned.json`` is complete.

Each request is made from inside the phase's own engine work (the first cancel check
the engine runs, or for the srt phase, which has no engine, its first progress event),
so it lands in that phase every time. Pauses are checked elsewhere too: after a number
of chunks (tests/core/test_pipeline.py), by Ctrl-C (tests/cli) and from the window
(tests/gui); this file covers the phases those leave out, and cancel inside alignment.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from subtitle_studio.core.alignment import AlignedDoc
from subtitle_studio.core.audio_store import audio_path
from subtitle_studio.core.bus import EventBus, job_channel
from subtitle_studio.core.checkpoint import load_checkpoint
from subtitle_studio.core.control import JobControl
from subtitle_studio.core.jobstore import JobRecord, JobStore
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.pipeline import Pipeline
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.engines.factory import LocalEngines

pytestmark = pytest.mark.slow

JFK = "jfk.flac"
LJ = "en_ljspeech_LJ001-0001_to_0023_concat.flac"
#: The longest a cancel may take to stop a job mid-alignment.
CANCEL_WITHIN_S = 1.0


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> LocalEngines:
    """One set of engines for the file, so each model loads once."""
    return LocalEngines(tmp_path_factory.mktemp("engines-home"))


@pytest.fixture(scope="module")
def settings(tiny_align_model: Path) -> JobSettings:
    """JFK's 11 s in three chunks of at most 5 s, aligned by whisperX's real code path."""
    return JobSettings(chunk_max_s=5, align_model=str(tiny_align_model))


class SpyEngines:
    """The real engines, with every piece of work recorded, and ``when(phase, action)``
    to run ``action`` once from inside that phase's engine work: at the first cancel
    check the engine makes (for ``transcribe``, inside chunk ``chunk``)."""

    def __init__(self, inner: LocalEngines) -> None:
        self.inner = inner
        self.calls: list[tuple[str, int | None]] = []
        self._hooks: dict[str, tuple[int | None, Callable[[], None]]] = {}

    def when(self, phase: str, action: Callable[[], None], chunk: int | None = None) -> None:
        self._hooks[phase] = (chunk, action)

    def done(self, kind: str) -> list[int | None]:
        return [index for name, index in self.calls if name == kind]

    def _check(self, phase: str, chunk: int | None, check: Callable[[], None]):
        def checked() -> None:
            hook = self._hooks.get(phase)
            if hook is not None and hook[0] in (None, chunk):
                del self._hooks[phase]
                hook[1]()
            check()

        return checked

    def resolve_model(self, setting: str, language: str) -> str:
        return self.inner.resolve_model(setting, language)

    def extract(self, source: Path, dest: Path, on_progress, check):
        self.calls.append(("extract", None))
        return self.inner.extract(source, dest, on_progress, self._check("extract", None, check))

    def speech_map(self, audio, use_vad: bool, on_progress, check):
        self.calls.append(("speech_map", None))
        return self.inner.speech_map(audio, use_vad, on_progress, self._check("split", None, check))

    def transcriber(self, settings: JobSettings):
        return _SpyTranscriber(self.inner.transcriber(settings), self)

    def aligner(self, settings: JobSettings, language: str):
        real = self.inner.aligner(settings, language)
        return None if real is None else _SpyAligner(real, self)


class _SpyTranscriber:
    def __init__(self, real: Any, spy: SpyEngines) -> None:
        self._real, self._spy = real, spy
        self.model_name = real.model_name

    def transcribe(self, audio, *, segment_index: int, check, **kwargs):
        self._spy.calls.append(("transcribe", segment_index))
        check = self._spy._check("transcribe", segment_index, check)
        return self._real.transcribe(audio, segment_index=segment_index, check=check, **kwargs)


class _SpyAligner:
    def __init__(self, real: Any, spy: SpyEngines) -> None:
        self._real, self._spy = real, spy
        self.name, self.model_name = real.name, real.model_name

    def align_chunk(self, audio, offset_s: float, rows, check):
        chunk = int(rows[0]["id"].split("_")[0])
        self._spy.calls.append(("align", chunk))
        checked = self._spy._check("align", chunk, check)
        pieces = self._real.align_chunk(audio, offset_s, rows, checked)
        self._spy.calls.append(("aligned", chunk))
        return pieces


@dataclass
class Run:
    record: JobRecord
    signals: list[str]
    percents: list[float]


def run_job(
    store: JobStore,
    job_id: str,
    engines: Any,
    control: JobControl | None = None,
    on_progress: Callable[[dict], None] | None = None,
) -> Run:
    """Run the job to an end state on this thread; its signals and progress."""
    events: list = []
    subscription: list = []

    def follow() -> None:
        # Called on the pipeline's thread right after each event; the first call (for
        # ``connected``) comes from inside subscribe(), before there is anything to drain.
        for event in subscription[0].drain() if subscription else []:
            events.append(event)
            if on_progress is not None and event.name == "progress":
                on_progress(event.data)

    with EventBus(heartbeat_s=3600) as bus:
        sub = bus.subscribe(job_channel(job_id), max_queue=100_000, on_event=follow)
        subscription.append(sub)
        record = Pipeline(store, job_id, engines=engines, bus=bus, control=control).run()
        events.extend(sub.drain())
        sub.close()
    return Run(
        record,
        [e.data["code"] for e in events if e.name == "signal"],
        [e.data["percent"] for e in events if e.name == "progress"],
    )


def new_job(store: JobStore, media: Path, tmp_path: Path, settings: JobSettings, name=JFK):
    return store.create(media / name, settings, output_path=tmp_path / "out.srt")


@pytest.fixture(scope="module")
def reference_srt(
    media: Path, engines: LocalEngines, settings: JobSettings, tmp_path_factory
) -> str:
    """The subtitles of the same job run without interruption."""
    home = tmp_path_factory.mktemp("reference")
    store = JobStore(home)
    record = store.create(media / JFK, settings, output_path=home / "reference.srt")
    done = run_job(store, record.id, engines)
    assert done.record.status == JobStatus.DONE, done.record.error
    return (home / "reference.srt").read_text(encoding="utf-8")


def audio_identity(store: JobStore, job_id: str) -> tuple[int, int, int]:
    stat = audio_path(store.folder(job_id)).stat()
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


# -- pause in each phase, then resume ------------------------------------------------------

#: phase → the chunk the request lands in (``None``: the phase's first engine check).
PAUSES = {
    "extract": None,
    "split": None,
    "transcribe": 1,  # inside the second of three chunks
    "align": None,
}


@pytest.mark.parametrize("phase", list(PAUSES))
def test_a_pause_lands_at_the_next_boundary_and_resume_redoes_nothing(
    phase: str,
    tmp_path: Path,
    media: Path,
    engines: LocalEngines,
    settings: JobSettings,
    reference_srt: str,
) -> None:
    store = JobStore()
    record = new_job(store, media, tmp_path, settings)
    folder = store.folder(record.id)
    control = JobControl()
    first = SpyEngines(engines)
    first.when(phase, control.pause, chunk=PAUSES[phase])

    paused = run_job(store, record.id, first, control)

    assert paused.record.status == JobStatus.PAUSED, paused.record.error
    assert paused.signals[-1] == "job_paused" and "job_complete" not in paused.signals
    assert paused.percents == sorted(paused.percents), "progress went back"
    saved = store.get(record.id)
    assert saved.status == JobStatus.PAUSED and saved.phase == phase, "stopped in the phase"
    assert not (tmp_path / "out.srt").exists()
    # The phase in progress ran to its end (a chunk to its end) and its work is saved.
    assert first.done("extract") == [None]
    assert saved.media and saved.media["samples"] > 10 * 16_000, "the whole audio is stored"
    checkpoint = load_checkpoint(folder, record.id)
    if phase == "extract":
        assert checkpoint is None and first.done("speech_map") == []
    else:
        assert checkpoint is not None and checkpoint.total_segments == 3
        expected = {"split": [], "transcribe": [0, 1], "align": [0, 1, 2]}[phase]
        assert checkpoint.processed_indices == expected
        assert first.done("transcribe") == expected, "no chunk started after the pause"
    aligned = AlignedDoc.load(folder, record.id)
    assert (aligned is not None) == (phase == "align")
    if phase == "align":
        assert first.done("align") == [0, 1, 2] and checkpoint.phase == "srt"
        aligned_bytes = (folder / "aligned.json").read_bytes()
    decoded = audio_identity(store, record.id)
    done_chunks = set(checkpoint.processed_indices) if checkpoint else set()

    again = SpyEngines(engines)
    resumed = run_job(store, record.id, again, JobControl())

    assert resumed.record.status == JobStatus.DONE, resumed.record.error
    assert again.done("extract") == [] and audio_identity(store, record.id) == decoded
    assert again.done("speech_map") == ([None] if phase == "extract" else [])
    redone = set(again.done("transcribe")) & done_chunks
    assert not redone, f"chunks {redone} were transcribed again"
    assert sorted(again.done("transcribe")) == sorted({0, 1, 2} - done_chunks)
    if phase == "align":
        assert again.done("align") == [], "aligned again"
        assert (folder / "aligned.json").read_bytes() == aligned_bytes
    assert (tmp_path / "out.srt").read_text(encoding="utf-8") == reference_srt


def test_pause_at_once_drops_only_the_chunk_in_progress(
    tmp_path: Path,
    media: Path,
    engines: LocalEngines,
    settings: JobSettings,
    reference_srt: str,
) -> None:
    """The second Ctrl-C, or closing the window: the chunk in progress is given up (and
    redone on resume); every chunk before it is kept."""
    store = JobStore()
    record = new_job(store, media, tmp_path, settings)
    control = JobControl()
    first = SpyEngines(engines)
    first.when("transcribe", control.pause_now, chunk=1)

    paused = run_job(store, record.id, first, control)

    assert paused.record.status == JobStatus.PAUSED
    assert load_checkpoint(store.folder(record.id), record.id).processed_indices == [0]
    again = SpyEngines(engines)
    resumed = run_job(store, record.id, again, JobControl())
    assert resumed.record.status == JobStatus.DONE, resumed.record.error
    assert again.done("transcribe") == [1, 2] and again.done("extract") == []
    assert (tmp_path / "out.srt").read_text(encoding="utf-8") == reference_srt


def test_a_pause_during_the_last_phase_lets_the_job_finish(
    tmp_path: Path, media: Path, engines: LocalEngines, settings: JobSettings
) -> None:
    """The srt phase is the last: there is no boundary after it to stop at, and nothing
    would be left to resume, so the job completes rather than pausing at 100 %."""
    store = JobStore()
    record = new_job(store, media, tmp_path, settings)
    control = JobControl()

    def pause_in_srt(progress: dict) -> None:
        if progress["phase"] == "srt":
            control.pause()

    finished = run_job(store, record.id, SpyEngines(engines), control, on_progress=pause_in_srt)

    assert control.pause_requested, "the request was made"
    assert finished.record.status == JobStatus.DONE, finished.record.error
    assert finished.signals[-1] == "job_complete" and "job_paused" not in finished.signals
    assert (tmp_path / "out.srt").is_file()
    assert load_checkpoint(store.folder(record.id), record.id).phase == "done"


# -- cancel inside alignment ---------------------------------------------------------------


def test_cancel_interrupts_alignment_within_a_second_and_keeps_the_checkpoint(
    tmp_path: Path, media: Path, engines: LocalEngines, tiny_align_model: Path
) -> None:
    """LJ Speech's 156 s in seven chunks take whisperX over a second to align with the
    tiny model; the user cancels from another thread (as the window does) while the
    aligner works on the second chunk."""
    store = JobStore()
    settings = JobSettings(chunk_max_s=30, align_model=str(tiny_align_model))
    record = new_job(store, media, tmp_path, settings, name=LJ)
    folder = store.folder(record.id)
    control = JobControl()
    spy = SpyEngines(engines)
    aligning = threading.Event()
    align_started: list[float] = []

    def in_alignment() -> None:
        align_started.append(time.monotonic())
        aligning.set()

    spy.when("align", in_alignment, chunk=1)
    outcome: list[Run] = []
    worker = threading.Thread(
        target=lambda: outcome.append(run_job(store, record.id, spy, control)),
        name="pipeline-under-test",
    )
    worker.start()
    try:
        assert aligning.wait(timeout=300), "alignment never started"
        asked = time.monotonic()
        control.cancel()
        worker.join(timeout=30)
        latency = time.monotonic() - asked
    finally:
        control.cancel()
        worker.join(timeout=60)
    assert not worker.is_alive()
    print(f"cancel during alignment stopped the job in {latency * 1000:.0f} ms")
    assert latency < CANCEL_WITHIN_S

    [canceled] = outcome
    assert canceled.record.status == JobStatus.CANCELED, canceled.record.error
    assert canceled.signals[-1] == "job_canceled"
    checkpoint = load_checkpoint(folder, record.id)
    assert checkpoint is not None and checkpoint.complete, "the transcribed chunks are kept"
    chunks_with_rows = [i for i, r in checkpoint.results.items() if r.segments]
    assert spy.done("align") == chunks_with_rows[:2], "it stopped in the second chunk"
    assert spy.done("aligned") == chunks_with_rows[:1], "and did not finish aligning it"
    assert not (folder / "aligned.json").exists() and not (tmp_path / "out.srt").exists()
    saved = store.get(record.id)
    assert saved.status == JobStatus.CANCELED and saved.phase == "align"
    assert audio_path(folder).is_file()
