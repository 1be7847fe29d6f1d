"""The checks the table shows beside each row: too fast to read, lines too long, too many
lines, shown too briefly or too long, overlapping the next row, impossible times.

The limits are the export's (``LineRules`` in ``subtitle_rules``), so the table warns
about exactly what the export would have to change. Reading speed has its own limit
for CJK text (``max_cps_cjk``): a Chinese character carries about a word.

A line or a row counts as CJK the way ``LineRules.line_limit`` decides it: when at
least half of its units are CJK, a unit being one Han/kana/Hangul character or one
run of other non-space characters (a Latin word). So a Chinese line quoting "iPhone"
is CJK, an English line quoting one kanji is not. This is computed with one regular
expression per line, because ``check_rows`` runs on every change: 2,000 rows take a
few milliseconds.

Markup is not text the viewer reads: ``<i>`` and ``{\\an8}`` tags are not counted.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from typing import NamedTuple

from subtitle_studio.core.subtitle_rules import CJK_RANGES, DEFAULT_RULES, LineRules, TimedText


class Problem(enum.IntFlag):
    NONE = 0
    READING_SPEED = 1
    LINE_LENGTH = 2
    TOO_MANY_LINES = 4
    TOO_SHORT = 8
    TOO_LONG = 16
    OVERLAP = 32
    BAD_TIMES = 64


# Plain ints in the loop: operators on an IntFlag run Python code, ints do not.
_CPS, _LENGTH, _LINES = (
    int(Problem.READING_SPEED),
    int(Problem.LINE_LENGTH),
    int(Problem.TOO_MANY_LINES),
)
_SHORT, _LONG = int(Problem.TOO_SHORT), int(Problem.TOO_LONG)
_OVERLAP, _BAD = int(Problem.OVERLAP), int(Problem.BAD_TIMES)
_EPSILON = 1e-6  # times are milliseconds; less than this is float noise
_CJK_CLASS = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in CJK_RANGES)
_OTHER_WORD = re.compile(f"[^\\s{_CJK_CLASS}]+")
_MARKUP = re.compile(r"<[^>\n]*>|\{\\[^}\n]*\}")


class RowFlags(NamedTuple):
    """A row's problems and the numbers behind them (for the tooltip)."""

    bits: int = 0
    cps: float = 0.0
    max_cps: float = 0.0
    longest_line: int = 0
    line_limit: int = 0
    lines: int = 0
    max_lines: int = 0
    duration: float = 0.0
    overlap: float = 0.0
    rules: LineRules = DEFAULT_RULES

    @property
    def problems(self) -> Problem:
        return Problem(self.bits)

    @property
    def ok(self) -> bool:
        return not self.bits

    @property
    def tooltip(self) -> str:
        """One sentence per problem, saying what is wrong and by how much."""
        bits, rules, out = self.bits, self.rules, []
        if bits & _BAD:
            out.append("Ends before it starts: fix its times.")
        if bits & _CPS:
            out.append(
                f"Too fast to read: {self.cps:.1f} characters per second "
                f"(at most {self.max_cps:g}); shorten the text or lengthen the time."
            )
        if bits & _LENGTH:
            out.append(f"A line has {self.longest_line} characters (at most {self.line_limit}).")
        if bits & _LINES:
            out.append(f"{self.lines} lines (at most {self.max_lines}).")
        if bits & _SHORT:
            out.append(f"Shown for {self.duration:.3f} s, less than {rules.min_duration_s:g} s.")
        if bits & _LONG:
            out.append(f"Shown for {self.duration:.3f} s, more than {rules.max_duration_s:g} s.")
        if bits & _OVERLAP:
            out.append(f"Overlaps the next subtitle by {self.overlap:.3f} s.")
        return "\n".join(out)


_OK = RowFlags()


def _units(text: str) -> tuple[int, int]:
    """(CJK characters, other words) of a text: its units (see the module docstring)."""
    if text.isascii():
        return 0, len(text.split())
    others = _OTHER_WORD.findall(text)
    # Every non-space character is either CJK or part of an other word.
    return len("".join(text.split())) - sum(map(len, others)), len(others)


def check_rows(rows: Sequence[TimedText], rules: LineRules = DEFAULT_RULES) -> list[RowFlags]:
    """The flags of every row (``rows`` in table order: overlaps look at the next row)."""
    out: list[RowFlags] = []
    latin_limit, cjk_limit = rules.max_chars_per_line, rules.max_chars_per_line_cjk
    max_cps, max_cps_cjk, max_lines = rules.max_cps, rules.max_cps_cjk, rules.max_lines
    shortest, longest = rules.min_duration_s - _EPSILON, rules.max_duration_s + _EPSILON
    count = len(rows)
    for index, row in enumerate(rows):
        end, text = row.end, row.text
        if "<" in text or "{" in text:
            text = _MARKUP.sub("", text)
        bits = 0
        duration = end - row.start
        overlap = 0.0
        if index + 1 < count:
            overlap = end - rows[index + 1].start
            if overlap > _EPSILON:
                bits |= _OVERLAP
        # Lines: each is measured against its own script's limit; the row's script,
        # for reading speed, is decided from the units of all its lines together.
        widest = line_limit = lines = wide = other = 0
        for line in text.split("\n") if "\n" in text else (text,):
            line = line.strip()
            if not line:
                continue
            lines += 1
            size = len(line)
            if line.isascii():
                other += line.count(" ") + 1  # stripped: words are one more than spaces
                limit = latin_limit
            else:
                line_wide, line_other = _units(line)
                wide, other = wide + line_wide, other + line_other
                limit = cjk_limit if line_wide and line_wide >= line_other else latin_limit
            if size > limit:
                bits |= _LENGTH
            if not line_limit or size - limit > widest - line_limit:
                widest, line_limit = size, limit
        if lines > max_lines:
            bits |= _LINES
        limit_cps = max_cps_cjk if wide and wide >= other else max_cps
        cps = len(text.replace("\n", "").strip()) / duration if duration > 0 else 0.0
        if duration <= _EPSILON:
            bits |= _BAD
        else:
            if cps > limit_cps + _EPSILON:
                bits |= _CPS
            if duration < shortest:
                bits |= _SHORT
            elif duration > longest:
                bits |= _LONG
        if not bits:
            out.append(_OK)
            continue
        out.append(
            RowFlags(
                bits,
                cps,
                limit_cps,
                widest,
                line_limit,
                lines,
                max_lines,
                duration,
                max(overlap, 0.0),
                rules,
            )
        )
    return out


def next_problem(
    flags: Sequence[RowFlags], from_index: int, *, backwards: bool = False
) -> int | None:
    """The next row with a problem after ``from_index`` (before it, ``backwards``),
    wrapping around the table; ``from_index`` itself comes last. ``None`` if no row
    has a problem. Start from ``-1`` to search from the top, from ``len(flags)``
    to search backwards from the bottom."""
    count = len(flags)
    step = -1 if backwards else 1
    for k in range(1, count + 1):
        index = (from_index + step * k) % count
        if flags[index].bits:
            return index
    return None
