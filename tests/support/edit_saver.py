"""A stand-in for the window's edit saving, to be killed mid-save.

``python -m tests.support.edit_saver JOB_ID FIRST`` opens the job the way the window's
session does (``Edits.load``, a ``SubtitleDocument``, the current transcript), prints
``ready``, then applies edits ``FIRST, FIRST + 1, ...`` through the document's own
methods, saves after each one with ``SubtitleDocument.save_edits`` (what the window's
300 ms timer calls) and prints ``saved N`` once that save has returned. It never
stops by itself: the test kills it (``run_edit_saver``, below, is the test's side).

The edits are a fixed script (``planned_edit``) so the test can say what must be on
disk after any acknowledged edit without using the code under test. Applying an edit
again is harmless, so a restart may begin at the edit that was in flight.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from subtitle_studio.core.document import SubtitleDocument
from subtitle_studio.core.edits import Edits
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.transcript import current_transcript

REPO = Path(__file__).resolve().parents[2]

#: Kinds of edit, in turn: new text, an inserted row, new end time, another inserted
#: row, deleting the first of the two (so the file grows, as a user's edits do).
KINDS = ("text", "insert", "end", "insert", "delete")


@dataclass(frozen=True)
class PlannedEdit:
    number: int
    kind: str
    row_id: str = ""
    text: str = ""
    start: float = 0.0
    end: float = 0.0


def insert_text(number: int) -> str:
    return f"inserted by edit {number}"


def planned_edit(number: int, rows: list[dict]) -> PlannedEdit:
    """Edit ``number`` of the script, over the job's machine rows (in time order)."""
    kind = KINDS[number % len(KINDS)]
    row = rows[(number // len(KINDS)) % len(rows)]
    if kind == "text":
        return PlannedEdit(number, kind, row["id"], text=f"edit {number}: {row['text'][:30]}")
    if kind == "end":
        end = round(row["end"] + 0.01 * (number % 37 + 1), 3)
        return PlannedEdit(number, kind, row["id"], start=row["start"], end=end)
    if kind == "insert":
        start = 1000.0 + number
        return PlannedEdit(number, kind, text=insert_text(number), start=start, end=start + 0.5)
    return PlannedEdit(number, kind, text=insert_text(number - 3))


# -- the test's side ----------------------------------------------------------------------


def expected_edits(acked: int, rows: list[dict]) -> dict[str, Any]:
    """What the table shows after edits 0..acked of the script, worked out by hand."""
    texts = {r["id"]: r["text"] for r in rows}
    ends = {r["id"]: r["end"] for r in rows}
    inserted: dict[str, tuple[float, float]] = {}
    for number in range(acked + 1):
        edit = planned_edit(number, rows)
        if edit.kind == "text":
            texts[edit.row_id] = edit.text
        elif edit.kind == "end":
            ends[edit.row_id] = edit.end
        elif edit.kind == "insert":
            inserted[edit.text] = (edit.start, edit.end)
        else:
            inserted.pop(edit.text, None)
    return {"texts": texts, "ends": ends, "inserted": inserted}


def edits_on_disk(store: JobStore, job_id: str, rows: list[dict]) -> dict[str, Any]:
    """What a restarted window shows: the saved edits through the core loader, merged."""
    document = SubtitleDocument(job_id, edits=Edits.load(store.folder(job_id), job_id))
    document.load(rows, aligned=True)
    machine = [r for r in document.rows if not r.inserted]
    return {
        "texts": {r.id: r.text for r in machine},
        "ends": {r.id: r.end for r in machine},
        "inserted": {r.text: (r.start, r.end) for r in document.rows if r.inserted},
    }


def run_edit_saver(
    job_id: str, first: int, delay: float, acks: int, env: dict[str, str]
) -> list[int]:
    """Start the edit saver at edit ``first`` and SIGKILL it ``delay`` s after launch
    (``acks == 0``) or after its ``acks``-th acknowledgement, that is while the next
    save is under way; return the edits it acknowledged as saved."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.edit_saver", job_id, str(first)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None and proc.stderr is not None
        seen = 0
        while seen < acks:
            line = proc.stdout.readline()
            assert line, f"the edit saver stopped by itself: {proc.stderr.read()[-2000:]}"
            lines.append(line)
            seen += line.startswith("saved ")
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        # Read through the same buffered streams as above (``communicate`` reads the raw
        # pipe and would skip what ``readline`` has already buffered).
        out, err = proc.stdout.read(), proc.stderr.read()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL, f"the edit saver died by itself: {err[-2000:]}"
    # A line cut short by the kill (no line end) was never acknowledged.
    lines += out.splitlines(keepends=True)
    return [
        int(line.split()[1]) for line in lines if line.startswith("saved ") and line[-1] == "\n"
    ]


# -- the child -----------------------------------------------------------------------------


def main(job_id: str, first: int) -> None:
    store = JobStore()
    folder = store.folder(job_id)
    document = SubtitleDocument(job_id, edits=Edits.load(folder, job_id))
    transcript = current_transcript(store, job_id, words=False)
    document.load(transcript["segments"], aligned=transcript["aligned"])
    machine = [dict(r) for r in transcript["segments"]]
    print(f"ready {len(document)}", flush=True)
    number = first
    while True:
        edit = planned_edit(number, machine)
        if edit.kind == "text":
            document.edit(edit.row_id, text=edit.text)
        elif edit.kind == "end":
            document.edit(edit.row_id, end=edit.end)
        else:
            present = [r.id for r in document.rows if r.inserted and r.text == edit.text]
            if edit.kind == "insert" and not present:
                document.insert(edit.start, edit.end, edit.text)
            elif edit.kind == "delete" and present:
                document.delete(present[0])
        document.save_edits(folder)
        print(f"saved {number}", flush=True)
        number += 1


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
