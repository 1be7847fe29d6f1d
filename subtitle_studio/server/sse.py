"""Server-Sent Events framing (WHATWG HTML, "Server-sent events").

Each event is ``id:``, ``event:`` and one ``data:`` line, then a blank line. The data
is JSON on one line: ``json.dumps`` already escapes CR and LF inside strings, and
U+2028/U+2029 are escaped too, since some JavaScript line readers split on them.
"""

from __future__ import annotations

import json
from typing import Any

from subtitle_studio.core.bus import Event


def encode_data(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def frame(name: str, seq: int, data: dict[str, Any]) -> bytes:
    """One event, ready to write."""
    return f"id: {seq}\nevent: {name}\ndata: {encode_data(data)}\n\n".encode()


def frame_event(event: Event) -> bytes:
    """The bus event as its wire frame: ``data`` is ``{"seq", ...payload}``.

    The payload is the event's data with its ``seq`` (the same number as ``id:``), so a
    client that reads only ``data`` still sees the order.
    """
    return frame(event.name, event.seq, {"seq": event.seq, **event.data})


def comment(text: str) -> bytes:
    """A comment line: ignored by clients, used to open the stream at once."""
    return f": {text}\n\n".encode()
