"""``edits.json``: the user's changes to a job's rows, kept apart from machine output.

Keeping edits separate is what lets them survive everything: a resume, a new
alignment, a reopened window. Each edit records the whole row as the user left it,
which fields they changed, and whether they changed an unaligned row (before
``alignment_ready``) or an aligned one, because after alignment one unaligned row
may have become several aligned rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from subtitle_studio.core.atomic import json_problem, read_json, write_json_atomic
from subtitle_studio.errors import CheckpointError, EditError

EDITS_FILE = "edits.json"
EDITS_VERSION = 1
Stage = Literal["unaligned", "aligned"]
STAGES = ("unaligned", "aligned")


@dataclass
class RowEdit:
    text: str
    start: float
    end: float
    changed: frozenset[str]
    stage: Stage
    #: The times come from aligning the user's corrected text against its own audio
    #: (better than the machine row's times, which belong to the old words).
    realigned: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "changed": sorted(self.changed),
            "stage": self.stage,
        }
        if self.realigned:
            out["realigned"] = True
        return out


def check_times(start: float, end: float) -> None:
    """Refuse times a subtitle cannot have, with a message for the user."""
    for value in (start, end):
        if not isinstance(value, (int, float)) or math.isnan(value) or math.isinf(value):
            raise EditError("{value} is not a time.", value=f"{value!r}")
    if start < 0:
        raise EditError("A subtitle cannot start before the beginning of the video.")
    if end <= start:
        raise EditError("A subtitle must end after it starts.")


@dataclass
class Edits:
    job_id: str
    rows: dict[str, RowEdit] = field(default_factory=dict)
    deleted: dict[str, Stage] = field(default_factory=dict)
    inserted: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.rows or self.deleted or self.inserted)

    def modify(
        self, row_id: str, *, text: str, start: float, end: float, changed: set[str], stage: Stage
    ) -> None:
        check_times(start, end)
        if row_id in self.inserted:
            self.inserted[row_id] = {"id": row_id, "text": text, "start": start, "end": end}
            return
        previous = self.rows.get(row_id)
        if previous is not None:
            changed = set(changed) | set(previous.changed)
            stage = previous.stage
        self.rows[row_id] = RowEdit(text, start, end, frozenset(changed), stage)

    def set_realigned(self, row_id: str, start: float, end: float) -> bool:
        """Record times found by aligning the user's text; ignored (False) when the row is
        no longer a text-only edit, since the user's own times always win."""
        check_times(start, end)
        edit = self.rows.get(row_id)
        if edit is None or edit.changed & {"start", "end"}:
            return False
        self.rows[row_id] = RowEdit(edit.text, start, end, edit.changed, edit.stage, True)
        return True

    def delete(self, row_id: str, stage: Stage) -> None:
        if self.inserted.pop(row_id, None) is not None:
            return
        self.rows.pop(row_id, None)
        self.deleted[row_id] = stage

    def insert(self, row_id: str, *, text: str, start: float, end: float) -> None:
        check_times(start, end)
        self.inserted[row_id] = {"id": row_id, "text": text, "start": start, "end": end}

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": EDITS_VERSION,
            "job_id": self.job_id,
            "rows": {k: v.to_dict() for k, v in self.rows.items()},
            "deleted": dict(self.deleted),
            # In time order, so the file reads like the table (and undo restores it exactly).
            "inserted": sorted(self.inserted.values(), key=lambda r: (r["start"], r["id"])),
        }

    def save(self, folder: Path) -> None:
        write_json_atomic(folder / EDITS_FILE, self.to_dict())

    @classmethod
    def load(cls, folder: Path, job_id: str) -> Edits:
        """The saved edits (empty if none). A damaged file is an error, never silently empty:
        silently dropping a user's corrections is the one thing this product must not do."""
        where = folder / EDITS_FILE
        try:
            data = read_json(where)
        except FileNotFoundError:
            return cls(job_id)
        except (OSError, ValueError) as exc:
            raise CheckpointError(
                "Your edits in {where} could not be read ({error}).",
                where=where,
                error=json_problem(exc),
            ) from exc
        try:
            if not isinstance(data, dict) or data.get("job_id") != job_id:
                raise ValueError("it belongs to another job")
            if int(data.get("version", 0)) > EDITS_VERSION:
                raise CheckpointError(
                    "{where} was written by a newer Subtitle Studio; update the application.",
                    where=where,
                )
            edits = cls(job_id)
            for row_id, item in data.get("rows", {}).items():
                stage = item["stage"]
                if stage not in STAGES:
                    raise ValueError(f"unknown stage {stage!r}")
                start, end = float(item["start"]), float(item["end"])
                check_times(start, end)
                edits.rows[str(row_id)] = RowEdit(
                    str(item["text"]),
                    start,
                    end,
                    frozenset(map(str, item["changed"])),
                    stage,
                    bool(item.get("realigned", False)),
                )
            for row_id, stage in data.get("deleted", {}).items():
                if stage not in STAGES:
                    raise ValueError(f"unknown stage {stage!r}")
                edits.deleted[str(row_id)] = stage
            for item in data.get("inserted", []):
                start, end = float(item["start"]), float(item["end"])
                check_times(start, end)
                edits.inserted[str(item["id"])] = {
                    "id": str(item["id"]),
                    "text": str(item["text"]),
                    "start": start,
                    "end": end,
                }
            return edits
        except CheckpointError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, EditError) as exc:
            raise CheckpointError(
                "Your edits in {where} are damaged ({error}).", where=where, error=exc
            ) from exc
