"""How fast the local HTTP endpoint delivers a running job's fragments, and what it costs the job.

Measures, in one process, on loopback, with ``--clients`` (default 5, the endpoint's limit per
job) streaming clients following one real running job:

1. **Delay**: from the moment the pipeline publishes a ``fragment`` event on the bus to the
   moment a client has read and parsed that event's SSE frame off its socket (median and 99th
   percentile over every fragment and every client). Goal: p99 under 20 ms. The clients are
   threads of this process, so ``time.monotonic()`` is one clock for both ends: the bus is a
   subclass of ``EventBus`` that notes each event's ``published_at`` (taken under the channel
   lock at publish) by (channel, seq); a client notes the ``seq`` in each fragment's JSON data and
   the time it parsed the frame, and the two are matched after the run (a fast client can parse
   a frame before ``publish`` has even returned).
2. **Cost**: the pipeline's wall time (``Pipeline.run()`` start to end) with no client against
   the same with ``--clients`` clients, as a ratio. Goal: ratio <= 1.02. The endpoint is up in
   both cases; only the clients differ. The machine may be shared and noisy, so the two kinds
   of run alternate order over ``--repeats`` rounds (0 then N, N then 0, ...) and the medians
   are reported, with the load average before and after.

The job is real: the input is ``--minutes`` of real speech joined from ../shared/media
(``bench_pipeline.build_input``), transcribed with the default settings (bundled tiny.en)
except ``chunk_max_s=10`` (many chunks, so many fragments) and ``align_model="none"`` (the
fallback aligner). An untimed warm-up job (with the clients) runs first, so no timed run pays
for first-use costs (model loads, imports). ``build_input`` repeats whole passes of the media,
so the shortest input is one pass (about 4.1 minutes). The clients are raw-socket readers
written here (a plain ``GET /stream/<job_id>``, frames split on the blank line), so what is
measured is the server and not a client library.

Also checked: every client receives every fragment, once, in order.

Usage::

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_http.py
    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_http.py --minutes 3 --repeats 5 -v
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from subtitle_studio.core.bus import EventBus, job_channel  # noqa: E402
from subtitle_studio.core.settings import JobSettings  # noqa: E402

log = logging.getLogger("bench_http")

CLIENTS = 5
P99_GOAL_MS = 20.0
RATIO_GOAL = 1.02
CONNECT_TIMEOUT_S = 10.0
CLIENT_END_TIMEOUT_S = 30.0
STREAM_CLOSE_TIMEOUT_S = 5.0
TERMINAL_SIGNALS = frozenset({"job_complete", "job_canceled", "job_failed"})


class RecordingBus(EventBus):
    """An ``EventBus`` that keeps each event's ``published_at`` by (channel, seq)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.published: dict[tuple[str, int], tuple[str, float]] = {}

    def publish(self, channel: str, name: str, data: dict[str, Any]) -> Any:
        event = super().publish(channel, name, data)
        # One dict store per event (atomic under the GIL); read only after the run.
        self.published[(channel, event.seq)] = (name, event.published_at)
        return event

    def fragments(self, channel: str) -> dict[int, float]:
        """seq -> published_at of every ``fragment`` published on ``channel``."""
        return {
            seq: at
            for (ch, seq), (name, at) in list(self.published.items())
            if ch == channel and name == "fragment"
        }


@dataclass
class ClientLog:
    """What one client read: (seq, parse time) of each fragment, and how its stream ended."""

    name: str
    fragments: list[tuple[int, float]] = field(default_factory=list)
    events: dict[str, int] = field(default_factory=dict)
    status_line: str = ""
    ended_by: str = ""
    error: str | None = None
    cpu_s: float = 0.0


class StreamClient(threading.Thread):
    """A raw-socket SSE reader of ``/stream/<job_id>``; notes when each fragment is parsed."""

    def __init__(self, port: int, job_id: str, index: int) -> None:
        super().__init__(name=f"bench-client-{index}", daemon=True)
        self.port = port
        self.job_id = job_id
        self.log = ClientLog(self.name)
        self.connected = threading.Event()

    def run(self) -> None:
        try:
            self._read()
        except Exception as exc:  # reported, never raised in a thread
            self.log.error = f"{type(exc).__name__}: {exc}"
            log.exception("%s failed", self.name)
        finally:
            self.log.cpu_s = time.thread_time()  # this thread's CPU: the client's own cost
            self.connected.set()

    def _read(self) -> None:
        request = (
            f"GET /stream/{self.job_id} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            "Accept: text/event-stream\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", self.port), timeout=60.0) as sock:
            sock.sendall(request)
            buffer = b""
            while b"\r\n\r\n" not in buffer:
                chunk = sock.recv(65536)
                if not chunk:
                    raise ConnectionError("closed before the response headers")
                buffer += chunk
            head, buffer = buffer.split(b"\r\n\r\n", 1)
            self.log.status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            if " 200 " not in f"{self.log.status_line} ":
                raise ConnectionError(f"refused: {self.log.status_line}")
            while True:
                while b"\n\n" in buffer:
                    raw, buffer = buffer.split(b"\n\n", 1)
                    if self._frame(raw):
                        return
                chunk = sock.recv(65536)
                if not chunk:
                    self.log.ended_by = "eof"
                    return
                buffer += chunk

    def _frame(self, raw: bytes) -> bool:
        """Handle one frame; True after a terminal signal (the server then closes)."""
        parsed_at = time.monotonic()
        name, data = "message", ""
        for line in raw.decode().split("\n"):
            if line.startswith(":"):
                continue  # a comment (the stream's opening line)
            key, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if key == "event":
                name = value
            elif key == "data":
                data = value
        if not data:
            return False
        payload = json.loads(data)
        self.log.events[name] = self.log.events.get(name, 0) + 1
        if name == "connected":
            self.connected.set()
        elif name == "fragment":
            self.log.fragments.append((int(payload["seq"]), parsed_at))
        elif name == "signal" and payload.get("code") in TERMINAL_SIGNALS:
            self.log.ended_by = str(payload["code"])
            return True
        return False


def _quantile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated quantile (``q`` in 0..1); None for no values."""
    if not values:
        return None
    data = sorted(values)
    pos = q * (len(data) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def _median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def _r(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


@dataclass
class Harness:
    """One store, live-job registry, recording bus, endpoint and engines for every run."""

    store: Any
    live: Any
    bus: RecordingBus
    server: Any
    engines: Any
    settings: JobSettings
    home: Path

    def run_job(self, wav: Path, clients: int, label: str) -> dict[str, Any]:
        """Create a job for ``wav``, connect ``clients`` streams, run the pipeline, collect."""
        from subtitle_studio.core.control import JobControl
        from subtitle_studio.core.pipeline import Pipeline

        record = self.store.create(wav, self.settings, output_path=self.home / f"{label}.srt")
        channel = job_channel(record.id)
        readers = [StreamClient(self.server.port, record.id, i) for i in range(clients)]
        for reader in readers:
            reader.start()
        deadline = time.monotonic() + CONNECT_TIMEOUT_S
        for reader in readers:
            reader.connected.wait(max(0.0, deadline - time.monotonic()))
        refused = [r.log.error for r in readers if r.log.error]
        if refused or self.bus.subscriber_count(channel) != clients:
            raise RuntimeError(
                f"{label}: {self.bus.subscriber_count(channel)} of {clients} streams connected"
                f" ({'; '.join(str(e) for e in refused) or 'timed out'})"
            )
        load_before = os.getloadavg()
        log.info("%s: job %s, %d clients, pipeline starts", label, record.id, clients)
        cpu_before = time.process_time()
        started = time.perf_counter()
        record = Pipeline(
            self.store,
            record.id,
            engines=self.engines,
            bus=self.bus,
            control=JobControl(),
            live=self.live,
        ).run()
        seconds = time.perf_counter() - started
        for reader in readers:
            reader.join(CLIENT_END_TIMEOUT_S)
        process_cpu = time.process_time() - cpu_before
        stuck = [r.name for r in readers if r.is_alive()]
        # The server releases a stream just after writing the terminal signal, which the
        # client may already have read: give the connection threads a moment to finish.
        deadline = time.monotonic() + STREAM_CLOSE_TIMEOUT_S
        while self.server.stream_count(record.id) and time.monotonic() < deadline:
            time.sleep(0.01)
        published = self.bus.fragments(channel)
        result = {
            "label": label,
            "clients": clients,
            "job_id": record.id,
            "status": str(record.status),
            "seconds": seconds,
            "process_cpu_s": round(process_cpu, 2),
            "client_threads_cpu_s": round(sum(r.log.cpu_s for r in readers), 3),
            "fragments_published": len(published),
            "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in os.getloadavg()],
            "clients_stuck_after_job": stuck,
            "streams_open_after_job": self.server.stream_count(record.id),
        }
        result.update(_delays(readers, published))
        log.info("%s: %.1f s, %d fragments", label, seconds, len(published))
        if str(record.status) != "done":
            raise RuntimeError(f"{label}: job ended {record.status}: {record.error}")
        return result


def _delays(readers: list[StreamClient], published: dict[int, float]) -> dict[str, Any]:
    """Publish-to-parse delays of every fragment at every client, and what each missed."""
    delays_ms: list[float] = []
    per_client = []
    for reader in readers:
        seqs = [seq for seq, _ in reader.log.fragments]
        mine = [
            (at - published[seq]) * 1000 for seq, at in reader.log.fragments if seq in published
        ]
        delays_ms.extend(mine)
        per_client.append(
            {
                "name": reader.name,
                "fragments_received": len(seqs),
                "missing": len(set(published) - set(seqs)),
                "unknown_seqs": len([s for s in seqs if s not in published]),
                "duplicates": len(seqs) - len(set(seqs)),
                "in_order": seqs == sorted(seqs),
                "events": reader.log.events,
                "ended_by": reader.log.ended_by,
                "error": reader.log.error,
                "median_ms": _r(_median(mine)),
                "max_ms": _r(max(mine, default=None)),
            }
        )
    return {
        "delay_samples": len(delays_ms),
        "delay_median_ms": _r(_median(delays_ms)),
        "delay_p99_ms": _r(_quantile(delays_ms, 0.99)),
        "delay_max_ms": _r(max(delays_ms, default=None)),
        "delays_ms": [round(d, 3) for d in delays_ms],
        "per_client": per_client,
    }


def build_harness(home: Path) -> Harness:
    from subtitle_studio.core.jobstore import JobStore
    from subtitle_studio.core.transcript import LiveJobs, snapshot_provider
    from subtitle_studio.engines.factory import LocalEngines
    from subtitle_studio.server.endpoint import StudioServer

    store = JobStore(home)
    live = LiveJobs()
    bus = RecordingBus(snapshot=snapshot_provider(store, live))
    server = StudioServer(store, bus, live, port=0)
    server.start()
    settings = JobSettings(chunk_max_s=10, align_model="none")
    return Harness(store, live, bus, server, LocalEngines(store.home), settings, home)


def run_benchmark(args: argparse.Namespace) -> dict[str, Any]:
    from bench_pipeline import build_input

    args.out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="http-bench-", dir=args.out))
    os.environ["SUBTITLE_STUDIO_HOME"] = str(home)
    bench_input = build_input(args.minutes, args.media, args.out)
    load_start = os.getloadavg()
    wall_start = time.perf_counter()

    harness = build_harness(home)
    runs: list[dict[str, Any]] = []
    try:
        log.info("endpoint at %s; warming up", harness.server.url)
        warmup = harness.run_job(Path(bench_input.wav), args.clients, "warmup")
        for round_no in range(args.repeats):
            order = [0, args.clients] if round_no % 2 == 0 else [args.clients, 0]
            for clients in order:
                label = f"round{round_no + 1}_{clients}clients"
                run = harness.run_job(Path(bench_input.wav), clients, label)
                run["round"] = round_no + 1
                runs.append(run)
    finally:
        harness.server.stop()
        harness.bus.close()
    load_end = os.getloadavg()
    return summarise(args, bench_input, warmup, runs, load_start, load_end, wall_start)


def summarise(
    args: argparse.Namespace,
    bench_input: Any,
    warmup: dict[str, Any],
    runs: list[dict[str, Any]],
    load_start: tuple[float, float, float],
    load_end: tuple[float, float, float],
    wall_start: float,
) -> dict[str, Any]:
    bare = [r for r in runs if r["clients"] == 0]
    loaded = [r for r in runs if r["clients"] > 0]
    per_round = []
    for round_no in range(1, args.repeats + 1):
        b = next(r for r in bare if r["round"] == round_no)
        c = next(r for r in loaded if r["round"] == round_no)
        per_round.append(
            {
                "round": round_no,
                "order": "0 first" if runs.index(b) < runs.index(c) else f"{args.clients} first",
                "seconds_0": round(b["seconds"], 2),
                f"seconds_{args.clients}": round(c["seconds"], 2),
                "ratio": round(c["seconds"] / b["seconds"], 4),
                "process_cpu_s_0": b["process_cpu_s"],
                f"process_cpu_s_{args.clients}": c["process_cpu_s"],
                "client_threads_cpu_s": c["client_threads_cpu_s"],
                "p99_ms": c["delay_p99_ms"],
                "median_ms": c["delay_median_ms"],
            }
        )
    pooled = [d for r in loaded for d in r["delays_ms"]]
    expected = [r["fragments_published"] for r in loaded]
    complete = all(
        c["missing"] == 0 and c["duplicates"] == 0 and c["in_order"] and c["unknown_seqs"] == 0
        for r in loaded
        for c in r["per_client"]
    )
    summary = {
        "median_seconds_0": _r(_median([r["seconds"] for r in bare]), 2),
        "median_seconds_n": _r(_median([r["seconds"] for r in loaded]), 2),
        "ratio_of_medians": _r(
            _median([r["seconds"] for r in loaded]) / _median([r["seconds"] for r in bare]), 4
        ),
        "median_round_ratio": _r(_median([p["ratio"] for p in per_round]), 4),
        "median_round_p99_ms": _r(_median([r["delay_p99_ms"] for r in loaded])),
        "median_round_median_ms": _r(_median([r["delay_median_ms"] for r in loaded])),
        "pooled_delay_samples": len(pooled),
        "pooled_median_ms": _r(_median(pooled)),
        "pooled_p99_ms": _r(_quantile(pooled, 0.99)),
        "pooled_max_ms": _r(max(pooled, default=None)),
        "fragments_per_job": expected,
        "ratio_min_max": [
            min(p["ratio"] for p in per_round),
            max(p["ratio"] for p in per_round),
        ],
        "median_process_cpu_s_0": _r(_median([r["process_cpu_s"] for r in bare]), 2),
        "median_process_cpu_s_n": _r(_median([r["process_cpu_s"] for r in loaded]), 2),
        "median_client_threads_cpu_s": _r(_median([r["client_threads_cpu_s"] for r in loaded]), 3),
        "streams_left_open": sum(r["streams_open_after_job"] for r in runs),
        "every_client_got_every_fragment": complete,
    }
    p99 = summary["median_round_p99_ms"]
    ratio = summary["median_round_ratio"]
    goals = {
        "p99_under_20ms": {"value": p99, "goal": f"< {P99_GOAL_MS}", "met": p99 < P99_GOAL_MS},
        "ratio_at_most_1_02": {
            "value": ratio,
            "goal": f"<= {RATIO_GOAL}",
            "met": ratio <= RATIO_GOAL,
        },
        "all_fragments_delivered": {"value": complete, "goal": True, "met": complete},
    }
    for run in [warmup, *runs]:
        run["seconds"] = round(run["seconds"], 3)
    return {
        "input": {"wav": bench_input.wav, "minutes": round(bench_input.seconds / 60, 2)},
        "settings": {"chunk_max_s": 10, "align_model": "none", "model": "auto (bundled tiny.en)"},
        "clients": args.clients,
        "repeats": args.repeats,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "load_before": [round(x, 2) for x in load_start],
        "load_after": [round(x, 2) for x in load_end],
        "bench_seconds": round(time.perf_counter() - wall_start, 1),
        "summary": summary,
        "per_round": per_round,
        "goals": goals,
        "warmup": warmup,
        "runs": runs,
    }


def render(report: dict[str, Any]) -> str:
    n = report["clients"]
    s = report["summary"]
    lines = [
        f"input {report['input']['minutes']} min of speech, {n} clients, "
        f"{report['repeats']} rounds, {report['machine']['cpus']} CPUs",
        f"load average before {report['load_before']}, after {report['load_after']}",
        "",
        f"{'round':>5}  {'order':>9}  {'0 clients s':>11}  {f'{n} clients s':>11}  "
        f"{'ratio':>7}  {'median ms':>9}  {'p99 ms':>7}  fragments/client",
    ]
    for p in report["per_round"]:
        run = next(r for r in report["runs"] if r["round"] == p["round"] and r["clients"] == n)
        got = "/".join(str(c["fragments_received"]) for c in run["per_client"])
        lines.append(
            f"{p['round']:>5}  {p['order']:>9}  {p['seconds_0']:>11.2f}  "
            f"{p[f'seconds_{n}']:>11.2f}  {p['ratio']:>7.4f}  {p['median_ms']:>9.3f}  "
            f"{p['p99_ms']:>7.3f}  {got} of {run['fragments_published']}"
        )
    lines += [
        "",
        f"median wall time: 0 clients {s['median_seconds_0']} s, {n} clients "
        f"{s['median_seconds_n']} s (ratio of medians {s['ratio_of_medians']})",
        f"publish -> parsed delay, all rounds pooled ({s['pooled_delay_samples']} samples): "
        f"median {s['pooled_median_ms']} ms, p99 {s['pooled_p99_ms']} ms, "
        f"max {s['pooled_max_ms']} ms",
        f"per-round ratios from {s['ratio_min_max'][0]} to {s['ratio_min_max'][1]}; "
        f"process CPU per job: 0 clients {s['median_process_cpu_s_0']} s, {n} clients "
        f"{s['median_process_cpu_s_n']} s (of which the client threads "
        f"{s['median_client_threads_cpu_s']} s)",
        f"streams still open {STREAM_CLOSE_TIMEOUT_S:g} s after the jobs: {s['streams_left_open']}",
        "",
    ]
    for name, goal in report["goals"].items():
        lines.append(
            f"goal {name}: {goal['value']} (goal {goal['goal']}): "
            f"{'met' if goal['met'] else 'NOT met'}"
        )
    lines.append(f"(bench ran {report['bench_seconds']} s)")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=4.0, help="input length (default 4)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds of 0 and N clients")
    parser.add_argument("--clients", type=int, default=CLIENTS, help="streams (default 5)")
    parser.add_argument("--media", type=Path, default=REPO.parent / "shared" / "media")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.clients < 1:
        parser.error("--repeats and --clients must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    report = run_benchmark(args)
    (args.out / "bench_http.json").write_text(json.dumps(report, indent=1))
    print(render(report))
    print(f"report: {args.out / 'bench_http.json'}")
    return 0 if all(g["met"] for g in report["goals"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
