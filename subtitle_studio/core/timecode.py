"""Times as subtitle files write them and as people type them.

Every output format in Subtitle Studio stores milliseconds, so every formatter
rounds to the millisecond first (half up, on the decimal value the float stands
for: ``1.0005`` becomes ``00:00:01,001`` as a person would expect) and carries
into the seconds, so ``59.9996`` is ``00:01:00,000`` and never ``00:00:59,1000``.

``parse_time`` reads what a user types into a time cell. It is the one door
through which typed times enter the document, so it is strict about meaning and
lenient about form: it accepts ``01:02:03,456``, ``01:02:03.456``, ``1:02.5``,
``62.5`` and ``62`` (with surrounding spaces, full-width digits from an IME, and a
decimal comma), and anything else raises :class:`~subtitle_studio.errors.EditError`
with a one-line message that quotes what was typed and shows a valid example.
It never raises any other exception for any ``str``.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, localcontext

from subtitle_studio.errors import EditError

logger = logging.getLogger(__name__)

#: The longest time a user may type. Nothing we subtitle is this long, so a larger
#: number is a typo (a missing colon) rather than a real time.
MAX_TYPED_SECONDS = 100 * 3600

#: The largest time in hours, for the message refusing a larger one.
_MAX_HOURS = MAX_TYPED_SECONDS // 3600
_MS_PER_S = 1000
_MS_PER_MIN = 60 * _MS_PER_S
_MS_PER_HOUR = 60 * _MS_PER_MIN
# More digits than this in one field cannot be a sensible time; checking the length
# first also keeps int() away from its 4300-digit limit on pasted garbage.
_MAX_FIELD_DIGITS = 12

# [[H:]M:]S[.fff] with a dot or a comma before the fraction. ASCII digits only:
# NFKC has already turned full-width digits into ASCII ones.
_TIME_RE = re.compile(
    r"(?:(?:(?P<h>[0-9]+):)?(?P<m>[0-9]+):)?(?P<s>[0-9]+)(?:[.,](?P<f>[0-9]+))?",
    re.ASCII,
)
_FRAMES_RE = re.compile(r"[0-9]+:[0-9]+:[0-9]+:[0-9]+", re.ASCII)
_NEGATIVE_RE = re.compile(r"[-\u2212\u2012\u2013][0-9.,:]+", re.ASCII)


def to_milliseconds(seconds: float) -> int:
    """Round a time in seconds to whole milliseconds, half up.

    Raises ``EditError`` for negative, NaN or infinite values: such a time can only
    come from a broken edit, and writing it would produce an unreadable file.
    """
    try:
        value = float(seconds)
    except (TypeError, ValueError) as exc:
        raise EditError("{seconds} is not a time in seconds.", seconds=f"{seconds!r}") from exc
    if not math.isfinite(value):
        raise EditError(
            "A subtitle time must be a finite number of seconds, not {value}.", value=f"{value!r}"
        )
    if value < 0:
        raise EditError("A subtitle time cannot be negative ({value} s).", value=f"{value:g}")
    # str() gives the shortest decimal that round-trips, i.e. what the user typed.
    # The precision covers the largest float (about 1.8e308) so no value can trap.
    with localcontext() as ctx:
        ctx.prec = 400
        exact = Decimal(str(value)) * _MS_PER_S
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _split_ms(seconds: float) -> tuple[int, int, int, int]:
    total = to_milliseconds(seconds)
    hours, rest = divmod(total, _MS_PER_HOUR)
    minutes, rest = divmod(rest, _MS_PER_MIN)
    secs, millis = divmod(rest, _MS_PER_S)
    return hours, minutes, secs, millis


def format_srt(seconds: float) -> str:
    """``HH:MM:SS,mmm`` as SubRip requires (hours grow past two digits if needed)."""
    h, m, s, ms = _split_ms(seconds)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def format_vtt(seconds: float) -> str:
    """``HH:MM:SS.mmm`` as WebVTT requires (always with hours, for simple parsers)."""
    h, m, s, ms = _split_ms(seconds)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def format_display(seconds: float) -> str:
    """A compact time for a table cell: ``M:SS.mmm`` under an hour, else ``H:MM:SS.mmm``.

    The hour is decided after rounding, so 3599.9996 s shows as ``1:00:00.000``.
    Both forms are accepted back by :func:`parse_time`, so a cell can be edited
    in place without retyping its format.
    """
    h, m, s, ms = _split_ms(seconds)
    if h:
        return f"{h}:{m:02d}:{s:02d}.{ms:03d}"
    return f"{m}:{s:02d}.{ms:03d}"


def _shown(text: str) -> str:
    """What the user typed, quoted, shortened and kept on one line for a message."""
    short = text if len(text) <= 30 else text[:30] + "…"
    return repr(short)


def parse_time(text: str) -> float:
    """Read a typed time and return it in seconds, rounded to the millisecond.

    Accepted: ``H:MM:SS[.fff]`` (minutes and seconds below 60), ``M:SS[.fff]``
    (minutes may exceed 59, as a stopwatch shows them; seconds below 60) and plain
    seconds ``S[.fff]``; a comma may replace the dot. Frame counts (``00:00:05:12``)
    are refused because the frame rate of the video is not known here.
    """
    if not isinstance(text, str):
        raise EditError(
            "Cannot read {text} as a time: type it like 1:02.500 or 00:01:02,500.", text=f"{text!r}"
        )
    # NFKC turns full-width digits, colons and stops typed with a CJK input method
    # into their ASCII forms; strip() removes any kind of surrounding space.
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        raise EditError("The time is empty: type it like 1:02.500 or 00:01:02,500.")
    if _NEGATIVE_RE.fullmatch(cleaned):
        raise EditError(
            "A time cannot be negative: you typed {text}; type it like 1:02.500 or 00:01:02,500.",
            text=_shown(text),
        )
    if _FRAMES_RE.fullmatch(cleaned):
        raise EditError(
            "Frame counts are not supported: you typed {text}; "
            "type it like 1:02.500 or 00:01:02,500.",
            text=_shown(text),
        )
    match = _TIME_RE.fullmatch(cleaned)
    if match is None:
        raise EditError(
            "That is not a time: you typed {text}; type it like 1:02.500 or 00:01:02,500.",
            text=_shown(text),
        )
    h, m, s, f = match.group("h", "m", "s", "f")
    if any(len(part) > _MAX_FIELD_DIGITS for part in (h, m, s) if part):
        raise EditError(
            "A time over {hours} hours is not possible: you typed {text}; "
            "type it like 1:02.500 or 00:01:02,500.",
            hours=_MAX_HOURS,
            text=_shown(text),
        )
    hours = int(h) if h else 0
    minutes = int(m) if m else 0
    seconds = int(s)
    if m is not None and seconds >= 60:
        raise EditError(
            "Seconds must be below 60: you typed {text}; type it like 1:02.500 or 00:01:02,500.",
            text=_shown(text),
        )
    if h is not None and minutes >= 60:
        raise EditError(
            "Minutes must be below 60 when hours are given: you typed {text}; "
            "type it like 1:02.500 or 00:01:02,500.",
            text=_shown(text),
        )
    # Round the fraction to milliseconds in integers: four digits are enough to
    # decide half-up, and the rest of a pasted 30-digit fraction is ignored.
    tenths_of_ms = int((f or "0")[:4].ljust(4, "0"))
    millis = (tenths_of_ms + 5) // 10
    total = hours * _MS_PER_HOUR + minutes * _MS_PER_MIN + seconds * _MS_PER_S + millis
    if total > MAX_TYPED_SECONDS * _MS_PER_S:
        raise EditError(
            "A time over {hours} hours is not possible: you typed {text}; "
            "type it like 1:02.500 or 00:01:02,500.",
            hours=_MAX_HOURS,
            text=_shown(text),
        )
    return total / _MS_PER_S
