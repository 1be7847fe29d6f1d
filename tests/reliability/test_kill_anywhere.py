"""Kill anywhere (issue 6): SIGKILL a real job at random instants in every phase, resume
it, and check that it completes with the very transcript of an uninterrupted run,
that no checkpointed chunk is transcribed again and that no file is left torn.

The instants are drawn from one seed, printed first; a failure names the seed and the
instant, and ``KILL_SEED=<seed>`` replays the same plan (where each kill lands still
depends on the machine's speed; the log says where it did land).

To fit CI, one job absorbs many kills: kill, resume and kill again, ..., then resume
to the end. Each of three chains aims once at start-up, twice at each short phase
(extract, split, align, srt: from its first progress event plus a delay shorter than
the phase) and three times at transcription (model load, after the k-th fragment). A
kill that lands before the phase it aims at is retried on the next resume; when too
few kills land in some phase, one more chain aims at the phases that are short.

The second test kills a process that saves the user's edits the way the window does
(``tests/support/edit_saver.py``) and checks that every acknowledged edit survives.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from subtitle_studio.core.checkpoint import load_checkpoint
from subtitle_studio.core.jobstore import JobRecord, JobStore
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.subtitle_rules import DEFAULT_RULES
from tests.support.edit_saver import KINDS, edits_on_disk, expected_edits, run_edit_saver
from tests.support.kill_harness import (
    LANDINGS,
    PHASES,
    ChildRun,
    Trigger,
    environment,
    half_job_folders,
    leftovers,
    run_child,
    unparsable_json,
)
from tests.support.srt_check import check_rules, parse_srt

pytestmark = pytest.mark.slow

LJ = "en_ljspeech_LJ001-0001_to_0023_concat.flac"
#: The bundled model; 10 s chunks make the 156 s clip 22 chunks to kill between.
SETTINGS = ["--model", "tiny.en", "--chunk-length", "10", "--align-model", "none"]
CHAINS = 3
MIN_KILLS = 20
MIN_PER_PHASE = 2
MAX_TOP_UPS = 2
#: How often a kill that landed before the phase it aimed at is tried again.
RETRIES = 3


def kill_seed() -> int:
    value = os.environ.get("KILL_SEED")
    return int(value) if value else random.SystemRandom().randrange(2**32)


def plan_chain(rng: random.Random) -> list[Trigger]:
    """One job's kills, in the order the job meets them. The delays are kept inside
    each phase's length on a 2-core machine (extract ~0.2 s, split ~0.3 s, a chunk
    ~0.5 s; align without a model and srt take a few tens of ms); slower machines land
    even more of them inside. A kill that lands inside a short phase leaves it to do
    again, so each is aimed at twice: the second costs only a restart."""
    return [
        # Start-up and job creation (~0.25 s): later, it could pass extract and split.
        Trigger.after_start(rng.uniform(0.0, 0.3)),
        Trigger.in_phase("extract", rng.uniform(0.0, 0.12)),
        Trigger.in_phase("extract", rng.uniform(0.0, 0.12)),
        Trigger.in_phase("split", rng.uniform(0.0, 0.2)),
        Trigger.in_phase("split", rng.uniform(0.0, 0.2)),
        Trigger.in_phase("transcribe", rng.uniform(0.0, 1.5)),  # model load, first chunk
        Trigger.after_fragments(rng.randint(1, 3), rng.uniform(0.0, 0.6)),
        Trigger.after_fragments(rng.randint(1, 3), rng.uniform(0.0, 0.6)),
        Trigger.in_phase("align", rng.uniform(0.0, 0.025)),
        Trigger.in_phase("align", rng.uniform(0.0, 0.025)),
        Trigger.in_phase("srt", rng.uniform(0.0, 0.008)),
        Trigger.in_phase("srt", rng.uniform(0.0, 0.008)),
    ]


def plan_top_up(rng: random.Random, short: list[str], kills_missing: int) -> list[Trigger]:
    """A chain aimed at the phases that got too few kills, plus transcription kills
    to make up the total."""
    delays = {"extract": 0.1, "split": 0.15, "transcribe": 1.0, "align": 0.015, "srt": 0.005}
    triggers = [Trigger.in_phase(p, rng.uniform(0.0, delays[p])) for p in short for _ in "ab"]
    extra = [
        Trigger.after_fragments(rng.randint(1, 3), rng.uniform(0.0, 0.6))
        for _ in range(max(0, kills_missing - len(triggers)))
    ]
    order = {phase: n for n, phase in enumerate(LANDINGS)}
    return sorted(triggers + extra, key=lambda t: order[t.aim])


@dataclass(frozen=True)
class Kill:
    chain: int
    trigger: Trigger
    landed: str
    at: float

    def describe(self) -> str:
        return (
            f"chain {self.chain}: {self.trigger.describe()}, aimed at {self.trigger.aim}, "
            f"killed {self.at:.3f} s after launch in {self.landed}"
        )


@dataclass
class Reference:
    srt: str
    aligned: dict[str, Any]
    unaligned: list[dict[str, Any]]

    def __repr__(self) -> str:  # a failure report shows this; the rows would drown it
        return f"Reference({len(self.aligned['segments'])} aligned rows)"


def aligned_rows(job_folder: Path) -> dict[str, Any]:
    """What must not change between runs (``aligned_at`` is a time, so it may)."""
    doc = json.loads((job_folder / "aligned.json").read_text(encoding="utf-8"))
    return {k: doc[k] for k in ("language", "aligner", "segments", "word_segments")}


def unaligned_results(job_folder: Path) -> list[dict[str, Any]]:
    doc = json.loads((job_folder / "checkpoint.json").read_text(encoding="utf-8"))
    return doc["unaligned_results"]


@pytest.fixture(scope="module")
def reference(media: Path, tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """An uninterrupted run with the same settings, in a home of its own."""
    folder = tmp_path_factory.mktemp("kill-reference")
    home, out = folder / "home", folder / "out.srt"
    run = run_child(
        ["transcribe", str(media / LJ), *SETTINGS, "-o", str(out), "--events", "jsonl"],
        env=environment(home),
        trigger=None,
        stderr_path=folder / "reference.stderr",
    )
    assert run.returncode == 0, run.stderr_tail()
    (job_id,) = JobStore(home).ids()
    job_folder = JobStore(home).folder(job_id)
    return Reference(
        out.read_text(encoding="utf-8"), aligned_rows(job_folder), unaligned_results(job_folder)
    )


class KillChain:
    """One job, killed again and again, then resumed to its end."""

    def __init__(self, number: int, folder: Path, source: Path, seed: int) -> None:
        self.number = number
        self.folder = folder
        folder.mkdir(parents=True)
        self.source = source
        self.seed = seed
        self.home = folder / "home"
        self.out = folder / "out.srt"
        self.store = JobStore(self.home)
        self.job_id: str | None = None
        #: Chunks in the checkpoint after the last run: none may be transcribed again.
        self.saved: set[int] = set()
        self.fragments: list[int] = []
        self.kills: list[Kill] = []
        self.runs = 0

    def say(self, line: str) -> None:
        print(f"[kill seed={self.seed} chain={self.number}] {line}", flush=True)

    def where(self, run: ChildRun, what: str) -> str:
        instant = run.trigger.describe() if run.trigger else "final resume"
        return (
            f"{what}\n  seed {self.seed} (replay: KILL_SEED={self.seed}), chain {self.number}, "
            f"run {self.runs} ({' '.join(run.argv[3:5])}), instant: {instant}, "
            f"landed in {run.landed}\n  child stderr: {run.stderr_tail(800)}"
        )

    def _launch(self, trigger: Trigger | None) -> ChildRun:
        self.runs += 1
        if self.job_id is None:
            args = ["transcribe", str(self.source), *SETTINGS, "-o", str(self.out)]
        else:
            args = ["resume", self.job_id]
        return run_child(
            [*args, "--events", "jsonl"],
            env=environment(self.home),
            trigger=trigger,
            stderr_path=self.folder / f"run-{self.runs}.stderr",
        )

    def _check(self, run: ChildRun) -> JobRecord | None:
        """What every run, killed or not, must leave behind; returns the job (if any)."""
        again = sorted(set(run.fragments) & self.saved)
        assert not again, self.where(
            run, f"chunks {again} were checkpointed, then transcribed again"
        )
        twice = sorted(i for i, n in Counter(run.fragments).items() if n > 1)
        assert not twice, self.where(run, f"chunks {twice} were announced twice in one run")
        self.fragments.extend(run.fragments)
        jobs = self.home / "jobs"
        assert not half_job_folders(jobs), self.where(
            run, f"job folders without job.json: {half_job_folders(jobs)}"
        )
        assert not unparsable_json(jobs), self.where(
            run, f"torn JSON files: {unparsable_json(jobs)}"
        )
        ids = self.store.ids()
        assert len(ids) <= 1, self.where(run, f"one job became several: {ids}")
        if not ids:
            assert self.job_id is None, self.where(run, f"job {self.job_id} vanished")
            assert not run.fragments, self.where(run, "fragments from a job that does not exist")
            return None
        self.job_id = ids[0]
        record = self.store.get(self.job_id)
        checkpoint = load_checkpoint(self.store.folder(self.job_id), self.job_id)
        now_saved = set(checkpoint.processed_indices) if checkpoint else set()
        lost = sorted(self.saved - now_saved)
        assert not lost, self.where(run, f"checkpointed chunks {lost} were lost")
        early = sorted(set(run.fragments) - now_saved)
        assert not early, self.where(run, f"chunks {early} were announced but not checkpointed")
        self.saved = now_saved
        return record

    def kill_at(self, triggers: list[Trigger]) -> None:
        """Kill the job at each instant in turn (resuming in between)."""
        pending = list(triggers)
        retries = 0
        while pending:
            trigger = pending[0]
            run = self._launch(trigger)
            if not run.killed:
                assert run.returncode == 0, self.where(run, f"exit code {run.returncode}")
                self.say(f"{trigger.describe()}: the job ended before the instant came")
                self._check(run)
                return
            record = self._check(run)
            # The events lag the disk by a few milliseconds: a job saved as done is done.
            done = record is not None and record.status == JobStatus.DONE
            kill = Kill(self.number, trigger, "done" if done else run.landed, run.killed_at or 0.0)
            self.kills.append(kill)
            self.say(f"kill #{len(self.kills)}: {kill.describe()}")
            if record is None:
                self.say("  no job yet (killed before job.json existed): starting it again")
            else:
                allowed = (JobStatus.INTERRUPTED, JobStatus.QUEUED, JobStatus.DONE)
                assert record.status in allowed, self.where(run, f"job is {record.status}")
                if record.status == JobStatus.DONE:
                    self.say("  the job had completed before the kill")
                    return
            if LANDINGS.index(kill.landed) < LANDINGS.index(trigger.aim) and retries < RETRIES:
                retries += 1
                continue  # landed too early: aim at the same phase again
            retries = 0
            pending = [
                t for t in pending[1:] if LANDINGS.index(t.aim) >= LANDINGS.index(kill.landed)
            ]

    def finish(self, reference: Reference) -> None:
        """Resume to the end and compare with the uninterrupted run."""
        run = self._launch(None)
        assert run.returncode == 0, self.where(run, f"resume failed with {run.returncode}")
        record = self._check(run)
        assert record is not None and record.status == JobStatus.DONE, self.where(
            run, f"job not done: {record}"
        )
        job_folder = self.store.folder(record.id)
        twice = sorted(i for i, n in Counter(self.fragments).items() if n > 1)
        assert not twice, self.where(run, f"chunks {twice} were transcribed twice over the job")
        srt = self.out.read_text(encoding="utf-8")
        cues = parse_srt(srt)
        check_rules(cues, DEFAULT_RULES)
        assert srt == reference.srt, self.where(
            run, "the subtitles differ from an uninterrupted run"
        )
        assert aligned_rows(job_folder) == reference.aligned, self.where(
            run, "aligned.json differs from an uninterrupted run"
        )
        assert unaligned_results(job_folder) == reference.unaligned, self.where(
            run, "the checkpointed chunks differ from an uninterrupted run"
        )
        assert not leftovers(self.home / "jobs"), self.where(
            run, f"left behind: {leftovers(self.home / 'jobs')}"
        )
        self.say(f"completed after {self.runs} runs, {len(self.kills)} kills")


@pytest.mark.timeout(600)
def test_sigkill_at_random_instants_then_resume(
    tmp_path: Path, media: Path, reference: Reference
) -> None:
    seed = kill_seed()
    rng = random.Random(seed)
    print(f"\n[kill] seed {seed}; replay with KILL_SEED={seed}", flush=True)
    plans = [plan_chain(rng) for _ in range(CHAINS)]
    kills: list[Kill] = []
    chains_run: list[KillChain] = []

    def run_chain(triggers: list[Trigger]) -> None:
        number = len(chains_run) + 1
        chain = KillChain(number, tmp_path / f"chain-{number}", media / LJ, seed)
        chains_run.append(chain)
        chain.say("plan: " + "; ".join(t.describe() for t in triggers))
        chain.kill_at(triggers)
        chain.finish(reference)
        kills.extend(chain.kills)

    for triggers in plans:
        run_chain(triggers)

    def landed_in_phases() -> Counter:
        return Counter(k.landed for k in kills if k.landed in PHASES)

    for _ in range(MAX_TOP_UPS):
        per_phase = landed_in_phases()
        short = [p for p in PHASES if p != "transcribe" and per_phase[p] < MIN_PER_PHASE]
        missing = MIN_KILLS - sum(per_phase.values())
        if not short and missing <= 0:
            break
        print(f"[kill] too few kills in {short or 'total'}: one more chain", flush=True)
        run_chain(plan_top_up(rng, short, missing))

    per_phase = landed_in_phases()
    summary = ", ".join(f"{p} {per_phase[p]}" for p in PHASES)
    others = Counter(k.landed for k in kills if k.landed not in PHASES)
    print(f"[kill] seed {seed}: {len(kills)} kills; {summary}; also {dict(others)}", flush=True)
    log = "\n".join(k.describe() for k in kills)
    assert sum(per_phase.values()) >= MIN_KILLS, f"seed {seed}: too few kills\n{log}"
    for phase in PHASES:
        assert per_phase[phase] >= MIN_PER_PHASE, f"seed {seed}: few kills in {phase}\n{log}"


# -- killed while saving the user's edits ---------------------------------------------------

#: Each costs a start of the saver (~0.3 s).
EDIT_KILLS = 16


@pytest.mark.timeout(300)
def test_sigkill_while_saving_edits_keeps_every_acknowledged_edit(
    tmp_path: Path, media: Path
) -> None:
    seed = kill_seed()
    rng = random.Random(seed)
    print(f"\n[edit kill] seed {seed}; replay with KILL_SEED={seed}", flush=True)
    home = tmp_path / "home"
    env = environment(home)
    made = run_child(
        [
            "transcribe",
            str(media / "jfk.flac"),
            *SETTINGS,
            "-o",
            str(tmp_path / "jfk.srt"),
            "--events",
            "jsonl",
        ],
        env=env,
        trigger=None,
        stderr_path=tmp_path / "transcribe.stderr",
    )
    assert made.returncode == 0, made.stderr_tail()
    store = JobStore(home)
    (job_id,) = store.ids()
    rows = json.loads((store.folder(job_id) / "aligned.json").read_text())["segments"]
    assert rows, "the job has no rows to edit"

    acked = -1
    for kill in range(EDIT_KILLS):
        # Every third kill at a time from launch (start-up, loading the edits, the
        # first saves); the others just after an acknowledgement, inside the next save.
        if kill % 3 == 0:
            acks, delay = 0, rng.uniform(0.0, 1.0)
            instant = f"+{delay * 1000:.1f} ms after launch"
        else:
            acks, delay = rng.randint(1, 200), rng.uniform(0.0, 0.002)
            instant = f"+{delay * 1000:.1f} ms after acknowledgement #{acks}"
        saved = run_edit_saver(job_id, acked + 1, delay, acks, env)
        assert saved == list(range(acked + 1, acked + 1 + len(saved))), saved
        acked = saved[-1] if saved else acked
        where = f"seed {seed} (replay: KILL_SEED={seed}), kill {kill + 1} at {instant}"
        torn = len(list(store.folder(job_id).glob(".edits.json.*.tmp")))
        print(
            f"[edit kill] {where}: {len(saved)} saves acknowledged, last {acked}; "
            f"writes cut short so far: {torn}",
            flush=True,
        )
        bad = unparsable_json(store.folder(job_id))
        assert not bad, f"{where}: torn JSON {bad}"
        shown = edits_on_disk(store, job_id, rows)
        allowed = [expected_edits(acked, rows), expected_edits(acked + 1, rows)]
        assert shown in allowed, f"{where}: edits up to {acked} were acknowledged, yet not all kept"
    assert acked >= 2 * len(KINDS), f"seed {seed}: too few edits were saved to test anything"

    # The kept edits reach the subtitle file the job exports.
    export = tmp_path / "edited.srt"
    done = run_child(
        ["resume", job_id, "--output", str(export), "--events", "jsonl"],
        env=env,
        trigger=None,
        stderr_path=tmp_path / "export.stderr",
    )
    assert done.returncode == 0, done.stderr_tail()
    assert not leftovers(home / "jobs"), leftovers(home / "jobs")
    cues = parse_srt(export.read_text(encoding="utf-8"))
    text = " ".join(" ".join(c[3].split()) for c in cues)
    shown = edits_on_disk(store, job_id, rows)
    for row_text in [*shown["texts"].values(), *shown["inserted"]]:
        assert " ".join(row_text.split()) in text, f"seed {seed}: {row_text!r} not exported"
