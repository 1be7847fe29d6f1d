"""Align timings: an opened subtitle file whose times are a second late is fitted to the
speech of the recording beside it, through the job queue, without touching the file."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt

from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.subtitle_doc import open_subtitle_file
from subtitle_studio.gui.subtitle_model import COL_TEXT

#: jfk.flac's three phrases at their true times (seconds; onsets read off its loudness).
TRUE_ROWS = [
    (0.3, 2.0, "And so my fellow Americans,"),
    (3.25, 7.5, "ask not what your country can do for you,"),
    (8.2, 10.3, "ask what you can do for your country."),
]
LATE_S = 1.0


def _stamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"00:00:{ms // 1000:02d},{ms % 1000:03d}"


def _late_srt(path: Path) -> None:
    blocks = [
        f"{n}\n{_stamp(start + LATE_S)} --> {_stamp(end + LATE_S)}\n{text}\n"
        for n, (start, end, text) in enumerate(TRUE_ROWS, 1)
    ]
    path.write_text("\n".join(blocks), encoding="utf-8")


def test_align_timings_moves_late_rows_to_the_speech_and_keeps_the_file(
    make_window, qtbot, tmp_path: Path, media: Path
) -> None:
    shutil.copyfile(media / "jfk.flac", tmp_path / "speech.flac")
    srt = tmp_path / "speech.srt"
    _late_srt(srt)
    before_bytes = srt.read_bytes()
    before_mtime = srt.stat().st_mtime_ns

    window = make_window()
    record = open_subtitle_file(window.store, srt)
    window.select_job(record.id)
    assert window.current_job == record.id
    model = window.table.model()
    late = [model.document.rows[n].start for n in range(len(TRUE_ROWS))]
    assert late == [start + LATE_S for start, _, _ in TRUE_ROWS]
    act = window.align_document.act_align
    assert act.isEnabled()

    act.trigger()
    assert not act.isEnabled()  # queued or running: not twice

    def aligned() -> bool:
        done = (
            window.session.queue.running_id != record.id
            and window.store.get(record.id).status == JobStatus.DONE
        )
        return done and model.document.rows[0].start < late[0] - 0.3

    qtbot.waitUntil(aligned, timeout=180_000)
    rows = model.document.rows
    assert [row.text for row in rows] == [text for _, _, text in TRUE_ROWS]
    errors = [abs(row.start - true) for row, (true, _, _) in zip(rows, TRUE_ROWS)]
    for row, late_start in zip(rows, late):
        assert row.start < late_start - 0.3, row  # every row moved back toward its speech
    # Late by a second before; now every phrase starts within 0.3 s of its onset.
    assert max(errors) < 0.3, rows
    shown = [model.index(n, COL_TEXT).data(Qt.ItemDataRole.DisplayRole) for n in range(3)]
    assert shown == [text for _, _, text in TRUE_ROWS]
    # The run wrote inside the job folder only: the user's file is untouched.
    assert srt.read_bytes() == before_bytes
    assert srt.stat().st_mtime_ns == before_mtime
    assert window.align_document.act_align.isEnabled()  # can align again
    # The waveform strip shows the aligned cues.
    qtbot.waitUntil(lambda: window.listen.view.cue(rows[0].id) == (rows[0].start, rows[0].end))


def test_align_timings_is_off_for_a_file_without_media(make_window, tmp_path: Path) -> None:
    srt = tmp_path / "alone.srt"
    _late_srt(srt)
    window = make_window()
    record = open_subtitle_file(window.store, srt)
    window.select_job(record.id)
    assert window.current_job == record.id
    assert not window.align_document.act_align.isEnabled()
    assert window.listen.status.text() == "No audio attached"
