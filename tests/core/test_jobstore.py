"""Jobs on disk (SPEC §3): atomic job folders, status after a crash, resume look-ups."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from subtitle_studio.core import jobstore as jobstore_module
from subtitle_studio.core.jobstore import JOB_FILE, JOB_VERSION, JobRecord, JobStore, is_job_id
from subtitle_studio.core.locks import FileLock
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.errors import CheckpointError, JobError, StorageError

REPO = Path(__file__).resolve().parents[2]

# A runner in another process: takes the job's lock, marks the job running, then waits
# to be killed. Its stdout says "ready" once the job is running.
CHILD_RUNNER = """
import sys, time
from pathlib import Path
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.phases import JobStatus

store = JobStore(Path(sys.argv[1]))
lock = store.lock_for(sys.argv[2])
if not lock.try_acquire():
    print("lock busy", flush=True)
    sys.exit(3)
record = store.get(sys.argv[2])
record.status = JobStatus.RUNNING
record.phase = "transcribe"
store.save(record)
print("ready", flush=True)
time.sleep(120)
"""


@pytest.fixture
def store(studio_home: Path) -> JobStore:
    return JobStore()


@pytest.fixture
def video(tmp_path: Path) -> Path:
    path = tmp_path / "média" / "my talk.mp4"
    path.parent.mkdir()
    path.write_bytes(b"not really a video")
    return path


def raw(store: JobStore, job_id: str) -> dict:
    return json.loads((store.folder(job_id) / JOB_FILE).read_text(encoding="utf-8"))


def write_raw(store: JobStore, job_id: str, text: str) -> None:
    folder = store.root / job_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / JOB_FILE).write_text(text, encoding="utf-8")


def listing(store: JobStore) -> list[str]:
    return sorted(p.name for p in store.root.iterdir())


# -- creation ------------------------------------------------------------------


def test_store_lives_under_the_home_folder(store: JobStore, studio_home: Path) -> None:
    assert store.root == studio_home / "jobs"


def test_create_makes_a_folder_with_its_job_file_and_nothing_else(
    store: JobStore, video: Path
) -> None:
    record = store.create(
        video, JobSettings(model="tiny.en"), output_path=video.with_suffix(".srt")
    )

    assert is_job_id(record.id)
    assert listing(store) == [record.id]
    assert (store.folder(record.id) / JOB_FILE).is_file()
    data = raw(store, record.id)
    assert data["status"] == "queued"
    assert data["source"] == str(video)
    assert data["output_path"] == str(video.with_suffix(".srt"))
    assert data["settings"]["model"] == "tiny.en"
    assert data["version"] == JOB_VERSION


def test_record_round_trip(store: JobStore, video: Path) -> None:
    record = store.create(video, JobSettings(language="de", beam_size=3, vad=False))
    record.status = JobStatus.PAUSED
    record.phase = "transcribe"
    record.percent = 42.37
    record.output_path = str(video.with_suffix(".vtt"))
    record.language = "de"
    record.media = {"duration": 3600.5, "samples": 57608000}
    record.error = {"code": "media_error", "message": "no audio"}
    store.save(record)

    loaded = JobStore().get(record.id)

    assert loaded == record
    assert loaded.to_dict() == record.to_dict()
    assert loaded.name == "my talk.mp4"
    assert isinstance(loaded.status, JobStatus)


def test_save_updates_the_modification_time(store: JobStore, video: Path) -> None:
    record = store.create(video, JobSettings())
    record.updated_at = "2000-01-01T00:00:00.000+00:00"
    store.save(record)

    assert raw(store, record.id)["updated_at"] > "2000-01-01"
    assert raw(store, record.id)["created_at"] == record.created_at


def test_failed_rename_leaves_no_job_folder_and_no_staging(
    store: JobStore, video: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(src).name.startswith(".new-"):
            raise OSError(errno.EIO, "Input/output error")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)

    with pytest.raises(StorageError):
        store.create(video, JobSettings())

    assert listing(store) == []
    assert store.list() == []


def test_full_disk_while_writing_job_file_leaves_nothing(
    store: JobStore, video: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", fsync)

    with pytest.raises(StorageError, match="disk is full"):
        store.create(video, JobSettings())

    monkeypatch.undo()
    assert listing(store) == []


class ProcessDied(BaseException):
    """Stands in for the process dying: nothing after it runs, no cleanup code either."""


def test_crash_while_creating_leaves_only_staging_which_is_cleaned(
    store: JobStore, video: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = store.create(video, JobSettings())
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(src).name.startswith(".new-"):
            raise ProcessDied()
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(ProcessDied):
        store.create(video, JobSettings())
    monkeypatch.undo()

    leftovers = [n for n in listing(store) if n.startswith(".new-")]
    assert len(leftovers) == 1, "the crash should have left the staging folder behind"
    # The half-made job is invisible...
    assert store.ids() == [good.id]
    records, broken = store.scan()
    assert [r.id for r in records] == [good.id] and broken == []
    # ...and the start-up clean-up removes it without touching the real job.
    (store.root / f".del-{'a' * 32}").mkdir()
    (store.root / f".del-{'a' * 32}" / JOB_FILE).write_text("{}")
    store.clean_staging()
    assert listing(store) == [good.id]
    assert store.get(good.id).id == good.id


def test_clean_staging_without_a_jobs_folder(store: JobStore) -> None:
    store.clean_staging()
    assert not store.root.exists()
    assert store.list() == []


# -- job ids -------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "abc",
        "A" * 32,
        "g" * 32,
        "0" * 31,
        "0" * 33,
        "0" * 32 + "\n",
        "../" + "0" * 29,
        "0" * 16 + "/" + "0" * 15,
        "..",
    ],
)
def test_malformed_job_ids_are_refused(store: JobStore, bad: str) -> None:
    with pytest.raises(JobError, match="not a job id"):
        store.folder(bad)
    with pytest.raises(JobError):
        store.get(bad)
    with pytest.raises(JobError):
        store.delete(bad)
    with pytest.raises(JobError):
        store.lock_for(bad)


def test_unknown_job_is_a_job_error(store: JobStore) -> None:
    with pytest.raises(JobError, match="no job"):
        store.get("0" * 32)


# -- running / interrupted -----------------------------------------------------


def _start_runner(store: JobStore, job_id: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD_RUNNER, str(store.home), job_id],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline().strip() if proc.stdout else ""
    if line != "ready":
        proc.kill()
        proc.wait(10)
        pytest.fail(f"the runner process did not start the job (said {line!r})")
    return proc


def test_job_of_a_killed_process_reads_interrupted(store: JobStore, video: Path) -> None:
    record = store.create(video, JobSettings())
    proc = _start_runner(store, record.id)
    try:
        # Alive: running, and reading it must not rewrite the runner's file.
        assert store.get(record.id).status == JobStatus.RUNNING
        assert JobStore().get(record.id).status == JobStatus.RUNNING
        assert raw(store, record.id)["status"] == "running"
        assert [r.status for r in store.list()] == [JobStatus.RUNNING]
        with pytest.raises(JobError, match="running"):
            store.delete(record.id)
        assert store.folder(record.id).is_dir()
    finally:
        proc.kill()  # SIGKILL: no clean-up code runs in the child
        proc.wait(10)
        if proc.stdout:
            proc.stdout.close()
    assert proc.returncode == -9 or os.name == "nt"

    assert store.get(record.id).status == JobStatus.INTERRUPTED
    assert raw(store, record.id)["status"] == "interrupted", "interrupted must be persisted"
    assert raw(store, record.id)["phase"] == "transcribe"
    # The lock is free again: a resumed run can take it.
    lock = store.lock_for(record.id)
    assert lock.try_acquire()
    lock.release()


def test_running_job_with_lock_held_in_this_process_stays_running(
    store: JobStore, video: Path
) -> None:
    record = store.create(video, JobSettings())
    lock = store.lock_for(record.id)
    assert lock.try_acquire()
    try:
        record.status = JobStatus.RUNNING
        store.save(record)
        assert store.get(record.id).status == JobStatus.RUNNING
        assert raw(store, record.id)["status"] == "running"
    finally:
        lock.release()
    assert store.get(record.id).status == JobStatus.INTERRUPTED


def test_running_job_without_any_lock_file_is_interrupted(store: JobStore, video: Path) -> None:
    record = store.create(video, JobSettings())
    record.status = JobStatus.RUNNING
    store.save(record)
    (store.folder(record.id) / ".lock").unlink(missing_ok=True)

    assert [r.status for r in store.list()] == [JobStatus.INTERRUPTED]
    assert raw(store, record.id)["status"] == "interrupted"


@pytest.mark.parametrize(
    "status", [JobStatus.QUEUED, JobStatus.PAUSED, JobStatus.FAILED, JobStatus.DONE]
)
def test_other_statuses_are_reported_as_saved(
    store: JobStore, video: Path, status: JobStatus
) -> None:
    record = store.create(video, JobSettings())
    record.status = status
    store.save(record)

    assert store.get(record.id).status == status


def test_file_lock_instances_conflict(tmp_path: Path) -> None:
    first, second = FileLock(tmp_path / ".lock"), FileLock(tmp_path / ".lock")

    assert first.try_acquire() and first.held
    assert first.try_acquire(), "taking a lock one already holds succeeds"
    assert not second.try_acquire() and not second.held
    assert second.held_elsewhere()
    assert not first.held_elsewhere()
    first.release()
    first.release()  # releasing twice is harmless
    assert not second.held_elsewhere()
    assert second.try_acquire()
    second.release()


def test_held_elsewhere_is_false_when_the_folder_is_gone(tmp_path: Path) -> None:
    assert not FileLock(tmp_path / "gone" / ".lock").held_elsewhere()


# -- find_unfinished -----------------------------------------------------------


def _aged(store: JobStore, record: JobRecord, created_at: str, status: JobStatus) -> JobRecord:
    record.created_at = created_at
    record.status = status
    store.save(record)
    return record


def test_find_unfinished_matches_the_same_file_by_another_path(
    store: JobStore, video: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = store.create(video, JobSettings())
    monkeypatch.chdir(video.parent.parent)
    other_spelling = Path("média") / ".." / "média" / "my talk.mp4"

    found = store.find_unfinished(other_spelling)

    assert found is not None and found.id == record.id


def test_find_unfinished_ignores_done_and_canceled_jobs_and_other_files(
    store: JobStore, video: Path, tmp_path: Path
) -> None:
    _aged(
        store, store.create(video, JobSettings()), "2024-01-01T00:00:00.000+00:00", JobStatus.DONE
    )
    _aged(
        store,
        store.create(video, JobSettings()),
        "2024-01-02T00:00:00.000+00:00",
        JobStatus.CANCELED,
    )
    store.create(tmp_path / "other.mp4", JobSettings())

    assert store.find_unfinished(video) is None


@pytest.mark.parametrize(
    "status", [JobStatus.PAUSED, JobStatus.INTERRUPTED, JobStatus.FAILED, JobStatus.QUEUED]
)
def test_find_unfinished_returns_the_newest_unfinished(
    store: JobStore, video: Path, status: JobStatus
) -> None:
    older = _aged(
        store, store.create(video, JobSettings()), "2024-03-01T10:00:00.000+00:00", JobStatus.PAUSED
    )
    newer = _aged(
        store, store.create(video, JobSettings()), "2024-03-02T10:00:00.000+00:00", status
    )
    _aged(
        store, store.create(video, JobSettings()), "2024-03-03T10:00:00.000+00:00", JobStatus.DONE
    )

    found = store.find_unfinished(video)

    assert found is not None and found.id == newer.id != older.id


def test_list_is_oldest_first(store: JobStore, video: Path) -> None:
    stamps = ["2024-05-03T00:00:00.000+00:00", "2024-05-01T00:00:00.000+00:00"]
    made = [_aged(store, store.create(video, JobSettings()), s, JobStatus.DONE) for s in stamps]

    assert [r.id for r in store.list()] == [made[1].id, made[0].id]


# -- delete --------------------------------------------------------------------


def test_delete_removes_the_folder(store: JobStore, video: Path) -> None:
    keep = store.create(video, JobSettings())
    gone = store.create(video, JobSettings())
    (store.folder(gone.id) / "checkpoint.json").write_text("{}")

    store.delete(gone.id)

    assert listing(store) == [keep.id]
    with pytest.raises(JobError):
        store.get(gone.id)
    with pytest.raises(JobError, match="no job"):
        store.delete(gone.id)


def test_delete_refuses_while_another_holder_has_the_lock(store: JobStore, video: Path) -> None:
    record = store.create(video, JobSettings())
    runner_lock = FileLock(store.folder(record.id) / ".lock")
    assert runner_lock.try_acquire()
    try:
        with pytest.raises(JobError, match="running"):
            store.delete(record.id)
        assert (store.folder(record.id) / JOB_FILE).is_file()
    finally:
        runner_lock.release()

    store.delete(record.id)
    assert listing(store) == []


# -- unreadable jobs -----------------------------------------------------------


BAD_JOB_FILES = {
    "truncated": '{"version": 1, "id": "',
    "empty": "",
    "not an object": "[1, 2, 3]",
    "no version": '{"id": "x"}',
    "bad status": None,  # filled in below from a good record
    "bad settings": None,
    "missing source": None,
}


def _good_dict(job_id: str) -> dict:
    return JobRecord(id=job_id, source="/v/a.mp4", settings=JobSettings()).to_dict()


def _bad_text(case: str, job_id: str) -> str:
    if BAD_JOB_FILES[case] is not None:
        return BAD_JOB_FILES[case]
    data = _good_dict(job_id)
    if case == "bad status":
        data["status"] = "exploded"
    elif case == "bad settings":
        data["settings"]["device"] = "abacus"
    elif case == "missing source":
        del data["source"]
    return json.dumps(data)


@pytest.mark.parametrize("case", sorted(BAD_JOB_FILES))
def test_corrupt_job_file_is_a_checkpoint_error_naming_the_file(store: JobStore, case: str) -> None:
    job_id = "c" * 32
    write_raw(store, job_id, _bad_text(case, job_id))

    with pytest.raises(CheckpointError) as caught:
        store.get(job_id)

    message = caught.value.message
    assert str(store.root / job_id / JOB_FILE) in message
    assert "Traceback" not in message and "\n" not in message


def test_job_file_from_a_newer_version_asks_for_an_update(store: JobStore) -> None:
    job_id = "f" * 32
    data = _good_dict(job_id)
    data["version"] = JOB_VERSION + 1
    data["a_field_from_the_future"] = {"x": 1}
    write_raw(store, job_id, json.dumps(data))

    with pytest.raises(CheckpointError, match="newer") as caught:
        store.get(job_id)
    assert "update" in caught.value.message
    assert str(store.root / job_id / JOB_FILE) in caught.value.message


def test_scan_lists_broken_jobs_beside_good_ones(store: JobStore, video: Path) -> None:
    good = store.create(video, JobSettings())
    corrupt, future, empty_folder = "1" * 32, "2" * 32, "3" * 32
    write_raw(store, corrupt, '{"version": 1, "id": ')
    data = _good_dict(future)
    data["version"] = 99
    write_raw(store, future, json.dumps(data))
    (store.root / empty_folder).mkdir()
    (store.root / "not-a-job").mkdir()
    (store.root / ("4" * 32)).write_text("a file, not a folder")

    records, broken = store.scan()

    assert [r.id for r in records] == [good.id]
    reasons = dict(broken)
    assert sorted(reasons) == [corrupt, future, empty_folder]
    assert "corrupt" in reasons[corrupt]
    assert "newer" in reasons[future]
    assert [r.id for r in store.list()] == [good.id]
    # Broken jobs are left alone, not deleted or rewritten.
    assert (store.root / corrupt / JOB_FILE).read_text() == '{"version": 1, "id": '


def test_record_from_dict_defaults_missing_optional_fields(tmp_path: Path) -> None:
    data = {
        "version": 1,
        "id": "a" * 32,
        "source": "/v/a.mp4",
        "status": "paused",
        "settings": {"model": "small"},
    }

    record = JobRecord.from_dict(data, tmp_path / JOB_FILE)

    assert record.status == JobStatus.PAUSED
    assert record.settings == JobSettings(model="small")
    assert record.percent == 0.0 and record.phase is None and record.output_path is None


def test_now_iso_is_utc_with_microseconds() -> None:
    stamp = jobstore_module.now_iso()
    assert stamp.endswith("+00:00")
    assert len(stamp.split(".")[1]) == len("123456+00:00")


def test_jobs_created_back_to_back_keep_their_order(tmp_path: Path) -> None:
    store = JobStore()
    created = [store.create(tmp_path / f"clip{i}.mp4", JobSettings()).id for i in range(30)]
    assert [r.id for r in store.list()] == created
