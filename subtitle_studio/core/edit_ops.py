"""The table's edit operations: insert, delete, split, merge, shift, set a time from the
playhead, find and replace, go to a time. Plain Python over ``SubtitleDocument``.

Every operation that changes the document checks everything first and raises
``EditError`` before anything changes. It then works through the document's own
methods (so the user's edits land in ``edits.json`` like any typed edit) and returns
a :class:`Change`: the ``RowState`` of every row it touched, before and after. Undo
restores every ``before`` state and redo every ``after`` state, which is what the
window's ``QUndoCommand``s do (``gui/undo.py``) and what :class:`History` does here
for code and tests without Qt. Restoring states rather than running the operation
again keeps redo exact: a row split off comes back with the same id.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from subtitle_studio.core.document import Row, RowState, SubtitleDocument
from subtitle_studio.core.subtitle_rules import DEFAULT_RULES
from subtitle_studio.core.timecode import format_display, to_milliseconds
from subtitle_studio.errors import EditError, translatable

#: A new row fills the gap it goes into, up to this long.
NEW_ROW_S = 2.0
#: A gap shorter than this has no room for a new row: it overlaps its neighbour instead
#: (the checks flag the overlap, and the user sets the times).
MIN_NEW_ROW_S = 0.5
#: Half a millisecond: times are kept to the millisecond, so less is rounding noise.
_HALF_MS = 0.0005


@dataclass(frozen=True)
class Change:
    """One undoable step: restore ``before`` to undo it, ``after`` to redo it."""

    before: tuple[RowState, ...]
    after: tuple[RowState, ...]
    #: What the step did, in English (undo menu, status bar): ``template`` filled in.
    label: str
    #: ``label`` as a template marked ``translatable`` and its parameters, so the window
    #: can show it in its own language.
    template: str = ""
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def row_ids(self) -> tuple[str, ...]:
        """The rows this change touched, new ones included."""
        return tuple(state.row_id for state in self.after)

    @property
    def changed(self) -> bool:
        """False for a step that changed nothing (nothing to push on an undo stack)."""
        return self.before != self.after


def undo_change(document: SubtitleDocument, change: Change) -> None:
    document.restore_many(change.before)


def redo_change(document: SubtitleDocument, change: Change) -> None:
    document.restore_many(change.after)


class History:
    """Undo and redo stacks of ``Change``s, for use without Qt."""

    def __init__(self, document: SubtitleDocument, limit: int = 1000) -> None:
        self.document = document
        self.limit = limit
        self._undo: list[Change] = []
        self._redo: list[Change] = []

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_label(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    @property
    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    def push(self, change: Change) -> None:
        """Record an applied change; one that changed nothing is ignored."""
        if not change.changed:
            return
        self._undo.append(change)
        del self._undo[: -self.limit]
        self._redo.clear()

    def undo(self) -> Change | None:
        if not self._undo:
            return None
        change = self._undo.pop()
        undo_change(self.document, change)
        self._redo.append(change)
        return change

    def redo(self) -> Change | None:
        if not self._redo:
            return None
        change = self._redo.pop()
        redo_change(self.document, change)
        self._undo.append(change)
        return change

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()


# -- helpers -------------------------------------------------------------------------------
def _ms(seconds: float) -> float:
    """``seconds`` rounded to the millisecond, as every subtitle file stores it."""
    return to_milliseconds(seconds) / 1000


def _absent(row_id: str) -> RowState:
    return RowState(row_id, None, None, None, None)


def _positions(document: SubtitleDocument, row_ids: Iterable[str]) -> list[int]:
    """Table positions of ``row_ids`` in table order; ``EditError`` for an unknown id."""
    positions = set()
    for row_id in row_ids:
        position = document.position(row_id)
        if position is None:
            raise EditError("There is no subtitle {row_id}.", row_id=row_id)
        positions.add(position)
    return sorted(positions)


def _states(document: SubtitleDocument, row_ids: Iterable[str]) -> tuple[RowState, ...]:
    return tuple(document.state_of(row_id) for row_id in row_ids)


def _change(
    before: tuple[RowState, ...], after: tuple[RowState, ...], template: str, **params: object
) -> Change:
    """A ``Change`` labelled by ``template`` (a ``translatable`` literal) and ``params``."""
    texts = {name: str(value) for name, value in params.items()}
    return Change(before, after, template.format(**texts), template, texts)


def _which(positions: Sequence[int], one: str, run: str, many: str) -> tuple[str, dict[str, int]]:
    """The template for one row, a run of rows or scattered rows, and its numbers."""
    if len(positions) == 1:
        return one, {"number": positions[0] + 1}
    if positions[-1] - positions[0] + 1 == len(positions):
        return run, {"first": positions[0] + 1, "last": positions[-1] + 1}
    return many, {"count": len(positions)}


# -- rows: insert, delete, split, merge ------------------------------------------------------
def insert_row(
    document: SubtitleDocument,
    row_id: str | None = None,
    *,
    before: bool = False,
    text: str = "",
) -> Change:
    """Add a row after (or ``before``) ``row_id``, or after the last row when ``None``.

    The new row fills the gap beside its neighbour, up to ``NEW_ROW_S``. When the gap
    is shorter than ``MIN_NEW_ROW_S`` it takes ``NEW_ROW_S`` anyway and overlaps the
    next row (after) or the row above (before), keeping its place in the table.
    """
    rows = document.rows
    if row_id is None:
        start = _ms(rows[-1].end) if rows else 0.0
        end = start + NEW_ROW_S
    else:
        position = _positions(document, [row_id])[0]
        row = rows[position]
        if before:
            end = row.start
            floor = rows[position - 1].end if position else 0.0
            start = max(floor, end - NEW_ROW_S)
            if end - start < MIN_NEW_ROW_S:
                start = max(rows[position - 1].start if position else 0.0, end - NEW_ROW_S)
            start = _ms(start)
            if start >= end:
                raise EditError(
                    "There is no time before subtitle {number} for a new one; "
                    "add it after instead.",
                    number=position + 1,
                )
        else:
            start = row.end
            ceiling = rows[position + 1].start if position + 1 < len(rows) else math.inf
            end = min(ceiling, start + NEW_ROW_S)
            if end - start < MIN_NEW_ROW_S:
                end = start + NEW_ROW_S
            end = _ms(end)
    new = document.insert(start, end, text)
    return _change(
        (_absent(new.id),),
        (document.state_of(new.id),),
        translatable("Add subtitle at {time}"),
        time=format_display(start),
    )


def delete_rows(document: SubtitleDocument, row_ids: Iterable[str]) -> Change:
    """Delete rows (all or none: an unknown id changes nothing)."""
    positions = _positions(document, row_ids)
    if not positions:
        raise EditError("Select the subtitles to delete.")
    ids = [document.rows[p].id for p in positions]
    before = _states(document, ids)
    for row_id in reversed(ids):  # from the bottom: nothing below has to be renumbered
        document.delete(row_id)
    template, numbers = _which(
        positions,
        translatable("Delete subtitle {number}"),
        translatable("Delete subtitles {first}–{last}"),
        translatable("Delete {count} subtitles"),
    )
    return _change(before, _states(document, ids), template, **numbers)


def _weight(text: str) -> int:
    """Characters a reader reads: what the time of a split is shared by."""
    return sum(1 for char in text if not char.isspace())


def split_row(
    document: SubtitleDocument,
    row_id: str,
    cursor: int,
    *,
    gap: float = DEFAULT_RULES.min_gap_s,
) -> Change:
    """Split a row at text position ``cursor``: the text before stays, the text after
    becomes a new row. The time is shared in proportion to the characters on each side,
    with ``gap`` seconds between the halves when the row is long enough for one."""
    position = _positions(document, [row_id])[0]
    row = document.rows[position]
    left, right = row.text[: max(cursor, 0)].rstrip(), row.text[max(cursor, 0) :].lstrip()
    if not left or not right:
        raise EditError("Put the cursor inside the text, where the subtitle should be split.")
    start_ms, end_ms = to_milliseconds(row.start), to_milliseconds(row.end)
    share = _weight(left) / (_weight(left) + _weight(right))
    cut = start_ms + round((end_ms - start_ms) * share)
    for gap_ms in (round(gap * 1000), 0):
        first_end = cut - gap_ms // 2
        second_start = first_end + gap_ms
        if start_ms < first_end and second_start < end_ms:
            break
    else:
        raise EditError("Subtitle {number} is too short to split.", number=position + 1)
    before = document.state_of(row_id)
    document.edit(row_id, text=left, end=first_end / 1000)
    new = document.insert(second_start / 1000, row.end, right)
    after = (document.state_of(row_id), document.state_of(new.id))
    return _change(
        (before, _absent(new.id)),
        after,
        translatable("Split subtitle {number}"),
        number=position + 1,
    )


def join_rows(document: SubtitleDocument, row_ids: Iterable[str]) -> Change:
    """Merge neighbouring rows into the first: texts joined by line breaks, the first's
    start, the latest end."""
    positions = _positions(document, row_ids)
    if len(positions) < 2:
        raise EditError("Select two or more subtitles to merge.")
    if positions[-1] - positions[0] + 1 != len(positions):
        raise EditError("Only subtitles next to each other can be merged.")
    rows = [document.rows[p] for p in positions]
    text = "\n".join(r.text.strip() for r in rows if r.text.strip())
    end = max(r.end for r in rows)
    ids = [r.id for r in rows]
    before = _states(document, ids)
    document.edit(ids[0], text=text, end=end)
    for row_id in reversed(ids[1:]):
        document.delete(row_id)
    template, numbers = _which(
        positions,
        translatable("Merge subtitle {number}"),
        translatable("Merge subtitles {first}–{last}"),
        translatable("Merge {count} subtitles"),
    )
    return _change(before, _states(document, ids), template, **numbers)


# -- times ----------------------------------------------------------------------------------
def shift_rows(
    document: SubtitleDocument, offset: float, row_ids: Iterable[str] | None = None
) -> Change:
    """Move rows (all when ``row_ids`` is ``None``) by ``offset`` seconds, refusing a
    shift that would put a subtitle before the start of the video."""
    if not isinstance(offset, (int, float)) or not math.isfinite(offset):
        raise EditError("{offset} is not a number of seconds.", offset=f"{offset!r}")
    positions = list(range(len(document))) if row_ids is None else _positions(document, row_ids)
    rows = [document.rows[p] for p in positions]
    template, numbers = (
        (translatable("Shift all subtitles by {offset} s"), {})
        if row_ids is None
        else _which(
            positions,
            translatable("Shift subtitle {number} by {offset} s"),
            translatable("Shift subtitles {first}–{last} by {offset} s"),
            translatable("Shift {count} subtitles by {offset} s"),
        )
    )
    label = {"offset": f"{offset:+.3f}", **numbers}
    if not rows or _ms(abs(offset)) == 0:
        return _change((), (), template, **label)
    first = min(rows, key=lambda r: r.start)
    if first.start + offset < -_HALF_MS:
        number = document.position(first.id)
        raise EditError(
            "Shifting by {offset} s would move subtitle {number} "
            "(at {start}) before the start of the video; "
            "move them back by at most {limit} s.",
            offset=f"{offset:+.3f}",
            number=(number or 0) + 1,
            start=format_display(first.start),
            limit=f"{first.start:.3f}",
        )
    for r in rows:
        if r.end <= r.start:  # only a file can bring such a row; its times cannot be edited
            raise EditError(
                "Subtitle {number} ends before it starts; set its end first, then shift.",
                number=(document.position(r.id) or 0) + 1,
            )
    times = {r.id: (_ms(max(0.0, r.start + offset)), _ms(r.end + offset)) for r in rows}
    ids = [r.id for r in rows]
    before = _states(document, ids)
    document.edit_times(times)
    return _change(before, _states(document, ids), template, **label)


def set_row_time(
    document: SubtitleDocument, row_id: str, which: Literal["start", "end"], position: float
) -> Change:
    """Set a row's start or end to ``position`` (the playhead), in milliseconds."""
    if which not in ("start", "end"):
        raise EditError("{which} is neither the start nor the end.", which=f"{which!r}")
    number = _positions(document, [row_id])[0] + 1
    row = document.rows[number - 1]
    time = _ms(position)  # EditError for a negative or impossible time
    if which == "start" and time >= row.end:
        raise EditError(
            "Subtitle {number} would start ({time}) after it ends ({end}); set its end first.",
            number=number,
            time=format_display(time),
            end=format_display(row.end),
        )
    if which == "end" and time <= row.start:
        raise EditError(
            "Subtitle {number} would end ({time}) before it starts ({start}); set its start first.",
            number=number,
            time=format_display(time),
            start=format_display(row.start),
        )
    before = document.state_of(row_id)
    if which == "start":
        document.edit(row_id, start=time)
    else:
        document.edit(row_id, end=time)
    template = (
        translatable("Set the start of subtitle {number} to {time}")
        if which == "start"
        else translatable("Set the end of subtitle {number} to {time}")
    )
    after = (document.state_of(row_id),)
    return _change((before,), after, template, number=number, time=format_display(time))


def row_at_time(rows: Sequence[Row], seconds: float) -> int | None:
    """The position of the row showing at ``seconds``, else of the next row to start;
    ``None`` past the last row. ``rows`` are in time order, as the document keeps them."""
    position = bisect.bisect_right(rows, seconds, key=lambda r: r.start) - 1
    if position >= 0 and rows[position].end > seconds:
        return position
    return position + 1 if position + 1 < len(rows) else None


# -- find and replace ---------------------------------------------------------------------
@dataclass(frozen=True)
class FindQuery:
    """What to look for: plain text (the default), whole words only, or a regular
    expression (Python syntax; ``\\1`` and ``\\g<name>`` in its replacement)."""

    text: str
    regex: bool = False
    whole_word: bool = False
    case_sensitive: bool = False

    def compile(self) -> re.Pattern[str]:
        if not self.text:
            raise EditError("Type the text to find.")
        body = self.text if self.regex else re.escape(self.text)
        if self.whole_word:
            body = rf"(?<!\w)(?:{body})(?!\w)"
        try:
            return re.compile(body, 0 if self.case_sensitive else re.IGNORECASE)
        except re.error as exc:
            if exc.pos is None:
                raise EditError(
                    "{text} is not a valid regular expression: {error}.",
                    text=f"{self.text!r}",
                    error=exc.msg,
                ) from exc
            raise EditError(
                "{text} is not a valid regular expression: {error} at position {position}.",
                text=f"{self.text!r}",
                error=exc.msg,
                position=exc.pos + 1,
            ) from exc


@dataclass(frozen=True)
class TextMatch:
    row_id: str
    position: int
    start: int
    end: int


def find_all(rows: Sequence[Row], query: FindQuery) -> list[TextMatch]:
    """Every match in table order (empty matches of a regular expression are skipped)."""
    pattern = query.compile()
    return [
        TextMatch(row.id, position, m.start(), m.end())
        for position, row in enumerate(rows)
        for m in pattern.finditer(row.text)
        if m.end() > m.start()
    ]


def find_next(
    rows: Sequence[Row],
    query: FindQuery,
    after: tuple[int, int] | None = None,
    *,
    backwards: bool = False,
) -> TextMatch | None:
    """The next match from ``after`` = (row position, text offset), wrapping around the
    table: forwards, the first match starting at or after the offset; backwards, the
    last one ending at or before it. ``None`` when nothing matches anywhere."""
    matches = find_all(rows, query)
    if not matches:
        return None
    if after is None:
        return matches[-1] if backwards else matches[0]
    if backwards:
        earlier = [m for m in matches if (m.position, m.end) <= after]
        return earlier[-1] if earlier else matches[-1]
    later = [m for m in matches if (m.position, m.start) >= after]
    return later[0] if later else matches[0]


def _expand(match: re.Match[str], query: FindQuery, replacement: str) -> str:
    if not query.regex:
        return replacement
    try:
        return match.expand(replacement)
    except (re.error, IndexError) as exc:
        raise EditError(
            "The replacement {replacement} is not valid: {error}.",
            replacement=f"{replacement!r}",
            error=exc,
        ) from exc


def replace_match(
    document: SubtitleDocument, match: TextMatch, query: FindQuery, replacement: str
) -> Change:
    """Replace one match found by ``find_next``; ``EditError`` if the text has changed
    since (search again)."""
    pattern = query.compile()
    row = document.row(match.row_id)
    found = pattern.match(row.text, match.start)
    if found is None or found.end() != match.end:
        raise EditError("The text has changed since it was found; search again.")
    text = row.text[: match.start] + _expand(found, query, replacement) + row.text[match.end :]
    number = (document.position(match.row_id) or 0) + 1
    before = document.state_of(match.row_id)
    document.edit(match.row_id, text=text)
    after = (document.state_of(match.row_id),)
    return _change((before,), after, translatable("Replace in subtitle {number}"), number=number)


def replace_all(
    document: SubtitleDocument,
    query: FindQuery,
    replacement: str,
    row_ids: Iterable[str] | None = None,
) -> Change:
    """Replace every match (in ``row_ids`` only, when given) as one undoable step."""
    pattern = query.compile()
    positions = range(len(document)) if row_ids is None else _positions(document, row_ids)
    texts: dict[str, str] = {}
    count = 0
    for position in positions:
        row = document.rows[position]
        pieces: list[str] = []
        last = 0
        for m in pattern.finditer(row.text):
            if m.end() == m.start():
                continue
            pieces += [row.text[last : m.start()], _expand(m, query, replacement)]
            last = m.end()
            count += 1
        if pieces:
            text = "".join(pieces) + row.text[last:]
            if text != row.text:
                texts[row.id] = text
    before = _states(document, texts)
    for row_id, text in texts.items():
        document.edit(row_id, text=text)
    return _change(
        before,
        _states(document, texts),
        translatable("Replace {count} × {query} in {rows} subtitles"),
        count=count,
        query=repr(query.text),
        rows=len(texts),
    )
