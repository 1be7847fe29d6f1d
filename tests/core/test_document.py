"""The core document's live fragments: a chunk that arrives again replaces its own rows."""

from __future__ import annotations

from typing import Any

from subtitle_studio.core.document import SubtitleDocument

JOB = "ef" * 16


def chunk(index: int, texts: list[str]) -> list[dict[str, Any]]:
    base = index * 30.0
    return [
        {"id": f"{index}_{n}", "start": base + 2 * n, "end": base + 2 * n + 1.5, "text": text}
        for n, text in enumerate(texts)
    ]


def texts(document: SubtitleDocument) -> list[str]:
    return [row.text for row in document.rows]


def test_a_redone_chunk_replaces_its_rows_and_keeps_the_users() -> None:
    document = SubtitleDocument(JOB)
    document.add_fragment(0, chunk(0, ["a", "b", "c"]))
    document.add_fragment(1, chunk(1, ["d"]))
    mine = document.insert(3.1, 3.4, "mine")
    document.edit("0_0", text="A!")

    document.add_fragment(0, chunk(0, ["x", "y"]))  # the chunk was transcribed again

    assert texts(document) == ["A!", "y", "mine", "d"]
    assert document.row(mine.id).inserted
    assert [document.position(r.id) for r in document.rows] == list(range(4))


def test_rows_loaded_from_a_checkpoint_are_replaced_by_a_redone_chunk_too() -> None:
    document = SubtitleDocument(JOB)
    document.load(chunk(0, ["old one", "old two"]) + chunk(1, ["kept"]), aligned=False)
    document.add_fragment(0, chunk(0, ["new"]))
    document.add_fragment(2, chunk(2, ["later"]))
    assert texts(document) == ["new", "kept", "later"]
