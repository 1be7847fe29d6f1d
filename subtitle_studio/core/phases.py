"""Job statuses, pipeline phases and how phase progress maps to one job percentage.

Each phase owns a fixed share of the job's percentage (SPEC §2), so progress is
cumulative and never goes back within a run, whatever the phase reports.
"""

from __future__ import annotations

from enum import StrEnum


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    INTERRUPTED = "interrupted"
    FAILED = "failed"
    CANCELED = "canceled"
    DONE = "done"


#: Statuses from which a job can be resumed.
RESUMABLE = frozenset({JobStatus.PAUSED, JobStatus.INTERRUPTED, JobStatus.FAILED})
#: Statuses of a job that still has work to do (a dropped file offers to resume these).
UNFINISHED = frozenset(
    {JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.PAUSED, JobStatus.INTERRUPTED, JobStatus.FAILED}
)


class Phase(StrEnum):
    EXTRACT = "extract"
    SPLIT = "split"
    TRANSCRIBE = "transcribe"
    ALIGN = "align"
    SRT = "srt"


#: Share of the job percentage owned by each phase, in pipeline order.
SHARES: dict[Phase, float] = {
    Phase.EXTRACT: 5.0,
    Phase.SPLIT: 5.0,
    Phase.TRANSCRIBE: 70.0,
    Phase.ALIGN: 10.0,
    Phase.SRT: 10.0,
}

ORDER: tuple[Phase, ...] = tuple(SHARES)


def phase_start(phase: Phase) -> float:
    """The job percentage at which ``phase`` begins."""
    total = 0.0
    for candidate in ORDER:
        if candidate == phase:
            return total
        total += SHARES[candidate]
    raise ValueError(phase)


def overall_percent(phase: Phase, fraction: float) -> float:
    """Job percentage when ``phase`` is ``fraction`` (0..1) done, rounded to 0.01."""
    fraction = min(1.0, max(0.0, fraction))
    return round(phase_start(phase) + SHARES[phase] * fraction, 2)
