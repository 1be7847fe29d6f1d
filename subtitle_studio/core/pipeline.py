"""The pipeline (SPEC §2): extract → split → transcribe → align → srt, resumable.

``Pipeline.run`` drives one job to an end state — done, paused, canceled or
failed — and never raises for anything the user did or fed it. Every finished
piece of work is on disk before it is announced, so a crash at any instant
resumes without redoing it: the audio is decoded once, each chunk is
checkpointed before its ``fragment`` event, alignment is saved before
``alignment_ready``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from subtitle_studio.core.alignment import (
    FALLBACK_ALIGNER,
    AlignedDoc,
    Piece,
    build_rows,
    fallback_pieces,
)
from subtitle_studio.core.atomic import remove_stale_temporaries
from subtitle_studio.core.audio_store import StoredAudio, audio_path, open_stored_audio
from subtitle_studio.core.bus import EventBus, job_channel
from subtitle_studio.core.checkpoint import (
    Checkpoint,
    ChunkResult,
    load_checkpoint,
    save_checkpoint,
)
from subtitle_studio.core.chunking import plan_chunks
from subtitle_studio.core.control import JobControl
from subtitle_studio.core.document_align import DOCUMENT_MARGIN_S, DocumentAligner, keep_rows
from subtitle_studio.core.edits import Edits
from subtitle_studio.core.engine_api import Engines, Transcriber
from subtitle_studio.core.jobstore import JobRecord, JobStore
from subtitle_studio.core.merge import merge_rows
from subtitle_studio.core.phases import JobStatus, Phase, overall_percent
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.core.speech import SPEECH_FILE, Loudness, SpeechEdges, SpeechMap
from subtitle_studio.core.subtitle_rules import DEFAULT_RULES, Cue, LineRules, finish_cues
from subtitle_studio.core.transcript import LiveJob, LiveJobs
from subtitle_studio.core.writers import write_subtitles
from subtitle_studio.errors import Cancelled, JobError, Paused, StorageError, StudioError

log = logging.getLogger(__name__)

SUBTITLE_BASENAME = "subtitles"


class Pipeline:
    """Runs one job. Create one per run; ``run`` is meant for a worker thread."""

    def __init__(
        self,
        store: JobStore,
        job_id: str,
        *,
        engines: Engines,
        bus: EventBus,
        control: JobControl | None = None,
        live: LiveJobs | None = None,
        rules: LineRules = DEFAULT_RULES,
        redo_other_models: bool = False,
    ) -> None:
        self.store = store
        self.job_id = job_id
        self.engines = engines
        self.bus = bus
        self.control = control or JobControl()
        self.live = live or LiveJobs()
        self.rules = rules
        self.redo_other_models = redo_other_models
        self.channel = job_channel(job_id)
        self.folder = store.folder(job_id)
        self._percent = 0.0
        self._phase: Phase = Phase.EXTRACT
        self._live = LiveJob(job_id)

    # -- events ------------------------------------------------------------------
    def _progress(
        self, phase: Phase, fraction: float, message: str, processed: int = 0, total: int = 0
    ) -> None:
        percent = max(self._percent, overall_percent(phase, fraction))
        self._percent = percent
        self._phase = phase
        self._live.set_progress(str(phase), percent)
        self.bus.publish(
            self.channel,
            "progress",
            {
                "phase": str(phase),
                "percent": percent,
                "message": message,
                "processed": processed,
                "total": total,
            },
        )

    def _signal(self, code: str, message: str, **extra: Any) -> None:
        self.bus.publish(self.channel, "signal", {"code": code, "message": message, **extra})

    def _save_record(self, record: JobRecord) -> None:
        record.phase = str(self._phase)
        record.percent = self._percent
        self.store.save(record)

    # -- the run -----------------------------------------------------------------
    def run(self) -> JobRecord:
        """Run the job to an end state; the returned record says which."""
        lock = self.store.lock_for(self.job_id)
        try:
            acquired = lock.try_acquire()
        except OSError as exc:
            raise StorageError.from_oserror(exc, lock.path) from exc
        if not acquired:
            raise JobError(
                "Job {job_id} is already running in another window or process.", job_id=self.job_id
            )
        self._live = self.live.register(self.job_id)
        remove_stale_temporaries(self.folder)  # we hold the lock: no writer is mid-write
        try:
            record = self.store.get(self.job_id)
            return self._run_locked(record)
        finally:
            self.live.unregister(self.job_id)
            lock.release()

    def _run_locked(self, record: JobRecord) -> JobRecord:
        record.status = JobStatus.RUNNING
        record.error = None
        self._percent = 0.0
        try:
            self._save_record(record)
            self._progress(Phase.EXTRACT, 0.0, "Starting")
            self._execute(record)
        except Paused:
            record.status = JobStatus.PAUSED
            self._finish(record, "job_paused", "Paused; resume to continue where it stopped.")
        except Cancelled:
            record.status = JobStatus.CANCELED
            self._finish(record, "job_canceled", "Canceled; the work done so far is kept.")
        except StudioError as exc:
            self._fail(record, exc.to_dict())
        except Exception as exc:  # a bug: keep the job resumable and say so plainly
            log.exception("job %s failed unexpectedly", self.job_id)
            bug = StudioError("Unexpected error: {error}. The log has the details.", error=exc)
            self._fail(record, {**bug.to_dict(), "code": "internal_error"})
        return record

    def _finish(self, record: JobRecord, code: str, message: str, **extra: Any) -> None:
        try:
            self._save_record(record)
        except StorageError as exc:
            log.error("could not save job %s: %s", self.job_id, exc)
        self._signal(code, message, **extra)

    def _fail(self, record: JobRecord, error: dict[str, Any]) -> None:
        """Record and announce a failure; ``error`` is ``StudioError.to_dict()``: the English
        message and, for the window's translation, its template and parameters."""
        message = error["message"]
        log.error("job %s failed: %s", self.job_id, message)
        record.status = JobStatus.FAILED
        record.error = error
        self.bus.publish(self.channel, "error", dict(error))
        translatable = {k: error[k] for k in ("template", "params") if k in error}
        self._finish(record, "job_failed", message, **translatable)

    def _execute(self, record: JobRecord) -> None:
        settings = record.settings
        resolved = self.engines.resolve_model(settings.model, settings.language)
        if resolved != settings.model:
            settings = record.settings = settings.replace(model=resolved)

        audio = self._extract(record)
        self.control.check_boundary()
        checkpoint = self._split(record, audio, settings)
        self.control.check_boundary()
        self._transcribe(record, audio, checkpoint, settings)
        self.control.check_boundary()
        aligned = self._align(record, audio, checkpoint, settings)
        self.control.check_boundary()
        output = self._write(record, aligned, settings)

        checkpoint.phase = "done"
        save_checkpoint(self.folder, checkpoint)
        # job.json says "done" last: a crash before then leaves a job that resumes (and
        # clears half-written files), never a done job beside a stale checkpoint.
        record.status = JobStatus.DONE
        self._progress(Phase.SRT, 1.0, "Done", 1, 1)
        self._save_record(record)
        message = f"Subtitles written to {output}"
        if not aligned.segments:
            message = f"No speech was found; the subtitle file {output} is empty."
        self._signal("job_complete", message, output=str(output))

    # -- phases ------------------------------------------------------------------
    def _extract(self, record: JobRecord) -> StoredAudio:
        stored = open_stored_audio(self.folder) if record.media else None
        if stored is not None:
            self._progress(Phase.EXTRACT, 1.0, "Audio already extracted")
            return stored
        self._progress(Phase.EXTRACT, 0.0, "Extracting audio")
        stored, media = self.engines.extract(
            Path(record.source),
            audio_path(self.folder),
            lambda f: self._progress(Phase.EXTRACT, f, "Extracting audio"),
            self.control.check_cancel,
        )
        record.media = {**media, "samples": stored.num_samples}
        self._progress(Phase.EXTRACT, 1.0, "Audio extracted")
        self._save_record(record)
        return stored

    def _speech_map(self, audio: StoredAudio, settings: JobSettings, phase: Phase) -> SpeechMap:
        saved = SpeechMap.load(self.folder / SPEECH_FILE)
        if saved is not None:
            return saved
        speech = self.engines.speech_map(
            audio,
            settings.vad,
            lambda f: self._progress(phase, 0.9 * f, "Finding pauses"),
            self.control.check_cancel,
        )
        speech.save(self.folder / SPEECH_FILE)
        return speech

    def _split(self, record: JobRecord, audio: StoredAudio, settings: JobSettings) -> Checkpoint:
        checkpoint = load_checkpoint(self.folder, self.job_id)
        if checkpoint is not None:
            self._progress(Phase.SPLIT, 1.0, f"{checkpoint.total_segments} chunks already planned")
            return checkpoint
        self._progress(Phase.SPLIT, 0.0, "Finding pauses")
        speech = self._speech_map(audio, settings, Phase.SPLIT)
        regions = speech.regions(min_silence_s=settings.chunk_min_silence_ms / 1000)
        loudness = Loudness.of(audio)
        spans = plan_chunks(
            regions, audio.duration, max_s=settings.chunk_max_s, quiet=loudness.quietest
        )
        checkpoint = Checkpoint(
            job_id=self.job_id,
            segments=spans,
            original_settings=settings.to_dict(),
        )
        save_checkpoint(self.folder, checkpoint)
        self._progress(Phase.SPLIT, 1.0, f"{len(spans)} chunks planned", 0, len(spans))
        self._save_record(record)
        return checkpoint

    def _transcribe(
        self, record: JobRecord, audio: StoredAudio, checkpoint: Checkpoint, settings: JobSettings
    ) -> None:
        if self.redo_other_models:
            stale = [i for i, r in checkpoint.results.items() if r.model != settings.model]
            for index in stale:
                del checkpoint.results[index]
            if stale:
                checkpoint.phase = "transcribe"
                log.info("redoing %d chunk(s) with %s", len(stale), settings.model)
        total = checkpoint.total_segments
        total_ms = sum(s.end_ms - s.start_ms for s in checkpoint.segments) or 1
        done_ms = sum(
            s.end_ms - s.start_ms for s in checkpoint.segments if s.index in checkpoint.results
        )
        language = settings.language if settings.language != "auto" else checkpoint.language()
        for index in checkpoint.processed_indices:
            saved = checkpoint.results[index]
            self._live.add_chunk(index, saved.language, saved.segments)
        self._progress(
            Phase.TRANSCRIBE, done_ms / total_ms, "Transcribing", len(checkpoint.results), total
        )

        pending = checkpoint.pending()
        transcriber: Transcriber | None = None
        for span in pending:
            self.control.check_boundary()
            if transcriber is None:
                transcriber = self.engines.transcriber(settings)
            samples = audio.read_seconds(span.start, span.end)
            transcript = transcriber.transcribe(
                samples,
                offset_s=span.start,
                segment_index=span.index,
                language=language,
                task=settings.task,
                beam_size=settings.beam_size,
                word_timestamps=settings.word_timestamps,
                check=self.control.check_cancel,
            )
            if language is None:
                language = transcript.language
                log.info("job %s: language detected as %s", self.job_id, language)
            checkpoint.results[span.index] = ChunkResult(
                span.index, language, transcriber.model_name, transcript.rows
            )
            save_checkpoint(self.folder, checkpoint)
            self._live.add_chunk(span.index, language, transcript.rows)
            self.bus.publish(
                self.channel,
                "fragment",
                {
                    "segment_index": span.index,
                    "language": language,
                    "segments": [
                        {"id": r["id"], "start": r["start"], "end": r["end"], "text": r["text"]}
                        for r in transcript.rows
                    ],
                },
            )
            done_ms += span.end_ms - span.start_ms
            processed = len(checkpoint.results)
            self._progress(
                Phase.TRANSCRIBE,
                done_ms / total_ms,
                f"Transcribed chunk {processed} of {total}",
                processed,
                total,
            )
            if record.language != language:
                record.language = language
            self._save_record(record)
        if record.language is None:
            record.language = language or (
                settings.language if settings.language != "auto" else None
            )

    def _align(
        self, record: JobRecord, audio: StoredAudio, checkpoint: Checkpoint, settings: JobSettings
    ) -> AlignedDoc:
        language = record.language or checkpoint.language() or "en"
        existing = self._load_aligned()
        if existing is not None and checkpoint.phase in ("srt", "done"):
            self._progress(Phase.ALIGN, 1.0, "Already aligned")
            self._live.set_aligned(existing.language, existing.segments, existing.word_segments)
            return existing

        self._progress(Phase.ALIGN, 0.0, "Aligning")
        aligner = self.engines.aligner(settings, language) if checkpoint.results else None
        # An opened subtitle file keeps its rows and text; only its times are improved.
        document = getattr(record, "document", None) is not None
        if document:
            heard_in = language if language != "und" else None
            aligner = DocumentAligner(
                aligner, lambda: self.engines.transcriber(settings), language=heard_in
            )
        pieces: list[Piece] = []
        total = max(1, len(checkpoint.results))
        for n, index in enumerate(checkpoint.processed_indices):
            self.control.check_cancel()
            rows = checkpoint.results[index].segments
            if aligner is not None and rows:
                span = checkpoint.segments[index]
                # A document's rows may be seconds from their speech: hear around them.
                margin = DOCUMENT_MARGIN_S if document else 0.0
                start = max(0.0, span.start - margin)
                samples = audio.read_seconds(start, span.end + margin)
                pieces.extend(aligner.align_chunk(samples, start, rows, self.control.check_cancel))
            else:
                pieces.extend(fallback_pieces(rows))
            self._progress(Phase.ALIGN, 0.9 * (n + 1) / total, "Aligning", n + 1, total)

        edges = SpeechEdges.from_map(self._speech_map(audio, settings, Phase.ALIGN))
        if document:
            texts = {r["id"]: r["text"] for r in checkpoint.rows()}
            snap = aligner.rows_to_snap() if isinstance(aligner, DocumentAligner) else None
            rows = keep_rows(pieces, texts, edges=edges, snap=snap)
        else:
            rows = build_rows(pieces, rules=self.rules, edges=edges)
        doc = AlignedDoc(
            job_id=self.job_id,
            language=language,
            aligner=aligner.name if aligner is not None else FALLBACK_ALIGNER,
            model=aligner.model_name if aligner is not None else None,
            segments=rows,
        )
        self.control.check_cancel()
        doc.save(self.folder)
        checkpoint.phase = "srt"
        save_checkpoint(self.folder, checkpoint)
        self._live.set_aligned(language, rows, doc.word_segments)
        self._progress(Phase.ALIGN, 1.0, f"Aligned with {doc.aligner}", total, total)
        self._save_record(record)
        self._signal("alignment_ready", f"Alignment finished ({doc.aligner}).", aligner=doc.aligner)
        self.control.wait_for_merge()
        return doc

    def _load_aligned(self) -> AlignedDoc | None:
        try:
            return AlignedDoc.load(self.folder, self.job_id)
        except StudioError as exc:
            log.warning("%s", exc)
            return None

    def _write(self, record: JobRecord, aligned: AlignedDoc, settings: JobSettings) -> Path:
        self._progress(Phase.SRT, 0.0, "Writing subtitles")
        edits = Edits.load(self.folder, self.job_id)
        merged = merge_rows(aligned.segments, edits, aligned=True)
        rules = self._rules_for(record)
        cues = finish_cues([Cue(r["start"], r["end"], r["text"]) for r in merged], rules)
        fmt = settings.output_format
        write_subtitles(
            self.folder / f"{SUBTITLE_BASENAME}.{fmt}", cues, fmt, language=aligned.language
        )
        self._progress(Phase.SRT, 0.5, "Writing subtitles")
        output = (
            Path(record.output_path)
            if record.output_path
            else self.folder / f"{SUBTITLE_BASENAME}.{fmt}"
        )
        if output.suffix.lower() != f".{fmt}" and record.output_path:
            output = output.with_suffix(f".{fmt}")
        if output.parent != self.folder:
            write_subtitles(output, cues, fmt, language=aligned.language)
        record.output_path = str(output)
        return output

    def _rules_for(self, record: JobRecord) -> LineRules:
        """The line rules, with the minimum gap measured in the video's own frames."""
        fps = (record.media or {}).get("fps")
        if fps and fps > 0 and fps != self.rules.frame_rate:
            from dataclasses import replace

            return replace(self.rules, frame_rate=float(fps))
        return self.rules
