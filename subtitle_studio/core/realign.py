"""Re-align a row the user corrected, against its own stretch of audio.

After a text correction the machine's times belong to the old words. Aligning the
new words against the row's audio (with the job's alignment model when there is
one) gives times that match what is now written; without a model, the row's edges
are snapped to where the voice starts and stops, which is what matters most to a
viewer. Runs in the background; the table never waits for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from subtitle_studio.core.audio_store import StoredAudio
from subtitle_studio.core.engine_api import Aligner, Check
from subtitle_studio.core.speech import SpeechEdges

#: Audio looked at beyond the row's own times (kept inside the neighbouring rows).
MARGIN_S = 0.3


@dataclass(frozen=True)
class RealignRequest:
    row_id: str
    text: str
    start: float
    end: float
    #: The previous row's end and the next row's start: the result stays between them.
    lower: float
    upper: float


def realign_times(
    request: RealignRequest,
    audio: StoredAudio,
    *,
    aligner: Aligner | None,
    edges: SpeechEdges | None,
    check: Check,
) -> tuple[float, float] | None:
    """New ``(start, end)`` for the request's text, or ``None`` when nothing better is known."""
    lo = max(request.lower, request.start - MARGIN_S, 0.0)
    hi = min(request.upper, request.end + MARGIN_S, audio.duration)
    if hi - lo < 0.1 or not request.text.strip():
        return None
    if aligner is not None:
        samples = audio.read_seconds(lo, hi)
        row = {
            "id": request.row_id,
            "start": lo,
            "end": hi,
            "text": request.text.replace("\n", " "),
        }
        pieces = aligner.align_chunk(samples, lo, [row], check)
        if not pieces:
            return None
        start, end = min(p.start for p in pieces), max(p.end for p in pieces)
    elif edges is not None:
        start = edges.snap_start(request.start, lo, request.end)
        end = edges.snap_end(request.end, start, hi)
    else:
        return None
    start, end = round(max(lo, start), 3), round(min(hi, end), 3)
    return (start, end) if end > start else None
