"""The whole pipeline on real engines: bundled tiny.en, real speech, real files on disk."""

from __future__ import annotations

import json
import random
import shutil
import statistics
from pathlib import Path

import pytest

from subtitle_studio.core.alignment import FALLBACK_ALIGNER, AlignedDoc
from subtitle_studio.core.bus import EventBus, job_channel
from subtitle_studio.core.checkpoint import load_checkpoint
from subtitle_studio.core.control import JobControl
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.pipeline import Pipeline
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.core.subtitle_rules import DEFAULT_RULES
from subtitle_studio.core.transcript import LiveJobs, current_transcript
from subtitle_studio.engines.factory import LocalEngines
from subtitle_studio.engines.models import bundled_model_path
from tests.support.srt_check import check_rules, parse_srt
from tests.support.synth_speech import (
    DEFAULT_SENTENCES,
    build_sentence_audio,
    build_word_audio,
    write_wav,
)
from tests.support.wer import reference_transcript, word_error_rate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def engines(tmp_path_factory: pytest.TempPathFactory) -> LocalEngines:
    """One set of engines for the session, so the model loads once."""
    return LocalEngines(tmp_path_factory.mktemp("engines-home"))


def run_job(
    source: Path, settings: JobSettings, engines: LocalEngines, live: LiveJobs | None = None
):
    store = JobStore()
    record = store.create(source, settings)
    with EventBus(heartbeat_s=3600) as bus:
        sub = bus.subscribe(job_channel(record.id), max_queue=100_000)
        result = Pipeline(store, record.id, engines=engines, bus=bus, live=live).run()
        events = sub.drain()
        sub.close()
    return store, result, events


def assert_event_contract(events) -> None:
    names = [e.name for e in events]
    assert names[0] == "connected"
    seqs = [e.seq for e in events[1:]]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), "seq must strictly increase"
    fragments = [e.data["segment_index"] for e in events if e.name == "fragment"]
    assert fragments == sorted(fragments)
    codes = [e.data["code"] for e in events if e.name == "signal"]
    assert codes[-2:] == ["alignment_ready", "job_complete"]
    progress = [e.data["percent"] for e in events if e.name == "progress"]
    assert progress == sorted(progress), "progress went back"
    last_progress = max(i for i, e in enumerate(events) if e.name == "progress")
    assert events[last_progress].data["percent"] == 100
    assert last_progress < names.index("signal", last_progress) or names[-1] == "signal"


def test_ljspeech_end_to_end(media: Path, engines: LocalEngines) -> None:
    source = media / "en_ljspeech_LJ001-0001_to_0023_concat.flac"
    store, record, events = run_job(source, JobSettings(align_model="none"), engines)
    assert record.status == JobStatus.DONE, record.error
    assert_event_contract(events)

    folder = store.folder(record.id)
    checkpoint = load_checkpoint(folder, record.id)
    assert checkpoint is not None and checkpoint.complete and checkpoint.total_segments >= 5
    assert all(r.model == "tiny.en" for r in checkpoint.results.values())
    aligned = AlignedDoc.load(folder, record.id)
    assert aligned is not None and aligned.aligner == FALLBACK_ALIGNER

    srt = Path(record.output_path).read_text(encoding="utf-8")
    cues = parse_srt(srt)
    check_rules(cues, DEFAULT_RULES)
    assert all(0 <= s < e <= 156.2 for _, s, e, _ in cues)
    text = " ".join(t for *_, t in cues)
    wer = word_error_rate(reference_transcript(media / (source.name + ".txt")), text)
    assert wer <= 0.15, f"word error rate {wer:.3f}"
    # The fragments published live carry the same rows as the checkpoint.
    published = [r for e in events if e.name == "fragment" for r in e.data["segments"]]
    assert [r["id"] for r in published] == [r["id"] for r in checkpoint.rows()]
    saved = json.loads((folder / "job.json").read_text())
    assert saved["status"] == "done" and saved["percent"] == 100


def test_picks_the_better_audio_stream_of_a_two_programme_video(
    media: Path, engines: LocalEngines
) -> None:
    source = media / "en_nasa_13013_video.mp4"
    store, record, _ = run_job(
        source, JobSettings(align_model="none", output_format="vtt"), engines
    )
    assert record.status == JobStatus.DONE, record.error
    assert record.media["audio_stream"] == 4 and record.media["sample_rate"] == 16000
    vtt = Path(record.output_path).read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT")
    reference = reference_transcript(media / (source.name + ".txt")).removeprefix("NAR:")
    words = " ".join(
        line for line in vtt.splitlines() if line and "-->" not in line and line != "WEBVTT"
    )
    assert word_error_rate(reference, words) <= 0.35


def test_whisperx_align_on_its_real_code_path(
    media: Path, engines: LocalEngines, tiny_align_model: Path
) -> None:
    source = media / "jfk.flac"
    settings = JobSettings(align_model=str(tiny_align_model), output_format="json")
    store, record, events = run_job(source, settings, engines)
    assert record.status == JobStatus.DONE, record.error
    aligned = AlignedDoc.load(store.folder(record.id), record.id)
    assert aligned is not None and aligned.aligner == "whisperx"
    assert aligned.model and Path(aligned.model) == tiny_align_model
    raw = json.loads((store.folder(record.id) / "aligned.json").read_text())
    assert raw["word_segments"], "whisperX word times are saved"
    for row in raw["segments"]:
        assert 0 <= row["start"] < row["end"] <= 11.01
        assert row["source_id"].startswith("0_")
    exported = json.loads(Path(record.output_path).read_text())
    text = " ".join(c["text"] for c in exported["cues"])
    assert word_error_rate(reference_transcript(media / "jfk.flac.txt"), text) <= 0.2


def test_cue_boundaries_follow_the_voice(tmp_path: Path, engines: LocalEngines) -> None:
    """Subtitles neither start early nor hang on: measured against speech with exactly known
    sentence onsets and offsets (synthetic sentences joined with pauses)."""
    audio, sentences = build_sentence_audio(DEFAULT_SENTENCES, seed=7)
    wav = tmp_path / "sentences.wav"
    write_wav(wav, audio)
    store, record, _ = run_job(wav, JobSettings(align_model="none"), engines)
    assert record.status == JobStatus.DONE, record.error
    cues = parse_srt(Path(record.output_path).read_text(encoding="utf-8"))

    onset_errors, offset_errors = [], []
    for sentence in sentences:
        overlapping = [
            (s, e) for _, s, e, _ in cues if s < sentence.offset_s and e > sentence.onset_s
        ]
        assert overlapping, f"no cue covers {sentence.text!r}"
        onset_errors.append(abs(min(s for s, _ in overlapping) - sentence.onset_s))
        offset_errors.append(abs(max(e for _, e in overlapping) - sentence.offset_s))
    onset, offset = statistics.median(onset_errors), statistics.median(offset_errors)
    print(f"median onset error {onset * 1000:.0f} ms, offset error {offset * 1000:.0f} ms")
    assert onset <= 0.150
    assert offset <= 0.250


def test_chunks_never_cut_inside_a_word(tmp_path: Path, engines: LocalEngines) -> None:
    """A minute of breathless speech with exactly known word edges and no pause a VAD would
    call silence: every cut the split phase makes must fall between two words."""
    vocabulary = " ".join(DEFAULT_SENTENCES).replace(".", "").replace(",", "").split()
    for seed in (1, 2):
        words = random.Random(seed).sample(vocabulary, 150)
        audio, spoken = build_word_audio(words, seed=seed)
        wav = tmp_path / f"words-{seed}.wav"
        write_wav(wav, audio)
        store, record, _ = run_job(wav, JobSettings(align_model="none", chunk_max_s=10), engines)
        assert record.status == JobStatus.DONE, record.error
        checkpoint = load_checkpoint(store.folder(record.id), record.id)
        cuts = [s.end for s in checkpoint.segments[:-1]]
        assert len(cuts) >= 6, "the test needs cuts inside continuous speech"
        inside = [(cut, w.text) for cut in cuts for w in spoken if w.onset_s < cut < w.offset_s]
        assert not inside, f"chunk cuts inside words: {inside}"


def test_language_detected_on_first_chunk_then_forced(media: Path, engines: LocalEngines) -> None:
    calls: list[str | None] = []

    class Recording:
        def __init__(self, inner) -> None:
            self._inner = inner

        def __getattr__(self, name):
            return getattr(self._inner, name)

        def transcriber(self, settings):
            real = self._inner.transcriber(settings)

            class Spy:
                model_name = real.model_name

                def transcribe(self, audio, **kwargs):
                    calls.append(kwargs["language"])
                    return real.transcribe(audio, **kwargs)

            return Spy()

    source = media / "en_ljspeech_LJ001-0001_to_0023_concat.flac"
    _, record, _ = run_job(source, JobSettings(align_model="none"), Recording(engines))
    assert record.status == JobStatus.DONE
    assert calls[0] is None and len(calls) >= 5
    assert set(calls[1:]) == {"en"}
    assert record.language == "en"


def test_transcript_comes_from_memory_while_running_then_from_disk(
    media: Path, engines: LocalEngines
) -> None:
    live = LiveJobs()
    store = JobStore()
    record = store.create(
        media / "en_librivox_shakespeare_sonnet001.mp3", JobSettings(align_model="none")
    )
    seen: list[str] = []
    with EventBus(heartbeat_s=3600) as bus:

        def on_event() -> None:
            # Called from the pipeline thread right after each event: the job is live.
            if live.get(record.id) is not None:
                seen.append(current_transcript(store, record.id, live)["source"])

        sub = bus.subscribe(job_channel(record.id), on_event=on_event)
        assert current_transcript(store, record.id, live)["source"] == "none"
        result = Pipeline(store, record.id, engines=engines, bus=bus, live=live).run()
        sub.close()
    assert result.status == JobStatus.DONE
    assert seen and set(seen) == {"memory"}
    after = current_transcript(store, record.id, live)
    assert after["source"] == "aligned" and after["segments"] and after["language"] == "en"
    (store.folder(record.id) / "aligned.json").unlink()
    assert current_transcript(store, record.id, live)["source"] == "checkpoint"


class PauseAfter:
    """Follows a job from the pipeline thread and pauses it after ``fragments`` chunks."""

    def __init__(self, bus: EventBus, job_id: str, control: JobControl, fragments: int) -> None:
        self.control, self.fragments, self.seen = control, fragments, 0
        self.sub = bus.subscribe(job_channel(job_id), on_event=self._on_event)

    def _on_event(self) -> None:
        # The first call (for ``connected``) comes from inside subscribe(), before self.sub exists.
        for event in self.sub.drain() if hasattr(self, "sub") else []:
            self.seen += event.name == "fragment"
            if self.seen == self.fragments:
                self.control.pause()


def test_changing_the_model_on_resume_is_recorded_per_chunk(
    tmp_path: Path, media: Path, engines: LocalEngines
) -> None:
    """A user who notices the wrong model after some chunks switches: the remaining chunks
    use the new model, each chunk says which model made it, and on request the finished
    chunks are redone with the new one."""
    other_model = tmp_path / "tiny-en-copy"
    shutil.copytree(bundled_model_path(), other_model)
    store = JobStore()
    source = media / "en_librivox_shakespeare_sonnet001.mp3"
    record = store.create(source, JobSettings(align_model="none", chunk_max_s=10))

    control = JobControl()
    with EventBus(heartbeat_s=3600) as bus:
        PauseAfter(bus, record.id, control, fragments=2)
        paused = Pipeline(store, record.id, engines=engines, bus=bus, control=control).run()
    assert paused.status == JobStatus.PAUSED
    first = load_checkpoint(store.folder(record.id), record.id)
    done_first = set(first.processed_indices)
    assert len(done_first) == 2 and not first.complete

    paused.settings = paused.settings.replace(model=str(other_model))
    store.save(paused)
    with EventBus(heartbeat_s=3600) as bus:
        mixed = Pipeline(store, record.id, engines=engines, bus=bus).run()
    assert mixed.status == JobStatus.DONE, mixed.error
    checkpoint = load_checkpoint(store.folder(record.id), record.id)
    models = {i: r.model for i, r in checkpoint.results.items()}
    assert {models[i] for i in done_first} == {"tiny.en"}
    assert {m for i, m in models.items() if i not in done_first} == {str(other_model)}

    with EventBus(heartbeat_s=3600) as bus:
        sub = bus.subscribe(job_channel(record.id), max_queue=100_000)
        redone = Pipeline(store, record.id, engines=engines, bus=bus, redo_other_models=True).run()
        fragments = sorted(e.data["segment_index"] for e in sub.drain() if e.name == "fragment")
        sub.close()
    assert redone.status == JobStatus.DONE, redone.error
    assert fragments == sorted(done_first), "only the chunks of the old model are redone"
    checkpoint = load_checkpoint(store.folder(record.id), record.id)
    assert {r.model for r in checkpoint.results.values()} == {str(other_model)}
