"""Which text encoding an opened subtitle file uses.

A byte-order mark decides (UTF-8, UTF-16, UTF-32); then UTF-16 without a mark; then
strict UTF-8; then a legacy guess among GBK/GB18030, Big5 and cp1252. Statistical
detectors misread short Chinese files (a few lines of GBK come out as Korean), so the
guess decodes with each candidate and keeps the reading whose characters are the
*common* ones of that script: the wrong reading of the same bytes lands among rare ones.
"""

from __future__ import annotations

import codecs

from subtitle_studio.errors import SubtitleFileError

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LEGACY_FAMILIES = (("gbk", "gb18030"), ("big5", "cp950"))


def codec_name(encoding: str) -> str:
    """Python's name for ``encoding`` (``"UTF8"`` → ``"utf-8"``); ``SubtitleFileError`` if
    there is no such encoding."""
    try:
        return codecs.lookup(encoding).name
    except (LookupError, TypeError, ValueError) as exc:
        raise SubtitleFileError(
            "{encoding} is not a text encoding Subtitle Studio knows.", encoding=f"{encoding!r}"
        ) from exc


def _common_share(text: str, codec: str) -> float:
    """How much of ``text``'s non-ASCII text is made of the common characters of the
    script that ``codec`` encodes: punctuation and level-1 characters."""
    counts: dict[str, int] = {}
    for char in text:
        if char >= "\x80":
            counts[char] = counts.get(char, 0) + 1
    total = sum(counts.values())
    if not total:
        return 0.0
    common = 0
    for char, count in counts.items():
        try:
            lead = char.encode("gb2312" if codec in ("gbk", "gb18030") else "big5")[0]
        except UnicodeEncodeError:
            continue
        if codec in ("gbk", "gb18030"):
            usual = lead in (0xA1, 0xA3) or 0xB0 <= lead <= 0xD7
        else:
            usual = 0xA1 <= lead <= 0xA3 or 0xA4 <= lead <= 0xC6
        common += count if usual else 0
    return common / total


def _guess_legacy(data: bytes) -> tuple[str, str]:
    best: tuple[float, str, str] | None = None
    for family in _LEGACY_FAMILIES:
        for codec in family:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            share = _common_share(text, codec)
            if share >= 0.75 and (best is None or share > best[0]):
                best = (share, codec, text)
            break
    if best is not None:
        return best[1], best[2]
    try:
        return "cp1252", data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1", data.decode("latin-1")


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode_subtitle_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str, bool]:
    """``(text, encoding, bom)`` for a file's bytes; ``encoding`` forces one."""
    if encoding is not None:
        codec = codec_name(encoding)
        bom = False
        for mark, name in BOMS:
            if data.startswith(mark) and codec_name(name) == codec.replace("-sig", ""):
                data, bom = data[len(mark) :], True
                break
        try:
            return data.decode(codec), codec, bom
        except UnicodeDecodeError as exc:
            raise SubtitleFileError(
                "The file is not valid {codec} text (byte {byte} at "
                "offset {position}); choose another encoding.",
                codec=codec,
                byte=f"{exc.object[exc.start]:#04x}",
                position=exc.start,
            ) from exc
    for mark, name in BOMS:
        if data.startswith(mark):
            try:
                return data[len(mark) :].decode(name), name, True
            except UnicodeDecodeError as exc:
                raise SubtitleFileError(
                    "The file starts like {name} text but is damaged at byte {position}.",
                    name=name,
                    position=exc.start,
                ) from exc
    wide = _utf16_without_bom(data)
    if wide is not None:
        try:
            return data.decode(wide), wide, False
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        pass
    codec, text = _guess_legacy(data)
    return text, codec, False
