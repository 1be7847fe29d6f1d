"""Finding the blocks of an SRT, WebVTT or ASS file before pysubs2 reads it.

pysubs2's SRT/WebVTT reader takes any line with two timestamps as a cue and glues
everything else to the cue before it, and one bad ASS time makes it refuse the whole
file. This scanner finds the blocks first, with the line number of every problem, so
the reader can hand pysubs2 only the good ones and tell the user about the rest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pysubs2

from subtitle_studio.errors import Message

ENDS_BEFORE_START = Message("This subtitle ends before it starts; it was skipped.")


@dataclass(frozen=True)
class FileProblem:
    """Something wrong in an opened file; ``line`` counts from 1.

    ``message`` is English and a ``Message`` when the window can translate it (the
    opened document keeps its template and values for that)."""

    line: int
    message: str

    def saved(self) -> list[Any]:
        """``[line, message]``, plus the template and its values for a ``Message``."""
        if isinstance(self.message, Message):
            return [self.line, str(self.message), self.message.template, self.message.params]
        return [self.line, self.message]


@dataclass
class ScannedCue:
    line: int
    timing: str
    start: int
    end: int
    text: list[str]


@dataclass
class Scan:
    cues: list[ScannedCue]
    problems: list[FileProblem]
    header: tuple[str, ...]

    def normalized(self, vtt: bool) -> str:
        """The good blocks renumbered, plus a sentinel cue: pysubs2 drops a last text line
        that is only a number (it takes it for the next block's index), so no real
        cue may be the last one it reads."""
        parts = ["WEBVTT\n"] if vtt else []
        for k, cue in enumerate(self.cues, 1):
            parts.append(f"{k}\n{cue.timing}\n" + "\n".join(cue.text) + "\n")
        stamp = "00:00:00.000" if vtt else "00:00:00,000"
        parts.append(f"{len(self.cues) + 1}\n{stamp} --> {stamp}\n.\n")
        return "\n".join(parts)


_SRT_TIME = r"\d{1,2}:[0-5]?\d:[0-5]?\d[,.]\d{1,3}"
_VTT_TIME = r"(?:\d{1,4}:)?[0-5]\d:[0-5]\d\.\d{2,3}"
_SRT_TIMING = re.compile(rf"\s*({_SRT_TIME})\s*-->\s*({_SRT_TIME})(?:\s.*)?")
_VTT_TIMING = re.compile(rf"\s*({_VTT_TIME})\s*-->\s*({_VTT_TIME})(?:[ \t].*)?")
_VTT_STAMP = re.compile(r"(?:(\d{1,4}):)?(\d{2}):(\d{2})\.(\d{2,3})")


def _stamp_ms(text: str, vtt: bool) -> int:
    if vtt:  # pysubs2's SRT timestamp wants hours; WebVTT may leave them out
        h, m, s, frac = _VTT_STAMP.fullmatch(text).groups()  # type: ignore[union-attr]
        return pysubs2.time.timestamp_to_ms((h or "0", m, s, frac))
    return pysubs2.time.timestamp_to_ms(pysubs2.time.TIMESTAMP.fullmatch(text).groups())  # type: ignore[union-attr]


def _outside(first: int, count: int) -> Message:
    if count == 1:
        return Message("Line {line} is not part of any subtitle; skipped.", line=first)
    return Message(
        "Lines {first}–{last} are not part of any subtitle; skipped.",
        first=first,
        last=first + count - 1,
    )


def scan_cues(lines: Sequence[str], *, vtt: bool) -> Scan:
    """Split SRT or WebVTT text into cue blocks, checking each; see the module docstring."""
    problems: list[FileProblem] = []
    header: list[str] = []
    first = 0
    if vtt:
        if lines and lines[0].startswith("WEBVTT"):
            while first < len(lines) and lines[first].strip():
                first += 1
            header.append("\n".join(lines[:first]))
        else:
            problems.append(FileProblem(1, Message("The file does not start with WEBVTT.")))
    groups: list[tuple[int, list[str]]] = []
    for number, line in enumerate(lines[first:], first + 1):
        if not line.strip():
            continue
        if groups and groups[-1][0] + len(groups[-1][1]) == number:
            groups[-1][1].append(line)
        else:
            groups.append((number, [line]))
    timing_re = _VTT_TIMING if vtt else _SRT_TIMING
    cues: list[ScannedCue] = []
    open_cue = False  # the last block was a good cue: stray text right after joins it

    def stray(at: int, text: list[str]) -> None:
        if open_cue:
            cues[-1].text.extend(text)
            problems.append(
                FileProblem(
                    at,
                    Message(
                        "A blank line splits the subtitle above; "
                        "the text after it was kept with that subtitle."
                    ),
                )
            )
        else:
            problems.append(FileProblem(at, _outside(at, len(text))))

    for start, group in groups:
        head = group[0].strip()
        if vtt and (head == "NOTE" or head.startswith(("NOTE ", "NOTE\t"))):
            open_cue = False
            continue
        if vtt and not cues and head in ("STYLE", "REGION"):
            header.append("\n".join(group))
            continue
        # A timing line: a valid one anywhere (a blank line may be missing before it), or
        # any line with an arrow where a timing line belongs; an arrow elsewhere is text.
        timings = [
            k
            for k, line in enumerate(group)
            if "-->" in line
            and (k <= 1 or group[k - 1].strip().isdigit() or timing_re.fullmatch(line))
        ]
        if not timings:
            if not vtt and head.isdigit():
                if len(group) > 1:
                    message = Message(
                        "Subtitle {number}: {line} is not a timing line "
                        "(expected 00:00:01,000 --> 00:00:02,500); that subtitle was skipped.",
                        number=head,
                        line=repr(group[1].strip()[:60]),
                    )
                    problems.append(FileProblem(start + 1, message))
                else:
                    problems.append(
                        FileProblem(
                            start,
                            Message("Subtitle {number} is only a number; skipped.", number=head),
                        )
                    )
                open_cue = False
            else:
                stray(start, group)
            continue
        if timings[0] > 1:  # text before an index line: the rest of the cue above
            stray(start, group[: timings[0] - 1])
        for j, t in enumerate(timings):
            stop = timings[j + 1] if j + 1 < len(timings) else len(group)
            body = group[t + 1 : stop]
            if j + 1 < len(timings):
                numbered = bool(body) and body[-1].strip().isdigit()  # the next one's index
                if numbered:
                    body = body[:-1]
                missing = Message("A blank line is missing before this subtitle.")
                problems.append(FileProblem(start + stop - numbered, missing))
            number = start + t
            match = timing_re.fullmatch(group[t])
            open_cue = False
            if match is None:
                example = (
                    "00:00:01.000 --> 00:00:02.500" if vtt else "00:00:01,000 --> 00:00:02,500"
                )
                problems.append(
                    FileProblem(
                        number,
                        Message(
                            "The timing line {line} is not valid "
                            "(expected {example}); that subtitle was skipped.",
                            line=repr(group[t].strip()[:60]),
                            example=example,
                        ),
                    )
                )
                continue
            begin, end = _stamp_ms(match.group(1), vtt), _stamp_ms(match.group(2), vtt)
            if end < begin:
                problems.append(FileProblem(number, ENDS_BEFORE_START))
            elif not any(line.strip() for line in body):
                problems.append(
                    FileProblem(number, Message("This subtitle has no text; it was skipped."))
                )
            else:
                cues.append(ScannedCue(number, group[t].strip(), begin, end, list(body)))
                open_cue = True
    problems.sort(key=lambda problem: problem.line)
    return Scan(
        cues,
        problems,
        tuple(header) if len(header) > 1 or (header and header[0] != "WEBVTT") else (),
    )


def _ass_ms(text: str) -> int | None:
    value = text.strip()
    match = pysubs2.time.TIMESTAMP.match(value) or pysubs2.time.TIMESTAMP_SHORT.match(value)
    return None if match is None else pysubs2.time.timestamp_to_ms(match.groups())


def scan_ass(lines: Sequence[str]) -> tuple[str, list[int], list[FileProblem]]:
    """The script without its broken event lines, the line number of each event kept,
    and the problems (pysubs2 refuses a whole script for one bad time)."""
    section = ""
    kept: list[str] = []
    numbers: list[int] = []
    problems: list[FileProblem] = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line.lower()
        elif section == "[events]" and line.startswith(("Dialogue:", "Comment:")):
            kind, rest = line.split(":", 1)
            fields = rest.strip().split(",", 9)
            message = None
            if len(fields) < 10:
                message = Message("This event has too few fields; it was skipped.")
            else:
                start, end = _ass_ms(fields[1]), _ass_ms(fields[2])
                if start is None or end is None:
                    bad = fields[1] if start is None else fields[2]
                    message = Message(
                        "The time {time} is not valid (expected 0:00:01.00); "
                        "this event was skipped.",
                        time=repr(bad.strip()[:30]),
                    )
                elif kind == "Dialogue" and end < start:
                    message = ENDS_BEFORE_START
            if message is not None:
                problems.append(FileProblem(number, message))
                kept.append("")
                continue
            numbers.append(number)
        kept.append(raw)
    return "\n".join(kept), numbers, problems
