"""The time-remaining estimate: measured throughput only, no guesses."""

from __future__ import annotations

from subtitle_studio.core.eta import RemainingTime, describe


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_no_estimate_until_two_chunks_were_measured() -> None:
    clock = Clock()
    eta = RemainingTime(clock)
    eta.update("transcribe", 10.0)
    assert eta.seconds_left() is None
    clock.now += 5
    eta.update("transcribe", 17.0)
    assert eta.seconds_left() is None
    clock.now += 5
    eta.update("transcribe", 24.0)
    # 14 % in 10 s: 1.4 %/s; 56 % of transcription left -> 40 s
    assert abs(eta.seconds_left() - 40.0) < 1e-6
    clock.now += 10
    assert abs(eta.seconds_left() - 30.0) < 1e-6, "the estimate counts down between chunks"


def test_a_resumed_job_measures_only_this_runs_speed() -> None:
    clock = Clock()
    eta = RemainingTime(clock)
    eta.update("transcribe", 60.0)  # resumed at 60 %: that work took no time in this run
    for _ in range(2):
        clock.now += 10
        eta.update("transcribe", eta._percent + 5)
    assert abs(eta.seconds_left() - 20.0) < 1e-6  # 0.5 %/s, 10 % left


def test_a_new_phase_starts_a_new_measurement() -> None:
    clock = Clock()
    eta = RemainingTime(clock)
    for p in (10, 40, 80):
        eta.update("transcribe", p)
        clock.now += 10
    eta.update("align", 80.0)
    assert eta.seconds_left() is None


def test_wording() -> None:
    assert describe(None) == ""
    assert describe(30) == "less than a minute left"
    assert describe(600) == "about 10 min left"
    assert describe(3 * 3600 + 5 * 60) == "about 3 h 05 min left"
