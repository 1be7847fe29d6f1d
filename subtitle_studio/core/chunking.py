"""Cut the audio into chunks at pauses in speech (the split phase).

A chunk is a time range over the stored audio. Each chunk should fill as much of
Whisper's 30-second window as it can (a shorter chunk is padded and costs the
same), must never cut a word in two, and long stretches without speech (music,
silence) are left out so the recogniser has nothing to hallucinate on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from subtitle_studio.core.checkpoint import ChunkSpan

#: Silence kept around speech inside a chunk, so onsets and offsets are not clipped.
PAD_S = 0.25

#: ``quiet(lo, hi)`` answers the quietest moment between two times.
QuietPoint = Callable[[float, float], float]


def _midpoint(lo: float, hi: float) -> float:
    return (lo + hi) / 2


def plan_chunks(
    regions: Sequence[tuple[float, float]],
    duration_s: float,
    *,
    max_s: float,
    quiet: QuietPoint = _midpoint,
    pad_s: float = PAD_S,
) -> list[ChunkSpan]:
    """Group speech ``regions`` into chunks of at most ``max_s`` seconds.

    Between two chunks a short pause is cut at its quietest moment; a long pause is
    left out, keeping ``pad_s`` of it on each side. A region longer than ``max_s``
    has no pause to cut in, so it is cut at its quietest moment near the limit.
    """
    pieces = _split_long_regions(regions, max_s - 2 * pad_s, quiet)
    groups: list[tuple[float, float]] = []
    for start, end in pieces:
        if groups and end - groups[-1][0] + 2 * pad_s <= max_s:
            groups[-1] = (groups[-1][0], end)
        else:
            groups.append((start, end))

    bounds: list[tuple[float, float]] = []
    for i, (start, end) in enumerate(groups):
        a = max(0.0, start - pad_s)
        b = min(duration_s, end + pad_s)
        if i > 0:
            prev_end = groups[i - 1][1]
            if start - prev_end <= 2 * pad_s:  # a short pause (or a cut in speech): share one cut
                # Look only where both neighbours stay within max_s.
                lo = max(prev_end, b - max_s)
                hi = max(lo, min(start, bounds[-1][0] + max_s))
                a = min(max(quiet(lo, hi), lo), hi) if start > prev_end else start
                bounds[-1] = (bounds[-1][0], a)
        bounds.append((a, b))

    chunks: list[ChunkSpan] = []
    for a, b in bounds:
        start_ms, end_ms = int(round(a * 1000)), int(round(b * 1000))
        if chunks:
            start_ms = max(start_ms, chunks[-1].end_ms)
        if end_ms > start_ms:
            chunks.append(ChunkSpan(len(chunks), start_ms, end_ms))
    return chunks


def _split_long_regions(
    regions: Sequence[tuple[float, float]], limit_s: float, quiet: QuietPoint
) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for start, end in regions:
        while end - start > limit_s:
            # The quietest moment in the last third before the limit.
            lo, hi = start + limit_s * 0.66, start + limit_s
            cut = min(max(quiet(lo, hi), lo), hi)
            out.append((start, cut))
            start = cut
        out.append((start, end))
    return out
