"""The subtitle line rules, in one place: how text wraps, where cues break, how times settle.

The pipeline uses these to turn timed words into cues, and the desktop window will
reuse them to re-wrap a line the user edited and to warn about rule breaks, so
both must agree on what "fits" means. That is why fitting is defined once, on
*atoms*: the smallest pieces a line may not be broken inside. A Latin word with its
punctuation is one atom; each Chinese character or Japanese kana is one atom, with
kinsoku punctuation (``。`` ``、`` ``」`` small kana …) glued to the atom before it
and opening brackets glued to the atom after, so no line starts with ``。`` or ends
with ``「``. Korean (Hangul) is written with spaces, so it wraps by words like Latin
text but counts against the CJK line limit.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from subtitle_studio.core.timecode import to_milliseconds
from subtitle_studio.errors import EditError, SettingsError

logger = logging.getLogger(__name__)

_CJK_LANGUAGES = frozenset({"zh", "ja", "ko", "yue", "wuu", "cmn", "zho", "chi", "jpn", "kor"})
#: A whole language tag ("ja", "zh-Hant", "zh_CN"); a text that merely starts "ja-" is not one.
_LANGUAGE_TAG = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{2,8})*")
# Per-character scripts: Han, kana, CJK symbols and punctuation, full-width forms.
_IDEOGRAPHIC = (
    (0x2E80, 0x2FFF), (0x3000, 0x303F), (0x3040, 0x30FF), (0x3100, 0x312F),
    (0x3190, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F), (0xFF00, 0xFF9F), (0xFFE0, 0xFFE6), (0x20000, 0x3FFFF),
)  # fmt: skip
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xFFA0, 0xFFDC))
#: Every code point range that counts against the CJK line limit (for fast checks).
CJK_RANGES = _IDEOGRAPHIC + _HANGUL
_NO_LINE_START = frozenset(
    ".,;:!?%)]}»›…‥、。，．！？：；）］｝〕〉》」』】〙〗〟’”｠・ー々〻ゝゞヽヾ"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ゛゜"
)
_NO_LINE_END = frozenset("([{«‹（［｛〔〈《「『【〘〖〝‘“｟")
_SENTENCE_END = frozenset(".?!。？！‼⁇⁈⁉")
_CLAUSE_END = frozenset(",;:…—–、，；：")
_CLOSERS = "\"'”’»›)]}）」』】》〉"
_ABBREVIATIONS = frozenset(
    {"mr.", "mrs.", "ms.", "dr.", "st.", "jr.", "sr.", "vs.", "prof.", "mt."}
)
_CONJUNCTIONS = frozenset({
    "and", "but", "or", "nor", "so", "yet", "because", "although", "though", "while",
    "whereas", "unless", "until", "since", "if", "when", "whenever", "where", "which",
    "who", "whom", "whose", "that", "than", "then",
})  # fmt: skip
# Words a line or a cue should not end on: they lean on the word after them.
_WEAK_ENDINGS = frozenset({
    "a", "an", "the", "to", "of", "in", "on", "at", "by", "for", "with", "from", "into",
    "my", "your", "his", "her", "its", "our", "their", "this", "these", "those", "and",
    "or", "but", "is", "are", "was", "were",
})  # fmt: skip

# Costs for choosing cue breaks (split_into_cues). Lower is better; the scale is
# arbitrary, only the order matters: sentence end < pause < clause < conjunction.
_CUE_COST = 30.0  # each extra cue; makes the splitter fill cues instead of fragmenting
_FILL_WEIGHT = 10.0  # × (chars / capacity)²: among equal counts, prefer even cues
_BREAK_PAUSE, _BREAK_CLAUSE, _BREAK_CONJUNCTION, _BREAK_OTHER = 8.0, 15.0, 25.0, 45.0
_WEAK_END = 20.0
_ORPHAN = 40.0  # a one-word cue that is not a whole sentence
_SHORT = 10.0  # a cue shorter than min_duration_s
_RUN_ON = 15.0  # a new sentence starts inside a cue and runs into the next cue
_PAUSE_INSIDE = 6.0  # × seconds of a long pause kept inside a cue
_PAUSE_S = 0.5  # a silence between words longer than this is a natural break
_CPS_WEIGHT, _CPS_CAP = 2.0, 40.0
#: A cue is never shown for less than this, whatever enforce_timing must trim.
MIN_VISIBLE_S = 0.1


@dataclass(frozen=True)
class LineRules:
    """How long lines and cues may be. Defaults follow common broadcast practice."""

    max_lines: int = 2
    max_chars_per_line: int = 42
    max_chars_per_line_cjk: int = 16
    max_duration_s: float = 7.0
    min_duration_s: float = 0.7
    frame_rate: float = 25.0
    min_gap_frames: int = 1
    max_cps: float = 17.0
    #: Reading speed for CJK text, counted in characters (each one a whole word or
    #: syllable, so far fewer fit in a second than Latin letters): 9 is the adult
    #: limit of the common Chinese style guides (Netflix's Simplified and Traditional
    #: Chinese guides), the table's warning threshold, not used to cut cues.
    max_cps_cjk: float = 9.0

    def __post_init__(self) -> None:
        numbers = (self.max_duration_s, self.min_duration_s, self.frame_rate, self.max_cps)
        if not all(math.isfinite(x) for x in numbers):
            raise SettingsError("Subtitle rules must be finite numbers.")
        if self.max_lines < 1 or self.max_chars_per_line < 1 or self.max_chars_per_line_cjk < 1:
            raise SettingsError("Subtitles need at least one line of at least one character.")
        if (
            not 0 <= self.min_duration_s < self.max_duration_s
            or self.max_duration_s < MIN_VISIBLE_S
        ):
            raise SettingsError(
                "The shortest subtitle duration must be below the longest, "
                "and the longest at least {seconds} s.",
                seconds=MIN_VISIBLE_S,
            )
        if self.frame_rate <= 0 or self.min_gap_frames < 0 or self.max_cps <= 0:
            raise SettingsError(
                "Frame rate and reading speed must be positive, the gap not negative."
            )
        if not (math.isfinite(self.max_cps_cjk) and self.max_cps_cjk > 0):
            raise SettingsError("The reading speed for CJK text must be a positive number.")

    @property
    def min_gap_s(self) -> float:
        """The smallest gap between two cues, so players show them as two events."""
        return self.min_gap_frames / self.frame_rate

    def line_limit(self, text_or_language: str | None) -> int:
        """Characters per line for a language code (``"ja"``, ``"zh-CN"``) or a text.

        A text counts as CJK when at least half of its atoms are CJK, so a Chinese
        line quoting "iPhone" is CJK while an English line quoting one kanji is not.
        (A text that is exactly a CJK language code, such as "ko", is read as one.)
        """
        value = (text_or_language or "").strip()
        tag = _LANGUAGE_TAG.fullmatch(value)
        if tag is not None and tag.group(1).lower() in _CJK_LANGUAGES:
            return self.max_chars_per_line_cjk
        atoms = _atoms(value)
        wide = bool(atoms) and 2 * sum(_has_cjk(atom) for _, atom in atoms) >= len(atoms)
        return self.max_chars_per_line_cjk if wide else self.max_chars_per_line


DEFAULT_RULES = LineRules()


@dataclass(frozen=True)
class Word:
    """A word as the recogniser heard it; ``text`` may carry spaces and punctuation."""

    text: str
    start: float
    end: float


class TimedText(Protocol):
    """Anything with a start, an end and text: a ``Cue``, a document ``Row``, a file's row."""

    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class Cue:
    """One subtitle: what is shown and when; ``text`` may contain ``"\\n"`` line breaks."""

    start: float
    end: float
    text: str


def _kind(char: str) -> str:
    """'i' for per-character scripts, 'h' for Hangul, 'o' for everything else."""
    code = ord(char)
    if code < 0x1100:
        return "o"
    if any(lo <= code <= hi for lo, hi in _IDEOGRAPHIC):
        return "i"
    if any(lo <= code <= hi for lo, hi in _HANGUL):
        return "h"
    return "o"


def _has_cjk(text: str) -> bool:
    return any(_kind(c) != "o" for c in text)


class _Shaper:
    """Turns text into atoms ``[separator, text]``, one character at a time.

    Feeding a text in pieces gives the same atoms as feeding it whole; the cue
    splitter relies on that to grow a cue word by word without re-reading it.
    Only the last atom ever changes once later characters arrive.
    """

    def __init__(self) -> None:
        self.atoms: list[list[str]] = []
        self._space = 0  # 0: none pending, 1: only line breaks, 2: a real space

    def feed(self, text: str) -> None:
        for char in text:
            if char.isspace():
                self._space = max(self._space, 1 if char in "\n\r" else 2)
                continue
            atoms, space, self._space = self.atoms, self._space, 0
            if not atoms:
                atoms.append(["", char])
                continue
            last = atoms[-1]
            kind, prev = _kind(char), last[1][-1]
            # A line break between two Han/kana characters is not a word space.
            joined = space == 1 and kind == "i" and _kind(prev) == "i"
            sep = " " if space and not joined else ""
            if char in _NO_LINE_START or prev in _NO_LINE_END:
                last[1] += sep + char  # keeps French "Oui !" and "« Non »" together
            elif not sep and kind != "i" and _kind(prev) != "i":
                last[1] += char
            else:
                atoms.append([sep, char])


def _atoms(text: str) -> list[list[str]]:
    shaper = _Shaper()
    shaper.feed(text)
    return shaper.atoms


def _join(atoms: Sequence[Sequence[str]]) -> str:
    return "".join(sep + text if i else text for i, (sep, text) in enumerate(atoms))


_Greedy = tuple[int, int, bool]  # lines so far, width of the last line, a line overflowed


def _greedy_step(state: _Greedy, sep: str, atom: str, limit: int) -> _Greedy:
    """One step of greedy line filling; the same filling as ``_count_lines``."""
    lines, width, overflow = state
    if lines and width + len(sep) + len(atom) <= limit:
        return lines, width + len(sep) + len(atom), overflow
    return lines + 1, len(atom), overflow or len(atom) > limit


def _count_lines(atoms: Sequence[Sequence[str]], limit: int) -> tuple[int, bool]:
    """Fewest lines the atoms need (greedy filling is optimal) and whether one overflows."""
    state: _Greedy = (0, 0, False)
    for sep, text in atoms:
        state = _greedy_step(state, sep, text, limit)
    return state[0], state[2]


def _core(text: str) -> str:
    return text.rstrip(_CLOSERS)


def _ends_sentence(text: str) -> bool:
    core = _core(text)
    if not core or text.lower() in _ABBREVIATIONS or core.endswith(".."):
        return False
    return core[-1] in _SENTENCE_END


def _ends_clause(text: str) -> bool:
    core = _core(text)
    return bool(core) and (core[-1] in _CLAUSE_END or core.endswith(".."))


def _bare(text: str) -> str:
    return text.strip(_CLOSERS + "".join(_NO_LINE_END) + ".,;:!?").lower()


def _line_break_cost(left: str, sep: str, right: str, cjk: bool) -> float:
    """How good a line break after atom ``left`` is, in characters of imbalance it is
    worth: a comma justifies lines up to 14 characters apart, a conjunction 10."""
    if _ends_sentence(left):
        return -18.0
    if _ends_clause(left):
        return -14.0
    if cjk and sep == " ":
        return -12.0  # Chinese subtitles use a space where a comma would be
    if _bare(right) in _CONJUNCTIONS:
        return -10.0
    # "at the car" belongs together: end a line before such a word, not after it.
    return (10.0 if _bare(left) in _WEAK_ENDINGS else 0.0) - (
        4.0 if _bare(right) in _WEAK_ENDINGS else 0.0
    )


def _balanced(atoms: list[list[str]], lines: int, limit: int, cjk: bool) -> list[str]:
    """Split atoms into exactly ``lines`` lines, each within ``limit`` unless one atom is
    longer: even lengths, bottom-heavy rather than top-heavy, breaking after punctuation
    or before a conjunction when that costs only a few characters of balance."""
    count = len(atoms)
    target = (len(_join(atoms)) - (lines - 1)) / lines
    inf = math.inf
    best = [[inf] * (count + 1) for _ in range(lines + 1)]
    back = [[0] * (count + 1) for _ in range(lines + 1)]
    best[0][0] = 0.0
    for line in range(1, lines + 1):
        last = line == lines
        for end in range(line, count - (lines - line) + 1):
            width = 0
            for start in range(end - 1, line - 2, -1):
                width += len(atoms[start][1]) + (len(atoms[start + 1][0]) if start + 1 < end else 0)
                if width > limit and end - start > 1:
                    break
                if best[line - 1][start] == inf:
                    continue
                dev = width - target
                weight = 1.25 if (dev > 0) != last else 1.0  # top-heavy costs more
                cost = best[line - 1][start] + weight * abs(dev) + 0.01 * dev * dev
                if not last:
                    cost += _line_break_cost(atoms[end - 1][1], atoms[end][0], atoms[end][1], cjk)
                if cost < best[line][end]:
                    best[line][end], back[line][end] = cost, start
    out, end = [], count
    for line in range(lines, 0, -1):
        start = back[line][end]
        out.append(_join(atoms[start:end]))
        end = start
    return out[::-1]


def wrap_text(text: str, rules: LineRules = DEFAULT_RULES) -> str:
    """Break a subtitle text into balanced lines within the rules' line limit.

    Existing line breaks are re-flowed. A text that fits on one line stays on one
    line. Words are never broken; CJK text breaks between characters. When the text
    cannot fit in ``max_lines`` lines, the result has as many lines as it needs
    rather than lines that overflow or text that is cut: nothing the speaker said is
    hidden, and the rule break is visible to the warnings. ``split_into_cues`` sizes
    cues so that machine text never needs this.
    """
    atoms = _atoms(text)
    if not atoms:
        return ""
    limit = rules.line_limit(text)
    single = _join(atoms)
    if len(single) <= limit:
        return single
    lines = max(2, _count_lines(atoms, limit)[0])
    if lines > rules.max_lines:
        logger.debug("text needs %d lines, more than %d: %.40r", lines, rules.max_lines, single)
    cjk = limit == rules.max_chars_per_line_cjk and limit != rules.max_chars_per_line
    return "\n".join(_balanced(atoms, lines, limit, cjk))


def _word_text(word: Word) -> str:
    return " ".join(word.text.split())


def _join_sep(before: str, after: str) -> str:
    """The space (or none) that goes between two normalised word texts."""
    if _kind(before[-1]) == "i" or _kind(after[0]) == "i" or before[-1] in _NO_LINE_END:
        return ""
    return "" if all(c in _NO_LINE_START for c in after) else " "


def cue_text(words: Sequence[Word]) -> str:
    """Join words into one line: single spaces, none around Han/kana or before a lone
    punctuation mark (aligners sometimes give "," as a word of its own)."""
    out = ""
    for word in words:
        text = _word_text(word)
        if text:
            out = out + _join_sep(out, text) + text if out else text
    return out


class _CueFit:
    """Grows a cue word by word and answers whether it still fits the line rules."""

    def __init__(self, rules: LineRules) -> None:
        self.rules, self.shaper, self.text = rules, _Shaper(), ""
        self._done = 0  # atoms that can no longer change
        self._state: dict[int, _Greedy] = {limit: (0, 0, False) for limit in self._limits()}
        self._done_width = self._done_cjk = 0

    def _limits(self) -> tuple[int, int]:
        return (self.rules.max_chars_per_line, self.rules.max_chars_per_line_cjk)

    def add(self, text: str) -> None:
        if not text:
            return
        piece = _join_sep(self.text, text) + text if self.text else text
        self.text += piece
        self.shaper.feed(piece)
        atoms = self.shaper.atoms
        while self._done < len(atoms) - 1:
            sep, atom = atoms[self._done]
            self._done_width += (len(sep) if self._done else 0) + len(atom)
            self._done_cjk += _has_cjk(atom)
            for limit, state in self._state.items():
                self._state[limit] = _greedy_step(state, sep, atom, limit)
            self._done += 1

    def fits(self) -> tuple[bool, int, int]:
        """(fits, characters, line limit) of the cue so far."""
        atoms = self.shaper.atoms
        if not atoms:
            return True, 0, self.rules.max_chars_per_line
        sep, atom = atoms[-1]
        cjk = self._done_cjk + _has_cjk(atom)
        latin, wide = self._limits()
        limit = wide if 2 * cjk >= len(atoms) else latin
        lines, _, overflow = _greedy_step(self._state[limit], sep, atom, limit)
        width = self._done_width + (len(sep) if len(atoms) > 1 else 0) + len(atom)
        return lines <= self.rules.max_lines and not overflow, width, limit


def split_into_cues(words: Sequence[Word], rules: LineRules = DEFAULT_RULES) -> list[list[Word]]:
    """Group consecutive words into cues that fit the rules, breaking where a subtitler would.

    Every word appears exactly once, in order. A cue's text fits ``max_lines`` lines
    and it lasts at most ``max_duration_s`` (a single word that alone breaks a rule
    becomes its own cue). Among all such groupings the cheapest is chosen by dynamic
    programming, so the result is deterministic: breaks after a sentence end are
    free, then long pauses, then commas, semicolons and colons, then before a
    conjunction; one-word orphans, run-on sentences, very short or fast cues and
    silences inside a cue cost extra.
    """
    count = len(words)
    for word in words:
        if not (math.isfinite(word.start) and math.isfinite(word.end)):
            raise EditError("The word {text} has an impossible time.", text=f"{word.text!r}")
    texts = [_word_text(w) for w in words]
    sentence = [bool(t) and _ends_sentence(t) for t in texts]
    breaks = [0.0] * (count + 1)
    for k in range(1, count):
        if sentence[k - 1]:
            continue
        options = [_BREAK_OTHER + (_WEAK_END if _bare(texts[k - 1]) in _WEAK_ENDINGS else 0.0)]
        if words[k].start - words[k - 1].end > _PAUSE_S:
            options.append(_BREAK_PAUSE)
        if texts[k - 1] and _ends_clause(texts[k - 1]):
            options.append(_BREAK_CLAUSE)
        if _bare(texts[k]) in _CONJUNCTIONS:
            options.append(_BREAK_CONJUNCTION)
        breaks[k] = min(options)
    best = [0.0] + [math.inf] * count
    back = [0] * (count + 1)
    for first in range(count):
        fit = _CueFit(rules)
        begin, finish, pauses, inner_end = words[first].start, -math.inf, 0.0, False
        for last in range(first, count):
            fit.add(texts[last])
            begin, finish = min(begin, words[last].start), max(finish, words[last].end)
            if last > first:
                gap = words[last].start - words[last - 1].end
                pauses += min(gap, 3.0) if gap > _PAUSE_S else 0.0
                inner_end = inner_end or sentence[last - 1]
            ok, chars, limit = fit.fits()
            duration = finish - begin
            ok = ok and duration <= rules.max_duration_s
            if not ok and last > first:
                break
            cost = _CUE_COST + _FILL_WEIGHT * (chars / (rules.max_lines * limit)) ** 2
            cost += _PAUSE_INSIDE * pauses + breaks[last + 1]
            whole_sentence = sentence[first] and (first == 0 or sentence[first - 1])
            if last == first and count > 1 and not whole_sentence:
                cost += _ORPHAN
            if duration < rules.min_duration_s:
                cost += _SHORT
            cps = chars / duration if duration > 0 else math.inf
            cost += min(_CPS_CAP, _CPS_WEIGHT * max(0.0, cps - rules.max_cps))
            if inner_end and not sentence[last] and last < count - 1:
                cost += _RUN_ON
            if best[first] + cost < best[last + 1]:
                best[last + 1], back[last + 1] = best[first] + cost, first
            if not ok:
                break
    groups: list[list[Word]] = []
    end = count
    while end:
        groups.append(list(words[back[end] : end]))
        end = back[end]
    return groups[::-1]


def enforce_timing(cues: Sequence[Cue], rules: LineRules = DEFAULT_RULES) -> list[Cue]:
    """Make cue times playable: sorted, non-overlapping, within the duration limits.

    Times are rounded to milliseconds (every output format's precision) so rounding
    later cannot undo a gap. Cues with empty text are dropped, negative times become
    0 and an end before the start becomes the start. Each cue is cut to
    ``max_duration_s`` and lasts at least :data:`MIN_VISIBLE_S`. An overlap is fixed by
    trimming the earlier cue's end to ``min_gap_s`` before the next start; when that
    would leave it under :data:`MIN_VISIBLE_S` (two cues starting together), the
    earlier cue keeps that minimum and the later cue starts later instead, keeping
    its end: text is never lost or hidden. Last, cues shorter than ``min_duration_s``
    are extended into following silence, never closer than ``min_gap_s`` to the next.
    """
    max_ms = math.floor(rules.max_duration_s * 1000)
    min_ms = math.ceil(rules.min_duration_s * 1000 - 1e-6)
    gap_ms = math.ceil(rules.min_gap_s * 1000 - 1e-6)
    visible_ms = min(round(MIN_VISIBLE_S * 1000), max_ms)
    items: list[tuple[int, int, str]] = []
    for number, cue in enumerate(cues, 1):
        if not (math.isfinite(cue.start) and math.isfinite(cue.end)):
            raise EditError(
                "Subtitle {number} has an impossible time ({start}, {end}).",
                number=number,
                start=cue.start,
                end=cue.end,
            )
        text = cue.text.strip()
        if text:
            start = to_milliseconds(max(0.0, cue.start))
            items.append((start, max(start, to_milliseconds(max(0.0, cue.end))), text))
    items.sort(key=lambda item: (item[0], item[1]))
    out: list[tuple[int, int, str]] = []
    for start, end, text in items:
        end = max(min(end, start + max_ms), start + visible_ms)
        if out:
            prev_start, prev_end, prev_text = out[-1]
            latest = start - gap_ms
            if prev_end > latest:
                if latest >= prev_start + visible_ms:
                    prev_end = latest
                else:
                    prev_end = prev_start + visible_ms
                    start = prev_end + gap_ms
                    end = max(end, start + visible_ms)
                out[-1] = (prev_start, prev_end, prev_text)
        out.append((start, end, text))
    for k, (start, end, text) in enumerate(out):
        if end - start < min_ms:
            room = out[k + 1][0] - gap_ms if k + 1 < len(out) else start + min_ms
            out[k] = (start, max(end, min(start + min_ms, room)), text)
    return [Cue(start / 1000, end / 1000, text) for start, end, text in out]


def finish_cues(cues: Iterable[Cue], rules: LineRules = DEFAULT_RULES) -> list[Cue]:
    """Wrap each cue's text into lines and make the times playable: the last step of every
    export (the pipeline's srt phase, the window's Export), so both follow the same rules."""
    return enforce_timing([Cue(c.start, c.end, wrap_text(c.text, rules)) for c in cues], rules)


def words_to_cues(words: Sequence[Word], rules: LineRules = DEFAULT_RULES) -> list[Cue]:
    """Split timed words into cues, wrap and time them in one call."""
    groups = split_into_cues(words, rules)
    cues = [Cue(min(w.start for w in g), max(w.end for w in g), cue_text(g)) for g in groups]
    return finish_cues(cues, rules)
