"""Hypothesis strategies for the fuzz tests: junk JSON, JSON documents bent out of shape from a
valid one, the bytes a damaged file may hold, and the times people really type.

A mutated document keeps most of a valid file, so the loaders get past their first checks
and are tried on the fields deep inside (a wrong type, a missing key, a huge number, a NaN).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st


@dataclass(frozen=True)
class RawJSON:
    """JSON text written as it stands: literals ``json.dumps`` never makes (``1e999``)."""

    text: str


#: Numbers at and past the edges: 64-bit limits, a float that overflows to infinity when
#: read, an integer past Python's 4300-digit conversion limit.
EDGE_NUMBERS = (
    0,
    -1,
    2**31,
    2**63,
    2**64,
    -(2**63) - 1,
    10**30,
    1e308,
    -1e308,
    5e-324,
    -0.0,
    float("nan"),
    float("inf"),
    float("-inf"),
    RawJSON("1e999"),
    RawJSON("-1e999"),
    RawJSON("1" * 5000),
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),  # NaN and ±Infinity included: Python's json reads them back
    st.text(max_size=20),
    st.sampled_from(EDGE_NUMBERS),
    st.sampled_from(["", "nan", "inf", "-1", "1e5", "00:01", "aligned", "unaligned", "\x00"]),
)

json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=12,
)


def dump(value: Any) -> str:
    """JSON text for ``value``, ``RawJSON`` leaves written verbatim."""
    if isinstance(value, RawJSON):
        return value.text
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {dump(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(dump(v) for v in value) + "]"
    return json.dumps(value)


Path_ = tuple[Any, ...]


def _paths(value: Any, here: Path_ = ()) -> Iterator[Path_]:
    yield here
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*here, index))


def _get(doc: Any, path: Path_) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def _set(doc: Any, path: Path_, value: Any) -> Any:
    if not path:
        return value
    _get(doc, path[:-1])[path[-1]] = value
    return doc


def _retyped(value: Any) -> list[Any]:
    """The same content in another type, as a careless editor or another program writes it."""
    if isinstance(value, bool):
        return [int(value), str(value).lower(), None]
    if isinstance(value, int | float):
        return [str(value), -value, [value], RawJSON("1e999"), float("nan"), bool(value)]
    if isinstance(value, str):
        return [len(value), value.encode("utf-8", "replace").hex(), [value], {value: value}, ""]
    if isinstance(value, list):
        return [{str(i): v for i, v in enumerate(value)}, value[:1], value * 2, len(value), ""]
    if isinstance(value, dict):
        return [list(value.values()), list(value), dict(list(value.items())[:1]), "", 0]
    return [0, "", [], {}]


@st.composite
def mutated(draw: st.DrawFn, valid: Any, max_changes: int = 3) -> Any:
    """``valid`` with one to ``max_changes`` fields deleted, retyped, replaced or grown."""
    doc = copy.deepcopy(valid)
    for _ in range(draw(st.integers(1, max_changes))):
        path = draw(st.sampled_from(list(_paths(doc))))
        old = _get(doc, path)
        action = draw(st.sampled_from(["delete", "retype", "replace", "edge", "wrap", "grow"]))
        if action == "delete" and path:
            del _get(doc, path[:-1])[path[-1]]
        elif action == "retype":
            doc = _set(doc, path, draw(st.sampled_from(_retyped(old))))
        elif action == "edge":
            doc = _set(doc, path, draw(st.sampled_from(EDGE_NUMBERS)))
        elif action == "wrap":
            doc = _set(doc, path, draw(st.sampled_from([[old], {"value": old}])))
        elif action == "grow" and isinstance(old, dict):
            old[draw(st.text(max_size=8))] = draw(json_values)
        elif action == "grow" and isinstance(old, list):
            old.insert(draw(st.integers(0, len(old))), draw(json_values))
        else:
            doc = _set(doc, path, draw(json_values))
    return doc


def file_bytes(valid: Any) -> st.SearchStrategy[bytes]:
    """What a damaged copy of a JSON file written from ``valid`` may hold."""
    text = dump(valid)
    whole = text.encode("utf-8")
    return st.one_of(
        mutated(valid).map(lambda doc: dump(doc).encode("utf-8")),
        mutated(valid, max_changes=6).map(lambda doc: dump(doc).encode("utf-8")),
        json_values.map(lambda doc: dump(doc).encode("utf-8")),
        st.integers(0, len(whole)).map(lambda n: whole[:n]),  # torn (never from our writer)
        st.binary(max_size=300),
        st.text(max_size=100).map(lambda t: t.encode("utf-8")),
        st.sampled_from(
            [
                b"",
                b"\xef\xbb\xbf" + whole,  # a byte-order mark, as Notepad writes
                whole.replace(b'"', b"'"),
                whole + b"\x00",
                whole.replace(b"{", b"{\xff", 1),
                whole.decode().encode("utf-16"),
            ]
        ),
    )


# -- typed times -----------------------------------------------------------------------------

#: Digits a keyboard or an input method may produce: ASCII, full-width (CJK IMEs),
#: Arabic-Indic, Devanagari, superscripts, mathematical bold.
DIGIT_SETS = (
    "0123456789",
    "０１２３４５６７８９",
    "٠١٢٣٤٥٦٧٨٩",
    "०१२३४५६७८९",
    "⁰¹²³⁴⁵⁶⁷⁸⁹",
    "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",
)
SEPARATORS = (":", ".", ",", "：", "．", "，", "﹕", "∶", ";", " ", "-", "'", "h", "m", "s")
SPACES = ("", " ", "\t", "\n", "\u3000", "\xa0", "\u200b", "\ufeff")
SPECIAL_TIMES = (
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e3",
    "1E-3",
    "0x10",
    "1_000",
    "+5",
    "-0",
    "−1:00",
    "–0:01",
    "00:00:05:12",
    "99:59:59,999",
    "100:00:00,000",
    "100:00:00,001",
    "59:60",
    "1:60:00",
    "9" * 13,
    "9" * 5000,
    "0." + "9" * 5000,
    "٣:٠٠",
    "１：０２．５",
)


@st.composite
def near_times(draw: st.DrawFn) -> str:
    """Strings shaped like a typed time: digit fields, odd separators, odd digits, signs."""
    digits = draw(st.sampled_from(DIGIT_SETS))
    fields = draw(
        st.lists(
            st.one_of(
                st.integers(0, 120).map(str),
                st.integers(0, 10**15).map(str),
                st.text(alphabet="0123456789", min_size=1, max_size=40),
            ),
            min_size=1,
            max_size=5,
        )
    )
    fields = ["".join(digits[int(c)] if c.isdigit() else c for c in f) for f in fields]
    separators = [draw(st.sampled_from(SEPARATORS)) for _ in fields[1:]]
    body = fields[0] + "".join(s + f for s, f in zip(separators, fields[1:]))
    sign = draw(st.sampled_from(["", "", "-", "+", "−", "–"]))
    return draw(st.sampled_from(SPACES)) + sign + body + draw(st.sampled_from(SPACES))


typed_times = st.one_of(st.text(), near_times(), st.sampled_from(SPECIAL_TIMES))
