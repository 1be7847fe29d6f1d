"""Bad input (SPEC §11) through the command line and through the window, from one table.

Every case in ``tests/support/bad_inputs.py`` is fed to a real ``subtitle-studio``
process and to a real window: the user reads one clear message (never a traceback),
the command exits non-zero, the window shows the job failed (or refuses the file, or
says so above the table) and goes on working, and another job's folder stays
byte-identical. Valid but awkward input (a very long or non-ASCII path) must work.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from subtitle_studio.core.app_settings import save_defaults
from subtitle_studio.core.jobstore import JobStore, is_job_id
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.gui import main_window as main_window_module
from subtitle_studio.gui.job_list import ERROR_ROLE, Column
from subtitle_studio.gui.subtitle_model import COL_END, COL_START
from tests.gui.conftest import (  # noqa: F401 - fixtures
    AcceptingDialog,
    engines,
    make_window,
    no_running_qthreads,
)
from tests.support.bad_inputs import (
    BYSTANDER_LINE,
    CASES,
    Case,
    Feed,
    bystander_job,
    cli_cases,
    saved_work,
    tree_digest,
    window_cases,
)
from tests.support.media_files import without_read_override
from tests.support.srt_check import parse_srt

pytestmark = pytest.mark.slow

#: Set in a child test process that runs without root's permission override.
NO_OVERRIDE = "SUBTITLE_STUDIO_TEST_NO_READ_OVERRIDE"


def cli(*args: object, prefix: list[str] | None = None) -> subprocess.CompletedProcess:
    command = [*(prefix or []), sys.executable, "-m", "subtitle_studio", *map(str, args)]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=300, env=os.environ.copy()
    )


def input_digests(feed: Feed) -> dict[Path, str]:
    path = feed.file
    if path is None or not path.is_file() or not os.access(path, os.R_OK):
        return {}
    return {path: hashlib.sha256(path.read_bytes()).hexdigest()}


def preserved_files(store: JobStore, feed: Feed) -> dict[str, object]:
    """The prepared job's saved work (see ``saved_work``), if the case prepared one."""
    if feed.job_id is None or not is_job_id(feed.job_id):
        return {}
    if not store.folder(feed.job_id).is_dir():
        return {}
    return saved_work(store, feed.job_id)


def assert_untouched(
    store: JobStore, bystander: str, before: str, feed: Feed, inputs: dict, kept: dict
) -> None:
    assert tree_digest(store.folder(bystander)) == before, "another job was touched"
    for path, digest in inputs.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, "the input was modified"
    if kept:
        assert saved_work(store, feed.job_id) == kept, "the job's saved work was changed"


# -- the command line ---------------------------------------------------------------------


@pytest.mark.parametrize("name", cli_cases())
def test_the_command_line_says_what_is_wrong_and_touches_nothing_else(
    name: str, tmp_path: Path, media: Path
) -> None:
    case = CASES[name]
    store, bystander, before = bystander_job(tmp_path, media)
    feed = case.make(tmp_path, media)
    inputs, kept = input_digests(feed), preserved_files(store, feed)

    prefix = without_read_override() if case.unreadable else None
    done = cli(*feed.cli_args(), "--events", "jsonl", prefix=prefix)

    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    events = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert_untouched(store, bystander, before, feed, inputs, kept)
    if case.message is None:  # valid input: the job succeeds, subtitles beside the file
        assert done.returncode == 0, done.stderr
        [complete] = [
            e for e in events if e["event"] == "signal" and e["data"]["code"] == "job_complete"
        ]
        output = Path(complete["data"]["output"])
        assert feed.file is not None and output.parent == feed.file.parent
        assert output.stem == feed.file.stem
        assert "country" in " ".join(c[3] for c in parse_srt(output.read_text("utf-8")))
        return

    assert done.returncode != 0
    errors = [
        line for line in done.stderr.splitlines() if line.startswith("subtitle-studio: error:")
    ]
    assert len(errors) == 1, done.stderr
    assert case.message in errors[0], errors[0]
    if events:  # the job started: its failure was published as an error event
        error_events = [e for e in events if e["event"] == "error"]
        assert error_events and case.message.lower() in error_events[0]["data"]["message"].lower()
    if kept and "job.json" not in kept:
        with_error = store.get(feed.job_id)  # a job it could read is marked failed, with why
        assert with_error.status == JobStatus.FAILED
        assert case.message in with_error.error["message"]


# -- the window ---------------------------------------------------------------------------


def rerun_without_read_override(request: pytest.FixtureRequest) -> None:
    """Run this very test in a child pytest that root's permission override does not
    reach, so a chmod 000 file is really unreadable to the window's pipeline thread."""
    done = subprocess.run(
        [*without_read_override(), sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         request.node.nodeid],
        capture_output=True, text=True, timeout=300, cwd=request.config.rootpath,
        env={**os.environ, NO_OVERRIDE: "1"},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert re.search(r"\b1 passed", done.stdout), done.stdout[-2000:]


def wait_idle(qtbot, window, job_id: str, timeout: int = 120_000) -> None:
    def finished() -> bool:
        queue = window.session.queue
        if queue.running_id == job_id or job_id in queue.waiting_ids:
            return False
        return window.store.get(job_id).status not in (JobStatus.QUEUED, JobStatus.RUNNING)

    qtbot.waitUntil(finished, timeout=timeout)


def type_into_first_row(qtbot, window, column_name: str, text: str) -> None:
    """Double-click-style editing: open the cell's editor, type, press Enter."""
    column = {"start": COL_START, "end": COL_END}[column_name]
    table = window.table
    index = table.model().index(0, column)
    table.setCurrentIndex(index)
    table.edit(index)
    found = table.time_delegate.open_editor()
    assert found is not None, "the cell's editor did not open"
    editor = found[0]
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def feed_window(case: Case, feed: Feed, window, qtbot) -> str | None:
    """Do what the user does with this input; the job it concerns, if any."""
    if feed.file is not None:
        queued = window.add_files([feed.file])
        if case.window == "refused":
            assert queued == [], "a refused path made a job"
            return None
        [job_id] = queued
        return job_id
    assert feed.job_id is not None
    window.select_job(feed.job_id)
    if feed.edit is not None:
        type_into_first_row(qtbot, window, *feed.edit)
    elif case.window != "banner":
        assert window.act_start.isEnabled()
        window.start_selected()
    return feed.job_id


@pytest.mark.parametrize("name", window_cases())
def test_the_window_says_what_is_wrong_and_keeps_working(
    name: str,
    make_window,  # noqa: F811
    qtbot,
    tmp_path: Path,
    media: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    case = CASES[name]
    if case.unreadable and os.geteuid() == 0 and NO_OVERRIDE not in os.environ:
        rerun_without_read_override(request)
        return
    save_defaults(JobSettings(align_model="none"))
    store, bystander, before = bystander_job(tmp_path, media)
    feed = case.make(tmp_path, media)
    inputs, kept = input_digests(feed), preserved_files(store, feed)
    if case.unreadable:
        assert feed.file is not None and not os.access(feed.file, os.R_OK), "readable after all"
    monkeypatch.setattr(main_window_module, "ResumeDialog", AcceptingDialog)
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    expected = case.expected_in_window
    assert expected is not None or case.window == "done"

    job_id = feed_window(case, feed, window, qtbot)

    if case.window == "refused":
        said = window.prompts.informed + window.prompts.errors
        assert len(said) == 1 and expected in said[0][1], said
        assert [r.id for r in window.store.list()] == [bystander], "a refused path made a job"
    elif case.window == "banner":
        qtbot.waitUntil(window.banner.isVisible, timeout=5_000)
        assert expected in window.banner.text() and "Traceback" not in window.banner.text()
        assert window.session.queue.running_id is None
    elif case.window == "failed":
        assert job_id is not None
        wait_idle(qtbot, window, job_id)
        record = window.store.get(job_id)
        assert record.status == JobStatus.FAILED
        assert expected in record.error["message"]
        # What the user sees: the job list's row, the tooltip, and Error details….
        shown = window.jobs.record(job_id)
        assert shown is not None and shown.status == JobStatus.FAILED
        row = window.jobs.row_of(job_id)
        assert expected in window.jobs.index(row, Column.STATUS).data(ERROR_ROLE)
        window.select_job(job_id)
        qtbot.waitUntil(window.act_details.isEnabled, timeout=2_000)
        window.show_error_details()
        title, message = window.prompts.errors[-1]
        assert title == f"{record.name} failed" and expected in message
        assert "Traceback" not in message
    else:  # valid input: the job runs to its end and writes beside the file
        assert job_id is not None and feed.file is not None
        wait_idle(qtbot, window, job_id)
        record = window.store.get(job_id)
        assert record.status == JobStatus.DONE, record.error
        output = Path(record.output_path)
        assert output.parent == feed.file.parent and output.stem == feed.file.stem
        assert "country" in " ".join(c[3] for c in parse_srt(output.read_text("utf-8")))

    assert_untouched(store, bystander, before, feed, inputs, kept)
    # The window goes on working: the other job is still listed, shows, and runs.
    assert window.session.queue.running_id is None
    window.select_job(bystander)
    assert window.current_job == bystander
    if case.window != "done":
        window.start_selected()
        wait_idle(qtbot, window, bystander)
        assert window.store.get(bystander).status == JobStatus.DONE
        assert BYSTANDER_LINE in (tmp_path / "other.srt").read_text("utf-8")
