"""The subtitle checks and model states, as the GUI shows them in any language.

The core writes the checks' sentences in English and knows no Qt, so the subtitle table
writes them again through Qt's translator (``subtitle_model.check_tooltip``). In English
that must be the core's text to the byte; under a translator every sentence must be
looked up, with the numbers filled in after the translation.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator

from subtitle_studio.core.model_catalog import WHISPER_CATALOG as CATALOG
from subtitle_studio.core.model_store import FAILED, NOT_DOWNLOADED, READY, ModelStatus
from subtitle_studio.core.subtitle_checks import Problem, RowFlags, check_rows
from subtitle_studio.core.subtitle_rules import LineRules
from subtitle_studio.errors import Message
from subtitle_studio.gui.models_table import Column, ModelTableModel, state_word
from subtitle_studio.gui.subtitle_model import check_tooltip


class Marking(QTranslator):
    """Wraps every text of the watched contexts in ⟦ ⟧, so a test sees what was looked up."""

    def __init__(self, *contexts: str) -> None:
        super().__init__()
        self.contexts = contexts
        self.asked: list[tuple[str, str]] = []

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ANN001, ANN201
        if context not in self.contexts:
            return None
        self.asked.append((context, source))
        return f"⟦{source}⟧"


@pytest.fixture
def marking(qapp) -> Iterator[Marking]:
    translator = Marking("SubtitleChecks", "ModelTable", "Errors")
    QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


def _flags(bits: int) -> RowFlags:
    return RowFlags(bits, 23.456, 17.0, 51, 42, 3, 2, 0.4567, 0.125, LineRules())


def test_every_combination_of_problems_reads_as_the_core_writes_it(qapp) -> None:
    problems = [int(p) for p in Problem if p]
    for size in range(1, len(problems) + 1):
        for combination in itertools.combinations(problems, size):
            flags = _flags(sum(combination))
            assert check_tooltip(flags) == flags.tooltip


def test_real_rows_read_as_the_core_writes_them(qapp) -> None:
    class Row:
        def __init__(self, start: float, end: float, text: str) -> None:
            self.start, self.end, self.text = start, end, text

    rows = [
        Row(0.0, 0.3, "A line that is far too long to read in so short a time, really"),
        Row(0.2, 9.5, "one\ntwo\nthree"),
        Row(9.0, 9.0, "这是一行很长很长很长很长很长很长很长很长很长很长的中文字幕"),
    ]
    flags = check_rows(rows)
    assert all(f.bits for f in flags)
    assert [check_tooltip(f) for f in flags] == [f.tooltip for f in flags]


def test_each_sentence_is_translated_and_then_filled_in(marking: Marking) -> None:
    text = check_tooltip(_flags(int(Problem.READING_SPEED | Problem.OVERLAP)))
    assert text.splitlines() == [
        "⟦Too fast to read: 23.5 characters per second (at most 17); "
        "shorten the text or lengthen the time.⟧",
        "⟦Overlaps the next subtitle by 0.125 s.⟧",
    ]
    assert {source for _, source in marking.asked} == {
        "Too fast to read: {cps} characters per second (at most {max_cps}); "
        "shorten the text or lengthen the time.",
        "Overlaps the next subtitle by {overlap} s.",
    }


def test_model_states_and_headers_are_shown_translated(marking: Marking) -> None:
    model = ModelTableModel(CATALOG[:1])
    model_id = CATALOG[0].model_id
    model.set_status(model_id, ModelStatus(model_id, READY, NOT_DOWNLOADED))
    index = model.index(0, Column.STATE)
    assert model.data(index) == "⟦ready⟧"
    assert model.data(index, Qt.ItemDataRole.ToolTipRole) == "⟦not downloaded⟧"
    assert model.headerData(Column.STATE, Qt.Orientation.Horizontal) == "⟦State⟧"
    assert state_word(FAILED) == "⟦failed⟧"
    assert state_word("no such state") == "no such state"


def test_a_model_detail_with_numbers_is_translated_then_filled_in(marking: Marking) -> None:
    model = ModelTableModel(CATALOG[:1])
    model_id = CATALOG[0].model_id
    index = model.index(0, Column.STATE)
    downloaded = Message("downloaded, {size}", size="75.5 MB")
    model.set_status(model_id, ModelStatus(model_id, READY, downloaded))
    assert model.data(index, Qt.ItemDataRole.ToolTipRole) == "⟦downloaded, 75.5 MB⟧"
    # A reason inside a detail (the downloaded copy's state and why) is looked up too.
    hidden = Message(
        "bundled with the application (the downloaded copy is {state}: {detail})",
        state=Message("incomplete"),
        detail=Message("missing or short: {missing}. Repair downloads them again.", missing="x"),
    )
    model.set_status(model_id, ModelStatus(model_id, READY, hidden))
    assert model.data(index, Qt.ItemDataRole.ToolTipRole) == (
        "⟦bundled with the application (the downloaded copy is ⟦incomplete⟧: "
        "⟦missing or short: x. Repair downloads them again.⟧)⟧"
    )
