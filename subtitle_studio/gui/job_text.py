"""Job statuses, phases and remaining times as the window shows them (translated).

The core names statuses and phases with fixed English identifiers ("running",
"transcribe") that are also saved in job.json and sent over the HTTP endpoint, so
they never change with the language; the window maps them to words here. An
identifier this module does not know (a newer version's) is shown as it is.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

CONTEXT = "JobText"


def status_text(status: str) -> str:
    """The word for a job status (``JobStatus`` value)."""
    texts = {
        "queued": QCoreApplication.translate("JobText", "queued"),
        "running": QCoreApplication.translate("JobText", "running"),
        "paused": QCoreApplication.translate("JobText", "paused"),
        "interrupted": QCoreApplication.translate("JobText", "interrupted"),
        "failed": QCoreApplication.translate("JobText", "failed"),
        "canceled": QCoreApplication.translate("JobText", "canceled"),
        "done": QCoreApplication.translate("JobText", "done"),
    }
    return texts.get(str(status), str(status))


def phase_text(phase: str) -> str:
    """The word for a pipeline phase (``Phase`` value); "" stays ""."""
    texts = {
        "extract": QCoreApplication.translate("JobText", "extract"),
        "split": QCoreApplication.translate("JobText", "split"),
        "transcribe": QCoreApplication.translate("JobText", "transcribe"),
        "align": QCoreApplication.translate("JobText", "align"),
        "srt": QCoreApplication.translate("JobText", "srt"),
        "done": QCoreApplication.translate("JobText", "done"),
    }
    return texts.get(phase, phase)


def remaining_text(seconds: float | None) -> str:
    """``"about 3 min left"``, or ``""`` when there is no estimate yet.

    The window's counterpart of ``core.eta.describe`` (which the CLI prints in English).
    """
    if seconds is None:
        return ""
    if seconds < 60:
        return QCoreApplication.translate("JobText", "less than a minute left")
    minutes = round(seconds / 60)
    if minutes < 60:
        return QCoreApplication.translate("JobText", "about {minutes} min left").format(
            minutes=minutes
        )
    return QCoreApplication.translate("JobText", "about {hours} h {minutes} min left").format(
        hours=minutes // 60, minutes=f"{minutes % 60:02d}"
    )
