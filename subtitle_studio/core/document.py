"""The subtitle document the window edits: rows in time order plus the user's edits.

Plain Python; the table is a thin adapter. Every change goes through a method here
that tells its observers *before* and *after* (what a Qt model needs for
``beginInsertRows``/``endInsertRows``), records the user's change in ``Edits``, and
leaves machine output untouched, so the merge (SPEC §7) can be redone at any time:
on a live fragment, on ``alignment_ready``, when a job is reopened.
"""

from __future__ import annotations

import bisect
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from subtitle_studio.core.edits import Edits, RowEdit, Stage, check_times
from subtitle_studio.core.merge import merge_rows, overlay_row
from subtitle_studio.core.subtitle_rules import Cue
from subtitle_studio.errors import EditError

INSERTED_PREFIX = "u"


@dataclass(frozen=True)
class Row:
    id: str
    start: float
    end: float
    text: str
    modified: bool = False
    inserted: bool = False
    changed: frozenset[str] = frozenset()
    realigned: bool = False

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)

    @property
    def cps(self) -> float:
        """Characters per second, line breaks not counted (the usual reading-speed measure)."""
        chars = len(self.text.replace("\n", "").strip())
        return chars / self.duration if self.duration > 0 else 0.0

    @property
    def segment_index(self) -> int:
        head, _, _ = self.id.partition("_")
        return int(head) if head.isdigit() else -1

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Row:
        return cls(
            id=str(data["id"]),
            start=float(data["start"]),
            end=float(data["end"]),
            text=str(data["text"]),
            modified=bool(data.get("modified", False)),
            inserted=bool(data.get("inserted", False)),
            changed=frozenset(data.get("changed", ())),
            realigned=bool(data.get("realigned", False)),
        )


class DocumentObserver:
    """Hooks around every change; the default does nothing. Indices are row positions."""

    def rows_about_to_be_inserted(self, first: int, last: int) -> None: ...
    def rows_inserted(self, first: int, last: int) -> None: ...
    def rows_about_to_be_removed(self, first: int, last: int) -> None: ...
    def rows_removed(self, first: int, last: int) -> None: ...
    def rows_changed(self, first: int, last: int) -> None: ...
    def about_to_reset(self) -> None: ...
    def reset_done(self) -> None: ...


@dataclass(frozen=True)
class RowState:
    """Everything the document knows about one row id: what undo puts back."""

    row_id: str
    row: Row | None
    edit: RowEdit | None
    deleted: Stage | None
    inserted: dict[str, Any] | None


@dataclass
class SubtitleDocument:
    job_id: str
    edits: Edits = field(default=None)  # type: ignore[assignment]
    aligned: bool = False
    language: str | None = None

    def __post_init__(self) -> None:
        if self.edits is None:
            self.edits = Edits(self.job_id)
        self.rows: list[Row] = []
        self._starts: list[float] = []
        self._index: dict[str, int] = {}
        #: Chunks that have had rows here: only a chunk seen before can have stale rows.
        self._chunks_shown: set[int] = set()
        self.observers: list[DocumentObserver] = []
        #: Edits changed since the last save.
        self.dirty = False

    # -- reading -------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.rows)

    def position(self, row_id: str) -> int | None:
        return self._index.get(row_id)

    def row(self, row_id: str) -> Row:
        position = self._index.get(row_id)
        if position is None:
            raise EditError("There is no subtitle {row_id}.", row_id=row_id)
        return self.rows[position]

    def to_cues(self) -> list[Cue]:
        return [Cue(r.start, r.end, r.text) for r in self.rows]

    @property
    def stage(self) -> Stage:
        return "aligned" if self.aligned else "unaligned"

    # -- whole-document changes ------------------------------------------------------
    def load(self, machine_rows: Sequence[dict[str, Any]], *, aligned: bool) -> None:
        """Replace everything with machine rows merged with the user's edits."""
        merged = merge_rows(machine_rows, self.edits, aligned=aligned)
        for observer in self.observers:
            observer.about_to_reset()
        self.aligned = aligned
        self.rows = [Row.from_dict(r) for r in merged]
        self._starts = [r.start for r in self.rows]
        self._index = {r.id: i for i, r in enumerate(self.rows)}
        # Fragments only reach an unaligned document; an aligned one has no use for this.
        self._chunks_shown = set() if aligned else {r.segment_index for r in self.rows}
        for observer in self.observers:
            observer.reset_done()

    def apply_alignment(self, aligned_rows: Sequence[dict[str, Any]]) -> None:
        """``alignment_ready``: the aligned text, merged with the user's work first."""
        self.load(aligned_rows, aligned=True)

    # -- live fragments --------------------------------------------------------------
    def add_fragment(self, segment_index: int, segments: Iterable[dict[str, Any]]) -> None:
        """Rows of one transcribed chunk, placed by time. A chunk that arrives again (it was
        redone) replaces its old rows; the user's edits to them are applied as they come."""
        if self.aligned:
            return  # alignment already replaced the unaligned rows
        if segment_index in self._chunks_shown:  # a redone chunk (rare): look for its rows
            stale = [
                i
                for i, r in enumerate(self.rows)
                if r.segment_index == segment_index and not r.inserted
            ]
            for position in reversed(stale):
                self._remove(position)
        self._chunks_shown.add(segment_index)
        for data in sorted(segments, key=lambda r: (r["start"], r["end"])):
            shown = overlay_row(data, self.edits)
            if shown is not None and shown["id"] not in self._index:
                self._insert_sorted(Row.from_dict(shown))

    # -- the user's changes ----------------------------------------------------------
    def edit(
        self,
        row_id: str,
        *,
        text: str | None = None,
        start: float | None = None,
        end: float | None = None,
    ) -> Row:
        """Change a row's text and/or times; refused with ``EditError`` (nothing changes)."""
        current = self.row(row_id)
        new_text = current.text if text is None else text
        new_start = current.start if start is None else float(start)
        new_end = current.end if end is None else float(end)
        check_times(new_start, new_end)
        changed = set()
        if new_text != current.text:
            changed.add("text")
        if new_start != current.start:
            changed.add("start")
        if new_end != current.end:
            changed.add("end")
        if not changed:
            return current
        self.edits.modify(
            row_id, text=new_text, start=new_start, end=new_end, changed=changed, stage=self.stage
        )
        updated = replace(
            current,
            text=new_text,
            start=new_start,
            end=new_end,
            modified=True,
            changed=current.changed | frozenset(changed),
            realigned=False,  # new words need new times; new times are the user's own
        )
        self._replace(row_id, updated)
        self.dirty = True
        return updated

    def delete(self, row_id: str) -> None:
        position = self._index.get(row_id)
        if position is None:
            raise EditError("There is no subtitle {row_id}.", row_id=row_id)
        self.edits.delete(row_id, self.stage)
        self._remove(position)
        self.dirty = True

    def insert(self, start: float, end: float, text: str) -> Row:
        """A row the user adds; its id never collides with machine ids."""
        check_times(start, end)
        row_id = f"{INSERTED_PREFIX}{uuid.uuid4().hex[:12]}"
        self.edits.insert(row_id, text=text, start=start, end=end)
        row = Row(
            row_id,
            start,
            end,
            text,
            modified=True,
            inserted=True,
            changed=frozenset({"text", "start", "end"}),
        )
        self._insert_sorted(row)
        self.dirty = True
        return row

    def set_realigned_times(self, row_id: str, start: float, end: float) -> bool:
        """Times found by aligning the user's corrected text; kept unless the user has set
        the times by hand meanwhile (then ``False`` and nothing changes)."""
        if row_id not in self._index or not self.edits.set_realigned(row_id, start, end):
            return False
        current = self.row(row_id)
        self._replace(row_id, replace(current, start=start, end=end, realigned=True))
        self.dirty = True
        return True

    # -- undo support ------------------------------------------------------------------
    def state_of(self, row_id: str) -> RowState:
        position = self._index.get(row_id)
        inserted = self.edits.inserted.get(row_id)
        return RowState(
            row_id=row_id,
            row=self.rows[position] if position is not None else None,
            edit=self.edits.rows.get(row_id),
            deleted=self.edits.deleted.get(row_id),
            inserted=dict(inserted) if inserted is not None else None,
        )

    def restore(self, state: RowState) -> None:
        """Put a row and its edit record back exactly as ``state`` captured them."""
        row_id = state.row_id
        for table, value in (
            (self.edits.rows, state.edit),
            (self.edits.deleted, state.deleted),
            (self.edits.inserted, state.inserted),
        ):
            if value is None:
                table.pop(row_id, None)
            else:
                table[row_id] = value  # type: ignore[assignment]
        position = self._index.get(row_id)
        if position is not None:
            if state.row is not None and state.row.start == self.rows[position].start:
                self._replace(row_id, state.row)
            else:
                self._remove(position)
                if state.row is not None:
                    self._insert_sorted(state.row)
        elif state.row is not None:
            self._insert_sorted(state.row)
        self.dirty = True

    # -- many rows at once (shifting times, and undoing that) ----------------------------
    def edit_times(self, times: Mapping[str, tuple[float, float]]) -> None:
        """Give several rows new ``(start, end)`` times, as ``edit`` would one by one.

        All or nothing: an unknown row or an impossible time raises ``EditError`` before
        anything changes. Rows that keep their place in time order change in place and
        are announced once per run of neighbouring rows, so shifting every subtitle is
        one pass over the table, not a removal and an insertion per row.
        """
        current = {row_id: self.row(row_id) for row_id in times}
        for start, end in times.values():
            check_times(float(start), float(end))
        updated: dict[str, Row] = {}
        for row_id, (start, end) in times.items():
            row = current[row_id]
            start, end = float(start), float(end)
            changed = {
                name
                for name, old, new in (("start", row.start, start), ("end", row.end, end))
                if old != new
            }
            if not changed:
                continue
            self.edits.modify(
                row_id, text=row.text, start=start, end=end, changed=changed, stage=self.stage
            )
            updated[row_id] = replace(
                row,
                start=start,
                end=end,
                modified=True,
                changed=row.changed | frozenset(changed),
                realigned=False,
            )
        if updated:
            self._replace_many(updated)
            self.dirty = True

    def restore_many(self, states: Sequence[RowState]) -> None:
        """``restore`` every state, in order; rows that stay in the table change in one pass."""
        kept: dict[str, Row] = {}
        for state in states:
            if state.row is not None and state.row_id in self._index:
                for table, value in (
                    (self.edits.rows, state.edit),
                    (self.edits.deleted, state.deleted),
                    (self.edits.inserted, state.inserted),
                ):
                    if value is None:
                        table.pop(state.row_id, None)
                    else:
                        table[state.row_id] = value  # type: ignore[assignment]
                kept[state.row_id] = state.row
            else:
                self.restore(state)
        if kept:
            self._replace_many(kept)
        self.dirty = True

    def save_edits(self, folder: Path) -> None:
        self.edits.save(folder)
        self.dirty = False

    # -- primitives (each tells the observers) ----------------------------------------
    def _insert_sorted(self, row: Row) -> None:
        position = bisect.bisect_right(self._starts, row.start)
        for observer in self.observers:
            observer.rows_about_to_be_inserted(position, position)
        self.rows.insert(position, row)
        self._starts.insert(position, row.start)
        for i in range(position, len(self.rows)):
            self._index[self.rows[i].id] = i
        for observer in self.observers:
            observer.rows_inserted(position, position)

    def _remove(self, position: int) -> None:
        for observer in self.observers:
            observer.rows_about_to_be_removed(position, position)
        removed = self.rows.pop(position)
        self._starts.pop(position)
        del self._index[removed.id]
        for i in range(position, len(self.rows)):
            self._index[self.rows[i].id] = i
        for observer in self.observers:
            observer.rows_removed(position, position)

    def _replace_many(self, updated: Mapping[str, Row]) -> None:
        """Replace several rows; in place when time order still holds, else one by one."""
        rows = self.rows
        positions = sorted(self._index[row_id] for row_id in updated)
        previous = [rows[p] for p in positions]
        for p in positions:
            rows[p] = updated[rows[p].id]
        last = len(rows) - 1
        if all(
            (p == 0 or rows[p - 1].start <= rows[p].start)
            and (p == last or rows[p].start <= rows[p + 1].start)
            for p in positions
        ):
            for p in positions:
                self._starts[p] = rows[p].start
            first = positions[0]
            for k, p in enumerate(positions):
                if k + 1 == len(positions) or positions[k + 1] != p + 1:
                    for observer in self.observers:
                        observer.rows_changed(first, p)
                    if k + 1 < len(positions):
                        first = positions[k + 1]
            return
        for p, row in zip(positions, previous):
            rows[p] = row
        for row_id, row in updated.items():
            self._replace(row_id, row)

    def _replace(self, row_id: str, row: Row) -> None:
        position = self._index[row_id]
        if row.start == self.rows[position].start:
            self.rows[position] = row
            for observer in self.observers:
                observer.rows_changed(position, position)
            return
        # The start moved: the row moves to keep the table in time order.
        self._remove(position)
        self._insert_sorted(row)
