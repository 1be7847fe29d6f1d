"""The split phase: chunks of at most max_s, cut in pauses, never inside a word."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from subtitle_studio.core.checkpoint import ChunkSpan
from subtitle_studio.core.chunking import PAD_S, plan_chunks

TOL = 0.0011  # chunk bounds are whole milliseconds


def seconds(chunks: list[ChunkSpan]) -> list[tuple[float, float]]:
    return [(c.start, c.end) for c in chunks]


def assert_well_formed(chunks: list[ChunkSpan], duration: float, max_s: float) -> None:
    assert [c.index for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert 0 <= chunk.start_ms < chunk.end_ms <= round(duration * 1000)
        assert chunk.end - chunk.start <= max_s + TOL, f"chunk {chunk} is longer than {max_s} s"
    for a, b in zip(chunks, chunks[1:]):
        assert a.end_ms <= b.start_ms, f"{a} overlaps {b}"


def covering(chunks: list[ChunkSpan], t: float) -> bool:
    return any(c.start - TOL <= t <= c.end + TOL for c in chunks)


class Recorder:
    """A ``quiet`` that answers a fixed fraction of the way into each range, and remembers."""

    def __init__(self, fraction: float = 0.5) -> None:
        self.fraction = fraction
        self.calls: list[tuple[float, float, float]] = []

    def __call__(self, lo: float, hi: float) -> float:
        point = round(lo + (hi - lo) * self.fraction, 3)
        self.calls.append((lo, hi, point))
        return point


def test_no_speech_no_chunks() -> None:
    assert plan_chunks([], 600.0, max_s=30) == []


def test_short_regions_fill_one_chunk_clipped_to_the_audio() -> None:
    chunks = plan_chunks([(0.1, 4.0), (5.0, 12.0), (13.0, 19.9)], 20.0, max_s=30)

    assert seconds(chunks) == [(0.0, 20.0)]


def test_padding_around_speech_inside_the_audio() -> None:
    chunks = plan_chunks([(3.0, 10.0)], 60.0, max_s=30)

    assert seconds(chunks) == [(3.0 - PAD_S, 10.0 + PAD_S)]


def test_short_pause_between_chunks_is_cut_where_quiet_says() -> None:
    quiet = Recorder(fraction=0.75)
    # 20 s + 15 s of speech do not fit one 30 s chunk; the pause between is 0.4 s.
    regions = [(1.0, 21.0), (21.4, 36.4)]

    chunks = plan_chunks(regions, 40.0, max_s=30, quiet=quiet)

    assert quiet.calls == [(21.0, 21.4, 21.3)]
    assert seconds(chunks) == [(0.75, 21.3), (21.3, 36.65)]
    assert chunks[0].end_ms == chunks[1].start_ms, "a short pause is shared by one cut"


def test_long_pause_is_left_out_keeping_padding() -> None:
    quiet = Recorder()
    regions = [(1.0, 21.0), (40.0, 60.0)]

    chunks = plan_chunks(regions, 70.0, max_s=30, quiet=quiet)

    assert seconds(chunks) == [(0.75, 21.25), (39.75, 60.25)]
    assert quiet.calls == []


def test_region_longer_than_max_is_cut_at_its_quietest_moment() -> None:
    quiet = Recorder(fraction=0.5)
    chunks = plan_chunks([(0.0, 100.0)], 100.0, max_s=30, quiet=quiet)

    assert_well_formed(chunks, 100.0, 30)
    # Every cut inside the region was asked of `quiet`, and chunks meet exactly there.
    cut_points = [point for _, _, point in quiet.calls]
    inner = [c.end for c in chunks[:-1]]
    assert inner == pytest.approx(cut_points)
    for lo, hi, _ in quiet.calls:
        assert hi - lo < 30  # asked only about the stretch before the limit
    assert chunks[0].start == 0 and chunks[-1].end == 100.0
    for a, b in zip(chunks, chunks[1:]):
        assert a.end_ms == b.start_ms, "speech cut in two must not lose any audio"


def test_cut_in_a_long_region_stays_in_range_whatever_quiet_answers() -> None:
    chunks = plan_chunks([(0.0, 80.0)], 80.0, max_s=30, quiet=lambda lo, hi: hi + 50)

    assert_well_formed(chunks, 80.0, 30)
    assert chunks[-1].end == 80.0


@pytest.mark.parametrize(
    ("regions", "fraction"),
    [
        # A full chunk (29.5 s of speech + padding) ends in a 0.4 s pause; the quietest
        # moment is at the far end of the pause.
        ([(1.0, 30.5), (30.9, 35.0)], 1.0),
        # A full chunk begins after a 0.4 s pause whose quietest moment is at its start.
        ([(1.0, 5.0), (5.4, 34.9)], 0.0),
    ],
)
def test_a_cut_late_or_early_in_a_pause_does_not_stretch_a_full_chunk(
    regions: list[tuple[float, float]], fraction: float
) -> None:
    chunks = plan_chunks(regions, 40.0, max_s=30, quiet=Recorder(fraction))

    assert_well_formed(chunks, 40.0, 30)
    for start, end in regions:
        assert covering(chunks, start) and covering(chunks, end)


def test_limit_is_respected_exactly_at_max() -> None:
    # Speech fills 29.5 s: with 0.25 s padding on each side that is exactly 30 s.
    chunks = plan_chunks([(1.0, 10.0), (11.0, 30.5)], 60.0, max_s=30)

    assert seconds(chunks) == [(0.75, 30.75)]


def test_many_regions_make_several_chunks_in_order() -> None:
    regions = [(i * 7.0 + 0.5, i * 7.0 + 6.0) for i in range(20)]  # 1 s pauses

    chunks = plan_chunks(regions, 140.0, max_s=30)

    assert_well_formed(chunks, 140.0, 30)
    assert len(chunks) >= 5
    for start, end in regions:
        assert covering(chunks, start) and covering(chunks, end)
        assert any(c.start <= start and end <= c.end for c in chunks), "a region was split"


@st.composite
def speech_regions(draw: st.DrawFn) -> tuple[list[tuple[float, float]], float]:
    """Disjoint speech regions as the speech map gives them (pauses ≥ 0.1 s)."""
    t = draw(st.integers(0, 30)) / 10
    regions = []
    for _ in range(draw(st.integers(0, 25))):
        length = draw(st.one_of(st.integers(1, 300), st.integers(1, 900))) / 10
        regions.append((round(t, 3), round(t + length, 3)))
        t += length + draw(st.one_of(st.integers(1, 6), st.integers(1, 80))) / 10
    duration = round(t + draw(st.integers(0, 30)) / 10, 3)
    if regions:
        duration = max(duration, regions[-1][1])
    return regions, duration


def covered_stretches(chunks: list[ChunkSpan]) -> list[tuple[float, float]]:
    """The audio the chunks cover, with chunks that meet joined into one stretch."""
    out: list[tuple[float, float]] = []
    for chunk in chunks:
        if out and chunk.start <= out[-1][1] + TOL:
            out[-1] = (out[-1][0], max(out[-1][1], chunk.end))
        else:
            out.append((chunk.start, chunk.end))
    return out


@settings(max_examples=200, deadline=None)
@given(
    case=speech_regions(),
    max_s=st.sampled_from([10.0, 30.0, 45.0]),
    fraction=st.floats(0.0, 1.0),
)
def test_plan_invariants(case, max_s: float, fraction: float) -> None:
    """Whatever point in a pause ``quiet`` picks: chunks never exceed max_s, never overlap,
    and every moment of speech lies in some chunk."""
    regions, duration = case

    chunks = plan_chunks(regions, duration, max_s=max_s, quiet=Recorder(fraction))

    assert_well_formed(chunks, duration, max_s)
    assert bool(chunks) == bool(regions)
    stretches = covered_stretches(chunks)
    for start, end in regions:
        assert any(a - TOL <= start and end <= b + TOL for a, b in stretches), (
            f"speech {start}–{end} s is not wholly inside the chunks"
        )


@settings(max_examples=200, deadline=None)
@given(case=speech_regions(), max_s=st.sampled_from([10.0, 30.0]))
def test_plan_invariants_with_midpoint_cuts(case, max_s: float) -> None:
    regions, duration = case

    chunks = plan_chunks(regions, duration, max_s=max_s)

    assert_well_formed(chunks, duration, max_s)
