"""Editing a subtitle file in the window: open it, change it through the Edit menu, undo,
see the checks, save it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from subtitle_studio.core.subtitle_files import read_subtitles
from subtitle_studio.gui.subtitle_model import COL_CPS, COL_TEXT

SRT = (
    "1\n00:00:01,000 --> 00:00:03,000\nThe quick brown fox\n\n"
    "2\n00:00:04,000 --> 00:00:06,000\njumps over the lazy dog\n\n"
    "3\nno timing here\n\n"
    "4\n00:00:07,000 --> 00:00:07,900\n"
    "This line is far too long to be read in well under a second\n\n"
    "5\n00:00:10,000 --> 00:00:12,000\nThe end of the fox\n"
)


@pytest.fixture
def opened(make_window, tmp_path: Path):
    window = make_window()
    srt = tmp_path / "fox.srt"
    srt.write_text(SRT, encoding="utf-8")
    [job_id] = window.add_files([srt])  # what `subtitle-studio fox.srt` and a drop call
    assert window.current_job == job_id
    return window, srt


def texts(window) -> list[str]:
    return [row.text for row in window.session.documents[window.current_job].document.rows]


def select(window, *positions: int) -> None:
    window.table.clearSelection()
    model = window.table.model()
    for position in positions:
        window.table.selectionModel().select(
            model.index(position, 0),
            window.table.selectionModel().SelectionFlag.Select
            | window.table.selectionModel().SelectionFlag.Rows,
        )
    window.table.selectionModel().setCurrentIndex(
        model.index(positions[0], 0), window.table.selectionModel().SelectionFlag.NoUpdate
    )


def undo(window) -> None:
    window.act_undo.trigger()


def test_opening_shows_rows_encoding_and_problems(opened) -> None:
    window, srt = opened
    assert window.table.model().rowCount() == 4
    assert texts(window)[0] == "The quick brown fox"
    banner = window.banner.text()
    assert "fox.srt" in banner and "utf-8" in banner.lower()
    assert "line 10" in banner  # the block without a timing line
    assert window.store.get(window.current_job).document["path"] == str(srt)
    assert "automatically" in window.document_files.act_save.toolTip()


def test_each_edit_action_is_undone_by_ctrl_z(opened) -> None:
    window, _ = opened
    actions = window.edit_actions
    original = texts(window)

    select(window, 0)
    actions.act_insert_after.trigger()
    assert len(texts(window)) == 5 and texts(window)[1] == ""
    undo(window)
    assert texts(window) == original

    select(window, 1)
    actions.act_insert_before.trigger()
    assert len(texts(window)) == 5 and texts(window)[1] == ""
    undo(window)
    assert texts(window) == original

    select(window, 0, 1)
    actions.act_delete.trigger()
    assert texts(window) == original[2:]
    undo(window)
    assert texts(window) == original

    select(window, 0)
    actions.act_split.trigger()
    assert texts(window)[:2] == ["The quick", "brown fox"]
    undo(window)
    assert texts(window) == original

    select(window, 0, 1)
    actions.act_merge.trigger()
    assert texts(window)[0] == "The quick brown fox\njumps over the lazy dog"
    undo(window)
    assert texts(window) == original

    document = window.session.documents[window.current_job].document
    actions.ask_shift = lambda has_selection: (1.5, False)
    actions.act_shift.trigger()
    assert [r.start for r in document.rows] == [2.5, 5.5, 8.5, 11.5]
    undo(window)
    assert [r.start for r in document.rows] == [1.0, 4.0, 7.0, 10.0]

    actions.act_find.trigger()
    dialog = actions.find_dialog
    dialog.find_edit.setText("fox")
    dialog.replace_edit.setText("cat")
    dialog.replace_all_button.click()
    assert texts(window)[0] == "The quick brown cat" and texts(window)[3] == "The end of the cat"
    undo(window)
    assert texts(window) == original


def test_split_uses_the_open_editors_cursor(opened, qtbot) -> None:
    window, _ = opened
    model = window.table.model()
    index = model.index(1, COL_TEXT)
    window.table.setCurrentIndex(index)
    window.table.edit(index)
    editor, _ = window.table.text_delegate.open_editor()
    cursor = editor.textCursor()
    cursor.setPosition(len("jumps over"))
    editor.setTextCursor(cursor)

    window.edit_actions.act_split.trigger()

    assert texts(window)[1:3] == ["jumps over", "the lazy dog"]


def test_find_next_replace_and_bad_regex(opened) -> None:
    window, _ = opened
    actions = window.edit_actions
    actions.act_find.trigger()
    dialog = actions.find_dialog
    dialog.find_edit.setText("fox")
    dialog.find_next()
    assert window.table.currentIndex().row() == 0
    dialog.find_next()
    assert window.table.currentIndex().row() == 3
    dialog.replace_edit.setText("hen")
    dialog.replace()
    assert texts(window)[3] == "The end of the hen"

    dialog.regex.setChecked(True)
    dialog.find_edit.setText("fo(x")
    dialog.replace_all_button.click()
    assert "not a valid regular expression" in dialog.message.text()
    assert texts(window)[0] == "The quick brown fox"


def test_go_to_time_and_next_problem(opened) -> None:
    window, _ = opened
    actions = window.edit_actions
    actions.ask_time = lambda: "0:08.5"
    actions.act_goto.trigger()
    assert window.table.currentIndex().row() == 3  # the next row after 8.5 s

    select(window, 0)
    actions.act_next_problem.trigger()
    assert window.table.currentIndex().row() == 2  # far too fast, shown too briefly


def test_checks_colour_and_explain_the_cell(opened) -> None:
    window, _ = opened
    model = window.table.model()
    fast = model.index(2, COL_CPS)
    assert model.data(fast, Qt.ItemDataRole.ForegroundRole) is not None
    assert "Too fast to read" in model.data(fast, Qt.ItemDataRole.ToolTipRole)
    fine = model.index(0, COL_CPS)
    assert model.data(fine, Qt.ItemDataRole.ForegroundRole) is None
    # Fixing the time clears the warning (checks follow every change).
    assert model.setData(model.index(2, COL_TEXT), "Too long")
    assert model.data(fast, Qt.ItemDataRole.ForegroundRole) is None


def test_save_asks_once_then_writes_the_file(opened) -> None:
    window, srt = opened
    files = window.document_files
    asked: list[Path] = []
    files.confirm_overwrite = lambda path: asked.append(path) or True
    document = window.session.documents[window.current_job].document
    select(window, 0)
    window.edit_actions.act_delete.trigger()
    assert document.rows[0].text == "jumps over the lazy dog"

    files.act_save.trigger()
    files.act_save.trigger()

    assert asked == [srt]
    saved = read_subtitles(srt)
    assert [r["text"] for r in saved.rows] == [r.text for r in document.rows]

    files.ask_save_path = lambda default: srt.with_suffix(".vtt")
    files.act_save_as.trigger()
    assert srt.with_suffix(".vtt").read_text(encoding="utf-8").startswith("WEBVTT")


def test_save_with_encoding_writes_that_encoding_and_save_keeps_it(opened) -> None:
    window, srt = opened
    files = window.document_files
    document = window.session.documents[window.current_job].document
    document.edit(document.rows[0].id, text="字幕 one")
    offered: list[str] = []
    files.ask_encoding = lambda current: offered.append(current) or "utf-16"
    files.ask_save_path = lambda default: srt.with_name("wide.srt")

    files.act_save_encoding.trigger()

    wide = srt.with_name("wide.srt")
    assert offered == ["utf-8"]  # the encoding it was opened with is the default
    assert wide.read_bytes().startswith(b"\xff\xfe")  # UTF-16 little-endian with its BOM
    assert read_subtitles(wide).rows[0]["text"] == "字幕 one"
    document.edit(document.rows[1].id, text="two")
    files.act_save.trigger()  # plain Save now writes the chosen file in the chosen encoding
    again = read_subtitles(wide)
    assert again.encoding.startswith("utf-16") and again.rows[1]["text"] == "two"
    # An encoding that cannot store the text refuses and writes nothing.
    files.ask_encoding = lambda current: "cp1252"
    files.ask_save_path = lambda default: srt.with_name("western.srt")
    errors: list[str] = []
    window.prompts.show_error = lambda title, text: errors.append(text)
    files.act_save_encoding.trigger()
    assert errors and "UTF-8" in errors[0] and not srt.with_name("western.srt").exists()


def test_reopening_offers_to_continue(make_window, tmp_path: Path) -> None:
    window = make_window()
    srt = tmp_path / "again.srt"
    srt.write_text(SRT, encoding="utf-8")
    [first] = window.add_files([srt])
    window.document_files.ask_continue = lambda name: True
    assert window.add_files([srt]) == [first]
    window.document_files.ask_continue = lambda name: False
    [second] = window.add_files([srt])
    assert second != first and window.current_job == second
    # Starting again replaces the earlier document, in the store and in the job list.
    assert [r.id for r in window.store.list()] == [second]
    assert first not in window.session.documents
    assert window.jobs.rowCount() == 1


def test_a_dropped_srt_opens_for_editing_and_transcribes_nothing(
    make_window, tmp_path: Path
) -> None:
    from tests.gui.test_main_window import drop

    window = make_window()
    srt = tmp_path / "dropped.srt"
    srt.write_text(SRT, encoding="utf-8")
    drop(window, [srt])
    [record] = window.store.list()
    assert record.document is not None and record.status == "done"
    assert window.session.queue.running_id is None and not window.session.queue.waiting_ids
    assert window.table.model().rowCount() == 4
