"""Forced alignment of transcribed rows with whisperX's real ``align`` code path.

The pipeline hands this engine one chunk of audio and the rough rows faster-whisper
produced for it; the engine returns the rows with word-level times from a wav2vec2 CTC
model. It stays thin on purpose: whisperX does the alignment, and this module only

* loads the model offline, turning every failure into one :class:`ModelError` line;
* feeds whisperX chunk-local times and numpy samples (``whisperx.load_audio`` would
  need an ``ffmpeg`` program, which is not installed);
* aligns one row per call, so each sentence whisperX splits off keeps its source row;
* makes the output safe to store: plain floats rounded to milliseconds, every word
  with a start and an end, rows whisperX cannot align kept with their original times;
* lets the user cancel mid-alignment: ``check()`` runs between rows, from whisperX's
  progress callback, and before every layer of the model's forward pass, because one
  long row on a large model can take seconds on a CPU.

torch and whisperX are imported in :class:`WhisperXAligner`'s constructor, not at the top,
so importing this module costs nothing until alignment is actually wanted.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from subtitle_studio.engines.punkt import cache_sentence_splitter, ensure_punkt_tab
from subtitle_studio.errors import AlignmentError, Interrupted, ModelError

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000


@dataclass(frozen=True)
class AlignedPiece:
    """One aligned output row. Times are global seconds, plain floats rounded to ms.

    ``words`` holds ``{"word", "start", "end", "score"}`` dicts; every word has times
    (score 0.0 marks a word whose times were estimated rather than aligned).
    """

    source_id: str
    start: float
    end: float
    text: str
    words: list[dict]


class _CancelProbe:
    """The current ``check`` callable, reachable from hooks on the model's layers."""

    def __init__(self) -> None:
        self.check: Callable[[], None] | None = None

    def __call__(self, *_args: Any) -> None:
        check = self.check
        if check is not None:
            check()


class WhisperXAligner:
    """Aligns rows to audio with a wav2vec2 CTC model through ``whisperx.align``.

    One instance holds one loaded model; use it from one thread at a time (calls
    from several threads are serialised).
    """

    name = "whisperx"

    def __init__(
        self,
        model_ref: str,
        language: str,
        *,
        device: str = "cpu",
        data_dir: Path,
        cache_dir: Path | None = None,
        threads: int | None = None,
    ) -> None:
        """Load the model; raise :class:`ModelError` with a message a user can act on.

        ``model_ref`` is a folder written by ``save_pretrained`` (a ``Wav2Vec2ForCTC``
        with its ``Wav2Vec2Processor``) or a hub id already in the local cache
        (``cache_dir``, else the default Hugging Face cache); nothing is downloaded.
        ``data_dir`` is a private folder for NLTK data (the sentence splitter whisperX
        needs). ``threads``, when given, sets torch's CPU thread count — a
        process-wide setting, so it is left alone by default.
        """
        self.language = language
        self.model_name = str(model_ref)
        self._data_dir = Path(data_dir)
        self._lock = threading.Lock()
        self._probe = _CancelProbe()
        what = f'the alignment model "{model_ref}" for language "{language}"'  # for the log

        model_name, is_folder = self._check_local_folder(str(model_ref), language)
        try:
            import torch
            import whisperx
            from whisperx import alignment
            from whisperx.utils import PUNKT_LANGUAGES
        except ImportError as exc:
            raise ModelError(
                'Cannot load the alignment model "{model}" for language "{language}": '
                "whisperX is not installed properly ({error}). Reinstall Subtitle Studio.",
                model=model_ref,
                language=language,
                error=exc,
            ) from exc
        _route_whisperx_logging()
        self._alignment = alignment
        self._device = self._resolve_device(device, torch)
        if threads:
            torch.set_num_threads(int(threads))

        # whisperX splits each aligned row into sentences with NLTK's Punkt model for
        # this language (English when it has none); without the data it would download.
        self._punkt_language = PUNKT_LANGUAGES.get(language, "english")
        try:
            folder = ensure_punkt_tab(self._data_dir, self._punkt_language)
        except ModelError:
            raise
        except Exception as exc:  # NLTK's sandbox refusing a path, and the like
            raise ModelError(
                "Cannot prepare the sentence splitter for the alignment model "
                '"{model}" for language "{language}": {reason}.',
                model=model_ref,
                language=language,
                reason=_reason(exc),
            ) from exc
        if folder.name != self._punkt_language:
            log.info("No %s sentence splitter; splitting sentences as English", language)
            self._punkt_language = folder.name

        if not is_folder:
            self._refuse_undownloaded_torchaudio_bundle(model_name, cache_dir, language, torch)
        try:
            model, metadata = whisperx.load_align_model(
                language,
                self._device,
                model_name=model_name,
                model_dir=str(cache_dir) if cache_dir is not None else None,
                model_cache_only=True,
            )
        except Exception as exc:  # any failure means "this model cannot be used"
            if is_folder:
                raise ModelError(
                    'Cannot load the alignment model "{model}" for language "{language}": '
                    "the folder does not hold a usable wav2vec2 CTC model ({error}). "
                    "Import the model again, or choose another alignment model.",
                    model=model_ref,
                    language=language,
                    error=_cause(exc),
                ) from exc
            log.info("Loading %s from the cache failed: %s", model_name, _cause(exc))
            raise ModelError(
                'Cannot load the alignment model "{model}" for language "{language}": '
                "it is not in the local model cache. "
                "Download it with the model manager, or import it from a folder.",
                model=model_ref,
                language=language,
            ) from exc
        if self._punkt_language != PUNKT_LANGUAGES.get(language, "english"):
            # whisperX picks the sentence splitter from this key; English is the only
            # one guaranteed to be on disk. It also decides word splitting, which only
            # differs for languages without spaces (ja, zh), and those map to English.
            metadata = {**metadata, "language": "en"}
        self._model = model
        self._metadata = metadata
        self._install_cancel_hooks(torch)
        log.info("Loaded %s on %s", what, self._device)

    # ------------------------------------------------------------------ loading

    @staticmethod
    def _check_local_folder(model_ref: str, language: str) -> tuple[str, bool]:
        """Refuse a missing or incomplete model folder before whisperX prints errors.

        Returns the name to hand to whisperX and whether it is a local folder.
        """
        path = Path(model_ref).expanduser()
        looks_like_path = (
            path.is_absolute()
            or model_ref.startswith((".", "~"))
            or model_ref.count("/") > 1
            or (os.sep != "/" and os.sep in model_ref)
        )
        if not path.exists():
            if looks_like_path:
                raise ModelError(
                    'Cannot load the alignment model "{model}" for language "{language}": '
                    "the folder {path} does not exist. "
                    "Choose the folder again or import the model.",
                    model=model_ref,
                    language=language,
                    path=path,
                )
            return model_ref, False  # a hub id, looked up in the local cache only
        if not path.is_dir():
            raise ModelError(
                'Cannot load the alignment model "{model}" for language "{language}": '
                "{path} is a file, not a model folder. Choose the folder that holds config.json.",
                model=model_ref,
                language=language,
                path=path,
            )
        needed = ("config.json", "preprocessor_config.json")
        missing = [name for name in needed if not (path / name).is_file()]
        if missing:
            raise ModelError(
                'Cannot load the alignment model "{model}" for language "{language}": '
                "the folder {path} is incomplete (no {missing}). Import the model again.",
                model=model_ref,
                language=language,
                path=path,
                missing=", ".join(missing),
            )
        return str(path), True

    @staticmethod
    def _refuse_undownloaded_torchaudio_bundle(
        model_name: str, cache_dir: Path | None, language: str, torch: Any
    ) -> None:
        """Stop whisperX from downloading one of torchaudio's built-in models.

        whisperX's defaults for en/fr/de/es/it are torchaudio bundles, which it loads
        through a URL download that ignores the offline switches and can hang behind a
        firewall. Only a checkpoint already on disk is allowed.
        """
        import torchaudio

        if model_name not in getattr(torchaudio.pipelines, "__all__", ()):
            return
        bundle = getattr(torchaudio.pipelines, model_name)
        file_name = Path(str(getattr(bundle, "_path", ""))).name
        if not file_name:
            return  # cannot tell where it would be; let torchaudio decide
        folder = cache_dir if cache_dir is not None else Path(torch.hub.get_dir()) / "checkpoints"
        if not (Path(folder) / file_name).is_file():
            raise ModelError(
                'Cannot load the alignment model "{model}" for language "{language}": '
                "it has not been downloaded ({file_name} is not in {folder}). "
                "Download it with the model manager, or import a model folder.",
                model=model_name,
                language=language,
                file_name=file_name,
                folder=folder,
            )

    @staticmethod
    def _resolve_device(device: str, torch: Any) -> str:
        if device in ("", "auto"):
            return "cuda" if torch.cuda.is_available() else "cpu"
        return device

    def _install_cancel_hooks(self, torch: Any) -> None:
        """Run ``check()`` before each layer of the model's feature extractor and encoder.

        whisperX calls its progress callback only after a whole row is aligned; a hook
        on every block in the model's layer lists lets a cancel land within one layer.
        """
        blocks = [
            block
            for module in self._model.modules()
            if isinstance(module, torch.nn.ModuleList)
            for block in module
        ]
        for block in blocks:
            block.register_forward_pre_hook(self._probe)
        log.debug("Cancel checks on %d model blocks", len(blocks))

    # ------------------------------------------------------------------ aligning

    def align_chunk(
        self,
        audio: np.ndarray,
        offset_s: float,
        rows: Sequence[dict],
        check: Callable[[], None],
    ) -> list[AlignedPiece]:
        """Align the rows of one chunk; return their pieces in order, times global.

        ``audio`` is float32 mono 16 kHz, sample 0 at global time ``offset_s``; each row
        is ``{"id", "start", "end", "text"}`` with global times. One row may become
        several pieces (one per sentence), all carrying the row's id. A row whisperX
        cannot align comes back whole with its own times and its words spread evenly.
        ``check()`` raises :class:`Cancelled` to stop; it is called often enough that a
        cancel takes effect well within a second.
        """
        with self._lock:
            check()
            samples = np.ascontiguousarray(np.asarray(audio).reshape(-1), dtype=np.float32)
            if not samples.flags.writeable:
                samples = samples.copy()  # torch.from_numpy warns on read-only memory
            if not rows:
                return []
            for row in rows:
                _check_row(row)
            # Re-done per chunk (cheap) so whisperX can never fall through to a download,
            # even if someone deleted the data or reset nltk.data.path meanwhile; the
            # cached splitter spares whisperX re-reading the files for every row.
            ensure_punkt_tab(self._data_dir, self._punkt_language)
            cache_sentence_splitter(self._punkt_language)

            offset = float(offset_s)
            duration = len(samples) / SAMPLE_RATE
            pieces: list[AlignedPiece] = []
            failures = 0
            last_error: Exception | None = None
            self._probe.check = check
            try:
                for row in rows:
                    check()
                    try:
                        pieces.extend(self._align_row(samples, offset, duration, row, check))
                    except Interrupted:
                        raise
                    except Exception as exc:  # keep the row, say why
                        failures += 1
                        last_error = exc
                        log.warning(
                            "whisperX failed on row %s (%s); keeping its original times",
                            row.get("id"),
                            _reason(exc),
                            exc_info=log.isEnabledFor(logging.DEBUG),
                        )
                        pieces.append(_unaligned(row))
            finally:
                self._probe.check = None
            if failures and failures == len(rows):
                raise AlignmentError(
                    "Alignment with {model_name} failed on every line of the chunk at "
                    "{offset} s: {reason}",
                    model_name=self.model_name,
                    offset=f"{offset:.1f}",
                    reason=_reason(last_error),
                ) from last_error
            return pieces

    def _align_row(
        self,
        samples: np.ndarray,
        offset: float,
        duration: float,
        row: dict,
        check: Callable[[], None],
    ) -> list[AlignedPiece]:
        """Align one row; its sentences become pieces, or the row comes back unaligned."""
        text = str(row.get("text") or "")
        start, end = _row_times(row)
        local_start = max(0.0, start - offset)
        local_end = min(duration, end - offset)
        if not text.strip() or local_end <= local_start:
            return [_unaligned(row)]

        result = self._alignment.align(
            [{"start": local_start, "end": local_end, "text": text}],
            self._model,
            self._metadata,
            samples,
            self._device,
            return_char_alignments=False,
            progress_callback=lambda _percent: check(),
        )
        segments = result.get("segments") or []
        if not any(segment.get("words") for segment in segments):
            # whisperX gives the row back untouched when it cannot align it.
            return [_unaligned(row)]

        source_id = str(row["id"])
        low, high = offset, offset + duration
        row_span = (local_start + offset, local_end + offset)
        pieces = []
        for segment in segments:
            piece = _piece(source_id, segment, offset, (low, high), row_span)
            if piece is not None:
                pieces.append(piece)
        return pieces or [_unaligned(row)]


# ---------------------------------------------------------------------- conversion


def _route_whisperx_logging() -> None:
    """whisperX logs to stdout through a handler of its own and stops propagation, which
    would corrupt ``--events jsonl`` on stdout and keep its warnings out of our log file:
    send its records through the application's logging like every other library's."""
    logger = logging.getLogger("whisperx")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    logger.propagate = True


def _piece(
    source_id: str,
    segment: dict,
    offset: float,
    chunk: tuple[float, float],
    row_span: tuple[float, float],
) -> AlignedPiece | None:
    """Turn one whisperX segment (chunk-local, numpy floats, gaps) into a clean piece.

    Times missing altogether (never seen, but whisperX's pandas code allows it) fall
    back to the row's own span rather than losing the text.
    """
    low, high = chunk
    text = str(segment.get("text") or "").strip()
    raw_words = [w for w in segment.get("words") or [] if str(w.get("word", "")).strip()]
    if not text and not raw_words:
        return None
    seg_start = _finite(segment.get("start"))
    seg_end = _finite(segment.get("end"))
    starts = [_finite(w.get("start")) for w in raw_words]
    ends = [_finite(w.get("end")) for w in raw_words]
    known = [t for t in (*starts, *ends) if t is not None]
    if seg_start is None:
        seg_start = min(known, default=row_span[0] - offset)
    if seg_end is None:
        seg_end = max(known, default=row_span[1] - offset)
    lo = _clamp(seg_start + offset, low, high)
    hi = _clamp(max(seg_end + offset, lo), lo, high)

    words = _fill_times(
        [str(w["word"]).strip() for w in raw_words],
        [None if t is None else t + offset for t in starts],
        [None if t is None else t + offset for t in ends],
        [_finite(w.get("score")) for w in raw_words],
        lo,
        hi,
    )
    if words:
        lo = min(lo, words[0]["start"])
        hi = max(hi, max(w["end"] for w in words))
    return AlignedPiece(source_id, _ms(lo), _ms(max(hi, lo)), text, words)


def _fill_times(
    texts: list[str],
    starts: list[float | None],
    ends: list[float | None],
    scores: list[float | None],
    lo: float,
    hi: float,
) -> list[dict]:
    """Give every word a start and an end inside ``[lo, hi]``, in order.

    A word with neither time takes an equal share of the gap between its timed
    neighbours (or the piece's edges); one with only one time uses it for both.
    """
    spans: list[tuple[float, float] | None] = []
    for start, end in zip(starts, ends, strict=True):
        if start is None and end is None:
            spans.append(None)
        else:
            first = start if start is not None else end
            last = end if end is not None else start
            spans.append((first, last))  # type: ignore[arg-type]  # one of them is set

    filled: list[tuple[float, float]] = []
    i, n = 0, len(spans)
    while i < n:
        span = spans[i]
        if span is not None:
            filled.append(span)
            i += 1
            continue
        j = i
        while j < n and spans[j] is None:
            j += 1
        left = filled[-1][1] if filled else lo
        after = spans[j] if j < n else None
        right = max(after[0] if after is not None else hi, left)
        step = (right - left) / (j - i)
        filled.extend((left + step * k, left + step * (k + 1)) for k in range(j - i))
        i = j

    words = []
    previous = lo
    for text, (start, end), score in zip(texts, filled, scores, strict=True):
        word_start = _clamp(max(start, previous), lo, hi)
        word_end = _clamp(max(end, word_start), word_start, hi)
        previous = word_start
        words.append(
            {
                "word": text,
                "start": _ms(word_start),
                "end": _ms(word_end),
                "score": round(score, 3) if score is not None else 0.0,
            }
        )
    return words


def _unaligned(row: dict) -> AlignedPiece:
    """The row as it came, its words spread evenly over its own time span."""
    start, end = _row_times(row)
    text = str(row.get("text") or "").strip()
    tokens = text.split()
    step = (end - start) / len(tokens) if tokens else 0.0
    words = [
        {
            "word": token,
            "start": _ms(start + step * i),
            "end": _ms(start + step * (i + 1)),
            "score": 0.0,
        }
        for i, token in enumerate(tokens)
    ]
    return AlignedPiece(str(row["id"]), _ms(start), _ms(end), text, words)


def _check_row(row: dict) -> None:
    """Refuse a malformed row up front, so a bad row is an error, not a crash mid-chunk."""
    try:
        str(row["id"])
        _row_times(row)
    except (KeyError, TypeError, ValueError) as exc:
        raise AlignmentError(
            "Cannot align the line {row}: it has no valid id, start and end ({reason}).",
            row=f"{row.get('id', '?') if isinstance(row, dict) else row!r}",
            reason=_reason(exc),
        ) from exc


def _row_times(row: dict) -> tuple[float, float]:
    start = float(row["start"])
    end = float(row["end"])
    if not (math.isfinite(start) and math.isfinite(end)):
        raise ValueError(f"times {start}..{end} are not finite")
    return start, max(start, end)


def _finite(value: Any) -> float | None:
    """A plain float, or None for missing/NaN/inf (numpy and pandas values included)."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _ms(value: float) -> float:
    return round(float(value), 3)


def _cause(exc: BaseException) -> str:
    """The reason behind whisperX's catch-all "could not be found in huggingface" error."""
    inner = exc.__cause__ or exc.__context__
    text = _reason(inner if inner is not None else exc)
    return text if len(text) <= 200 else text[:197] + "..."


def _reason(exc: BaseException | None) -> str:
    """The first meaningful line of an exception, for a one-line user message."""
    if exc is None:
        return "unknown error"
    for line in str(exc).splitlines():
        if line.strip():
            return line.strip().rstrip(".")
    return type(exc).__name__
