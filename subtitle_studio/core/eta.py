"""An honest time-remaining estimate, from the throughput measured in this run.

Only the running phase is measured (transcription dominates; alignment with a
wav2vec2 model is the other long one), from the moment it started in this run, so
a resumed job's already-done percentage never inflates the speed. Until two steps
of real progress have been seen, the answer is "don't know" rather than a guess.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from subtitle_studio.core.phases import SHARES, Phase, phase_start

#: Seen fewer steps or less time than this and the estimate is withheld.
MIN_STEPS = 2
MIN_SECONDS = 2.0


class RemainingTime:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._phase: str | None = None
        self._started_at = 0.0
        self._started_percent = 0.0
        self._percent = 0.0
        self._steps = 0
        self._last_step_at = 0.0

    def update(self, phase: str, percent: float) -> None:
        """Feed every ``progress`` event of the job."""
        now = self._clock()
        if phase != self._phase:
            self._phase = phase
            self._started_at = now
            self._started_percent = percent
            self._percent = percent
            self._steps = 0
            return
        if percent > self._percent:
            self._steps += 1
            self._last_step_at = now
        self._percent = percent

    def seconds_left(self) -> float | None:
        """Seconds until the running phase ends, or ``None`` while there is no basis."""
        if self._phase is None or self._steps < MIN_STEPS:
            return None
        elapsed = self._last_step_at - self._started_at
        done = self._percent - self._started_percent
        if elapsed < MIN_SECONDS or done <= 0:
            return None
        try:
            phase = Phase(self._phase)
        except ValueError:
            return None
        phase_end = phase_start(phase) + SHARES[phase]
        rate = done / elapsed  # percent per second
        since_last = self._clock() - self._last_step_at
        return max(0.0, (phase_end - self._percent) / rate - since_last)


def describe(seconds: float | None) -> str:
    """``"about 3 min left"``, or ``""`` when there is no estimate yet."""
    if seconds is None:
        return ""
    if seconds < 60:
        return "less than a minute left"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} min left"
    return f"about {minutes // 60} h {minutes % 60:02d} min left"
