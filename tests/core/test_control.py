"""The job control's wait for a window's merge after alignment_ready."""

from __future__ import annotations

import threading
import time

import pytest

from subtitle_studio.core.control import JobControl
from subtitle_studio.errors import Cancelled


def test_nobody_waits_when_no_merge_is_expected() -> None:
    control = JobControl()
    started = time.monotonic()
    control.wait_for_merge(timeout_s=5.0)
    assert time.monotonic() - started < 0.05


def test_the_wait_ends_when_the_window_has_merged() -> None:
    control = JobControl()
    control.expect_merge()
    threading.Timer(0.2, control.merged).start()
    started = time.monotonic()
    control.wait_for_merge(timeout_s=5.0)
    assert 0.15 < time.monotonic() - started < 2.0


def test_a_window_that_never_answers_delays_the_job_only_briefly() -> None:
    control = JobControl()
    control.expect_merge()
    started = time.monotonic()
    control.wait_for_merge(timeout_s=0.3)
    assert 0.25 < time.monotonic() - started < 2.0


def test_cancel_ends_the_wait_at_once() -> None:
    control = JobControl()
    control.expect_merge()
    threading.Timer(0.1, control.cancel).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        control.wait_for_merge(timeout_s=5.0)
    assert time.monotonic() - started < 1.0
