"""A strict, independent SRT reader and subtitle-rule checker for tests.

Written without looking at ``subtitle_studio.core`` so that a bug in the writers
or the rules cannot hide itself: this module re-states the SubRip block format
and the house line rules in its own words, and raises ``AssertionError`` with a
message naming the block and the problem.

The format accepted is what our writers promise: UTF-8 text without a BOM, ``\\n``
line ends only, blocks ``index / HH:MM:SS,mmm --> HH:MM:SS,mmm / text lines``
separated by exactly one blank line, indices 1..n, and the file ending right after
the last block (one trailing blank line allowed).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

_TIMING = re.compile(
    r"(\d{2,}):([0-5]\d):([0-5]\d),(\d{3}) --> (\d{2,}):([0-5]\d):([0-5]\d),(\d{3})", re.ASCII
)
_EPS = 1e-6


def _seconds(h: str, m: str, s: str, ms: str) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def parse_srt(text: str) -> list[tuple[int, float, float, str]]:
    """Read SRT text into ``(index, start, end, text)``; any format violation fails."""
    assert isinstance(text, str), f"SRT must be text, got {type(text).__name__}"
    assert not text.startswith("\ufeff"), "SRT starts with a byte-order mark"
    assert "\r" not in text, "SRT contains a carriage return (expected \\n line ends)"
    if text == "":
        return []
    assert text.endswith("\n"), "SRT does not end with a line break"
    body = text[:-1] if text.endswith("\n\n") else text
    assert not body.endswith("\n\n"), "SRT ends with more than one blank line"
    blocks = body[:-1].split("\n\n")
    out = []
    for number, block in enumerate(blocks, 1):
        lines = block.split("\n")
        where = f"block {number} ({block[:60]!r})"
        assert len(lines) >= 3, f"{where}: needs an index, a timing line and text"
        assert lines[0] == str(number), f"{where}: index {lines[0]!r}, expected {number}"
        match = _TIMING.fullmatch(lines[1])
        assert match, f"{where}: bad timing line {lines[1]!r}"
        start, end = _seconds(*match.groups()[:4]), _seconds(*match.groups()[4:])
        assert end >= start, f"{where}: ends before it starts"
        for line in lines[2:]:
            assert line.strip(), f"{where}: blank text line (blocks are split by one blank line)"
        out.append((number, start, end, "\n".join(lines[2:])))
    return out


def _is_wide(char: str) -> bool:
    """A character of a script written without spaces or in CJK cells."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _line_limit(line: str, cue_text: str, rules: Any) -> int:
    """The Latin limit for a line with no CJK characters; the CJK limit when most of the
    cue's visible characters are wide; otherwise (mixed text) the lenient Latin one."""
    if not any(_is_wide(c) for c in line):
        return rules.max_chars_per_line
    visible = [c for c in cue_text if not c.isspace()]
    wide = sum(1 for c in visible if _is_wide(c))
    return rules.max_chars_per_line_cjk if wide * 2 > len(visible) else rules.max_chars_per_line


def _as_tuple(cue: Any) -> tuple[float, float, str]:
    if isinstance(cue, tuple) and len(cue) == 4:
        return cue[1], cue[2], cue[3]
    return cue.start, cue.end, cue.text


def check_rules(cues: Iterable[Any], rules: Any) -> None:
    """Assert every cue obeys the line rules and the timing rules.

    ``cues`` are objects with ``start``, ``end`` and ``text`` or ``parse_srt`` tuples;
    ``rules`` is anything with the ``LineRules`` attribute names.
    """
    gap = rules.min_gap_frames / rules.frame_rate
    previous: tuple[float, float, str] | None = None
    for number, cue in enumerate(cues, 1):
        start, end, text = _as_tuple(cue)
        where = f"cue {number} ({start:.3f}-{end:.3f} {text!r})"
        assert text.strip(), f"{where}: empty text"
        assert start >= 0, f"{where}: negative start"
        assert end > start, f"{where}: does not last"
        assert end - start <= rules.max_duration_s + _EPS, f"{where}: longer than allowed"
        lines = text.split("\n")
        assert len(lines) <= rules.max_lines, f"{where}: {len(lines)} lines"
        for line in lines:
            assert line.strip(), f"{where}: blank line"
            limit = _line_limit(line, text, rules)
            assert len(line) <= limit, f"{where}: line {line!r} has {len(line)} > {limit} chars"
        if previous is not None:
            assert start >= previous[0], f"{where}: starts before the cue before it"
            assert start - previous[1] >= gap - _EPS, (
                f"{where}: only {start - previous[1]:.3f} s after the previous cue ends "
                f"(needs {gap:.3f} s)"
            )
        previous = (start, end, text)
