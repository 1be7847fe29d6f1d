"""The merge (SPEC §7): machine rows plus the user's edits, the user's work first.

A pure function over plain rows, so the window, the srt phase and a reopened job
all get the same answer:

* a row whose text the user changed keeps that text and takes the machine's times
  (after alignment: spanning every aligned row its unaligned row became);
* a row whose times the user changed keeps the user's times and text;
* deleted rows stay deleted, inserted rows stay;
* every other row takes the machine's version.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from subtitle_studio.core.edits import Edits, RowEdit

TIME_FIELDS = frozenset({"start", "end"})


def merge_rows(
    rows: Sequence[dict[str, Any]], edits: Edits, *, aligned: bool
) -> list[dict[str, Any]]:
    """Rows for display and export, in time order; each carries ``modified``/``inserted`` flags.

    ``rows`` are unaligned rows (``aligned=False``) or aligned rows with a
    ``source_id`` (``aligned=True``).
    """
    if edits.empty:
        return sorted((_plain(r) for r in rows), key=lambda r: (r["start"], r["end"]))

    # Edits made before alignment address an unaligned row, i.e. a group of aligned rows.
    group_edits: dict[str, RowEdit] = {}
    group_deletes: set[str] = set()
    if aligned:
        group_edits = {k: e for k, e in edits.rows.items() if e.stage == "unaligned"}
        group_deletes = {k for k, s in edits.deleted.items() if s == "unaligned"}

    groups: dict[str, list[dict[str, Any]]] = {}
    if group_edits or group_deletes:
        for row in rows:
            groups.setdefault(row.get("source_id", row["id"]), []).append(row)

    out: list[dict[str, Any]] = []
    placed: set[str] = set()
    for row in rows:
        source = row.get("source_id", row["id"]) if aligned else row["id"]
        if aligned and (source in group_edits or source in group_deletes):
            if source in placed or source in group_deletes:
                continue
            placed.add(source)
            out.append(_apply_group(source, group_edits[source], groups[source]))
            continue
        if row["id"] in edits.deleted and (not aligned or edits.deleted[row["id"]] == "aligned"):
            continue
        edit = edits.rows.get(row["id"])
        if edit is not None and (not aligned or edit.stage == "aligned"):
            out.append(_apply(row, edit))
        else:
            out.append(_plain(row))

    present = {r["id"] for r in out} | placed
    # An edited row whose machine row vanished (the aligner dropped it, a chunk was redone)
    # stays as the user left it: a correction is never lost silently.
    for row_id, edit in edits.rows.items():
        if row_id not in present and row_id not in edits.deleted:
            out.append(
                _edited_row(row_id, edit.text, edit.start, edit.end, edit.changed, edit.realigned)
            )
    for item in edits.inserted.values():
        out.append(
            {
                **item,
                "modified": True,
                "inserted": True,
                "changed": ["text", "start", "end"],
                "realigned": False,
            }
        )
    out.sort(key=lambda r: (r["start"], r["end"]))
    return out


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "start": row["start"],
        "end": row["end"],
        "text": row["text"],
        "modified": False,
        "inserted": False,
        "changed": [],
        "realigned": False,
    }


def _edited_row(
    row_id: str, text: str, start: float, end: float, changed: frozenset[str], realigned: bool
) -> dict[str, Any]:
    return {
        "id": row_id,
        "start": start,
        "end": end,
        "text": text,
        "modified": True,
        "inserted": False,
        "changed": sorted(changed),
        "realigned": realigned,
    }


def _keeps_own_times(edit: RowEdit) -> bool:
    """The user's times, or times found by aligning the user's text, beat the machine's."""
    return bool(edit.changed & TIME_FIELDS) or edit.realigned


def _apply(row: dict[str, Any], edit: RowEdit) -> dict[str, Any]:
    if _keeps_own_times(edit):
        return _edited_row(row["id"], edit.text, edit.start, edit.end, edit.changed, edit.realigned)
    return _edited_row(row["id"], edit.text, row["start"], row["end"], edit.changed, False)


def _apply_group(source: str, edit: RowEdit, group: list[dict[str, Any]]) -> dict[str, Any]:
    if _keeps_own_times(edit):
        return _edited_row(source, edit.text, edit.start, edit.end, edit.changed, edit.realigned)
    start = min(r["start"] for r in group)
    end = max(r["end"] for r in group)
    return _edited_row(source, edit.text, start, end, edit.changed, False)


def overlay_row(row: dict[str, Any], edits: Edits) -> dict[str, Any] | None:
    """One unaligned row as the user sees it (``None`` when deleted): for a fragment
    that arrives while the user is already editing earlier rows."""
    if row["id"] in edits.deleted:
        return None
    edit = edits.rows.get(row["id"])
    return _apply(row, edit) if edit is not None else _plain(row)
