"""Subtitle files the user opens and saves: SubRip, WebVTT, ASS and SSA.

Parsing and writing go through pysubs2. Two things around it are ours (in
``subtitle_encoding`` and ``subtitle_scan``):

* **Encodings.** A byte-order mark decides (UTF-8, UTF-16, UTF-32); then strict
  UTF-8; then a legacy guess among GBK/GB18030, Big5 and cp1252. Statistical
  detectors misread short Chinese files (a few lines of GBK come out as Korean), so
  the guess decodes with each candidate and keeps the reading whose characters are
  the *common* ones of that script (GB2312 level 1 for GBK, Big5 level 1 for Big5):
  the wrong reading of the same bytes lands among rare characters. The encoding
  found is reported so the window can show it, and ``read_subtitles(encoding=...)``
  lets the user overrule it.
* **Broken blocks.** pysubs2's SRT/WebVTT reader takes any line with two timestamps
  as a cue and glues everything else to the cue before it, so a block with a bad
  timing line silently becomes text of its neighbour, and WebVTT ``NOTE`` blocks
  become subtitle text. So a small scanner finds the blocks first (with line
  numbers for every problem) and hands pysubs2 only the good ones, renumbered.
  ASS event lines are checked the same way, since one bad time makes pysubs2
  refuse the whole file.

Rows are ``{"id", "start", "end", "text"}`` with times in seconds and ``"\\n"`` line
breaks; ids are ``"0_<n>"`` (the whole file is one source segment) so a
``SubtitleDocument`` can load them. ASS text keeps its override tags (``{\\i1}``);
SRT and WebVTT text keeps its HTML-like tags (``<i>``), so nothing is lost on save.
"""

from __future__ import annotations

import copy
import heapq
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import pysubs2

from subtitle_studio.core.atomic import write_bytes_atomic
from subtitle_studio.core.subtitle_encoding import BOMS, codec_name, decode_subtitle_bytes
from subtitle_studio.core.subtitle_rules import TimedText
from subtitle_studio.core.subtitle_scan import FileProblem, scan_ass, scan_cues
from subtitle_studio.core.timecode import format_srt, to_milliseconds
from subtitle_studio.errors import EditError, SubtitleFileError

logger = logging.getLogger(__name__)

FileFormat = Literal["srt", "vtt", "ass", "ssa"]
FORMATS: tuple[FileFormat, ...] = ("srt", "vtt", "ass", "ssa")
#: Larger than any real subtitle file; a bigger "subtitle" is a video picked by mistake.
MAX_FILE_BYTES = 32 * 1024 * 1024
_ROW_ID = "0_{}"
_HTML_TAG = re.compile(r"<\s*(/?)\s*([ibus])\s*>", re.IGNORECASE)
_OTHER_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_EMPTY_TAG = re.compile(r"<([ibus])></\1>")


@dataclass(frozen=True)
class SubtitleTemplate:
    """What a file holds besides its cues, so saving it again keeps it.

    ``ass``: the script's header (info, styles, fonts) with the events that are not
    rows (comments, drawings); ``events``: for each row id, the event it came from
    (style, layer, margins, actor); ``vtt_header``: the WebVTT header and its
    ``STYLE``/``REGION`` blocks.
    """

    ass: pysubs2.SSAFile | None = None
    events: Mapping[str, pysubs2.SSAEvent] = field(default_factory=dict)
    vtt_header: tuple[str, ...] = ()


@dataclass
class SubtitleFile:
    path: Path
    format: FileFormat
    encoding: str
    bom: bool
    newline: str
    rows: list[dict[str, Any]]
    problems: list[FileProblem]
    template: SubtitleTemplate | None = None


# -- reading -----------------------------------------------------------------------------
def _sniff_format(text: str, path: Path) -> FileFormat:
    head = text.lstrip()[:8192]
    lower = head.lower()
    if head.startswith("WEBVTT"):
        return "vtt"
    if "[script info]" in lower or "[v4+ styles]" in lower or "[v4 styles]" in lower:
        plus = "[v4+ styles]" in lower or re.search(r"scripttype:\s*v4\.00\+", lower) is not None
        return "ass" if plus else "ssa"
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return cast(FileFormat, suffix)
    if "-->" in text:
        return "srt"
    raise SubtitleFileError("{name} is not an SRT, WebVTT or ASS subtitle file.", name=path.name)


def _no_cues(path: Path, problems: Sequence[FileProblem]) -> SubtitleFileError:
    if not problems:
        return SubtitleFileError("No subtitle could be read from {name}.", name=path.name)
    return SubtitleFileError(
        "No subtitle could be read from {name} (line {line}: {problem}).",
        name=path.name,
        line=problems[0].line,
        problem=problems[0].message,
    )


def _read_cues(
    text: str, fmt: FileFormat
) -> tuple[list[dict[str, Any]], list[FileProblem], SubtitleTemplate | None]:
    vtt = fmt == "vtt"
    scan = scan_cues(text.split("\n"), vtt=vtt)
    rows: list[dict[str, Any]] = []
    if scan.cues:
        parsed = pysubs2.SSAFile.from_string(scan.normalized(vtt), format_=fmt, keep_html_tags=True)
        events = [(e.start, e.end, e.text.replace("\\N", "\n")) for e in parsed.events[:-1]]
        if len(events) != len(scan.cues):
            # A text line holding two timestamps reads as a timing line to pysubs2:
            # keep the scanner's reading rather than lose or shift cues.
            logger.warning("pysubs2 found %d cues, the scanner %d", len(events), len(scan.cues))
            events = [(c.start, c.end, "\n".join(c.text).strip()) for c in scan.cues]
        for n, (start, end, body) in enumerate(events):
            rows.append(
                {"id": _ROW_ID.format(n), "start": start / 1000, "end": end / 1000, "text": body}
            )
    template = SubtitleTemplate(vtt_header=scan.header) if scan.header else None
    return rows, list(scan.problems), template


def _read_ass(
    text: str, fmt: FileFormat
) -> tuple[list[dict[str, Any]], list[FileProblem], SubtitleTemplate]:
    kept, event_lines, problems = scan_ass(text.split("\n"))
    try:
        parsed = pysubs2.SSAFile.from_string(kept, format_=fmt)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise SubtitleFileError(
            "The {format} script could not be read: {error}.", format=fmt.upper(), error=exc
        ) from exc
    rows: list[dict[str, Any]] = []
    events: dict[str, pysubs2.SSAEvent] = {}
    extras = []
    for line, event in zip(event_lines, parsed.events):
        if event.type != "Dialogue" or event.is_drawing:
            extras.append(event)
            continue
        row_id = _ROW_ID.format(len(rows))
        rows.append(
            {
                "id": row_id,
                "start": event.start / 1000,
                "end": event.end / 1000,
                "text": event.text.replace("\\N", "\n"),
            }
        )
        events[row_id] = event
        logger.debug("row %s from line %d", row_id, line)
    parsed.events = extras
    return rows, problems, SubtitleTemplate(ass=parsed, events=events)


def read_subtitles(
    path: Path | str, *, encoding: str | None = None, format: FileFormat | None = None
) -> SubtitleFile:
    """Open a subtitle file. Broken blocks are reported in ``problems`` and the rest loads;
    ``SubtitleFileError`` when the file cannot be read or has no subtitle at all."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SubtitleFileError(
                "{name} is too large ({mib} MiB) to be subtitles.",
                name=path.name,
                mib=size // 2**20,
            )
        data = path.read_bytes()
    except OSError as exc:
        raise SubtitleFileError(
            "Cannot open {path}: {reason}.", path=path, reason=exc.strerror or exc
        ) from exc
    text, codec, bom = decode_subtitle_bytes(data, encoding)
    crlf = text.count("\r\n")
    newline = "\r\n" if crlf and 2 * crlf >= text.count("\n") else "\n"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if format is not None and format not in FORMATS:
        raise SubtitleFileError(
            "{format} is not a subtitle format Subtitle Studio opens.", format=f"{format!r}"
        )
    fmt = format or _sniff_format(text, path)
    if fmt in ("ass", "ssa"):
        rows, problems, template = _read_ass(text, fmt)
    else:
        rows, problems, template = _read_cues(text, fmt)  # type: ignore[assignment]
    for problem in problems:
        logger.info("%s line %d: %s", path.name, problem.line, problem.message)
    if not rows:
        raise _no_cues(path, problems)
    return SubtitleFile(path, fmt, codec, bom, newline, rows, problems, template)


# -- writing -----------------------------------------------------------------------------
def _fields(row: Mapping[str, Any] | TimedText) -> tuple[str | None, float, float, str]:
    if isinstance(row, Mapping):
        return row.get("id"), row["start"], row["end"], str(row["text"])
    return getattr(row, "id", None), row.start, row.end, row.text


def _checked_rows(
    rows: Iterable[Mapping[str, Any] | TimedText],
) -> list[tuple[str | None, int, int, str]]:
    out = []
    for number, row in enumerate(rows, 1):
        row_id, start, end, text = _fields(row)
        try:
            start_ms, end_ms = to_milliseconds(start), to_milliseconds(end)
        except EditError as exc:
            raise EditError("Subtitle {number}: {error}", number=number, error=exc) from exc
        if end_ms < start_ms:
            raise EditError(
                "Subtitle {number} ends ({end}) before it starts "
                "({start}); fix its times before saving.",
                number=number,
                end=format_srt(end),
                start=format_srt(start),
            )
        out.append((row_id, start_ms, end_ms, text.replace("\r\n", "\n").replace("\r", "\n")))
    return out


def _html_to_ass(text: str) -> str:
    text = _HTML_TAG.sub(
        lambda m: "{\\" + m.group(2).lower() + ("0" if m.group(1) else "1") + "}", text
    )
    return _OTHER_TAG.sub("", text)


def _ass_events(
    rows: Sequence[tuple[str | None, int, int, str]],
    subs: pysubs2.SSAFile,
    template: SubtitleTemplate | None,
) -> list[pysubs2.SSAEvent]:
    default = "Default" if "Default" in subs.styles else next(iter(subs.styles), "Default")
    known = template.events if template is not None else {}
    base = pysubs2.SSAEvent(style=default)
    out = []
    for row_id, start, end, text in rows:
        if row_id is not None and row_id in known:
            base = known[row_id]  # a row added later inherits the style of the row above it
            body = text
        else:
            body = text if template is not None and template.ass is not None else _html_to_ass(text)
        event = base.copy()
        event.type = "Dialogue"
        event.start, event.end = start, end
        event.text = body.replace("\n", "\\N")
        out.append(event)
    return out


def _render(
    rows: Sequence[tuple[str | None, int, int, str]],
    fmt: FileFormat,
    template: SubtitleTemplate | None,
) -> str:
    header = template.ass if template is not None else None
    subs = copy.deepcopy(header) if header is not None else pysubs2.SSAFile()
    if fmt in ("ass", "ssa"):
        # Comments go back beside the lines of their time; the rows keep their order.
        extras = sorted(subs.events, key=lambda e: e.start)
        rows_events = _ass_events(rows, subs, template)
        subs.events = list(heapq.merge(rows_events, extras, key=lambda e: e.start))
        return subs.to_string(fmt)
    shown = [row for row in rows if row[3].strip()]  # an empty block ends some players' file
    if header is not None:  # from ASS: each line keeps its style (italic becomes <i>)
        subs.events = _ass_events(shown, subs, template)
    else:
        subs.events = [
            pysubs2.SSAEvent(start=start, end=end, text=text.replace("\n", "\\N"))
            for _, start, end, text in shown
        ]
    # SRT and WebVTT rows keep their own tags verbatim; ASS rows have theirs converted.
    out = subs.to_string(fmt, keep_ssa_tags=header is None)
    if header is not None:  # pysubs2 styles the empty text before an override tag
        out = _EMPTY_TAG.sub("", out)
    if fmt == "vtt" and template is not None and template.vtt_header:
        body = out.split("\n", 2)[2] if out.startswith("WEBVTT\n") else out
        out = "\n\n".join(template.vtt_header) + "\n\n" + body
    return out


def _encode(
    text: str, rows: Sequence[tuple[Any, Any, Any, str]], encoding: str, bom: bool
) -> bytes:
    codec = codec_name(encoding)
    if codec == "utf-8-sig":
        codec, bom = "utf-8", True
    elif codec in ("utf-16", "utf-32"):
        codec, bom = codec + "-le", True
    try:
        data = text.encode(codec)
    except UnicodeEncodeError as exc:
        char = exc.object[exc.start]
        number = next((n for n, row in enumerate(rows, 1) if char in row[3]), None)
        if number is None:
            raise SubtitleFileError(
                "The encoding {codec} cannot store {char} (U+{code_point}); "
                "save the file as UTF-8 instead.",
                codec=codec,
                char=f"{char!r}",
                code_point=f"{ord(char):04X}",
            ) from exc
        raise SubtitleFileError(
            "The encoding {codec} cannot store {char} (U+{code_point}) in subtitle {number}; "
            "save the file as UTF-8 instead.",
            codec=codec,
            char=f"{char!r}",
            code_point=f"{ord(char):04X}",
            number=number,
        ) from exc
    if bom:
        marks = {codec_name(name): mark for mark, name in BOMS}
        data = marks.get(codec, b"") + data
    return data


def write_subtitles(
    path: Path | str,
    rows: Iterable[Mapping[str, Any] | TimedText],
    *,
    format: FileFormat,
    encoding: str = "utf-8",
    bom: bool = False,
    newline: str = "\n",
    template: SubtitleTemplate | None = None,
) -> None:
    """Save rows (dicts or ``Row``/``Cue`` objects) atomically; times rounded to ms.

    ``EditError`` for a row that ends before it starts; ``SubtitleFileError`` for a
    character ``encoding`` cannot store (never written as ``?``); ``StorageError`` when
    the disk refuses.
    """
    if format not in FORMATS:
        raise SubtitleFileError(
            "{format} is not a subtitle format Subtitle Studio saves.", format=f"{format!r}"
        )
    if newline not in ("\n", "\r\n"):
        raise SubtitleFileError("Line ends must be '\\n' or '\\r\\n'.")
    checked = _checked_rows(rows)
    text = _render(checked, format, template)
    if newline != "\n":
        text = text.replace("\n", newline)
    write_bytes_atomic(Path(path), _encode(text, checked, encoding, bom))
