"""``subtitle-studio serve`` and ``transcribe --serve``: the endpoint from the command line."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
from httpx_sse import connect_sse

URL = re.compile(r"http://127\.0\.0\.1:\d+")


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "subtitle_studio", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
    )  # fmt: skip


def read_until(stream, pattern: re.Pattern[str]) -> re.Match[str]:
    """Lines of ``stream`` until one matches (the process prints it once ready)."""
    seen = []
    for line in stream:
        seen.append(line)
        if (match := pattern.search(line)) is not None:
            return match
    raise AssertionError(f"never printed {pattern.pattern!r}: {''.join(seen)}")


def test_serve_takes_a_job_streams_it_and_stops_on_sigterm(media: Path, tmp_path: Path) -> None:
    source = tmp_path / "jfk.flac"
    source.write_bytes((media / "jfk.flac").read_bytes())
    proc = start("serve", "--port", "0", "--heartbeat", "0.5")
    try:
        url = read_until(proc.stdout, URL).group(0)
        with httpx.Client(timeout=60) as client:
            answer = client.post(f"{url}/jobs", json={"path": str(source)})
            assert answer.status_code == 201, answer.text
            job_id = answer.json()["job_id"]
            with connect_sse(client, "GET", f"{url}/stream/{job_id}") as events:
                names = [event.event for event in events.iter_sse()]
            assert names[0] == "connected" and names[-1] == "signal"
            text = client.get(f"{url}/transcription-text/{job_id}").json()
            assert "country" in " ".join(s["text"] for s in text["segments"]).lower()
        assert (tmp_path / "jfk.srt").exists(), "the posted job wrote its subtitles"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_transcribe_with_serve_keeps_the_endpoint_up_after_the_job(
    media: Path, tmp_path: Path
) -> None:
    source = tmp_path / "jfk.flac"
    source.write_bytes((media / "jfk.flac").read_bytes())
    proc = start("transcribe", str(source), "--align-model", "none", "--serve", "--port", "0")
    try:
        url = read_until(proc.stderr, URL).group(0)
        read_until(proc.stderr, re.compile("stays up"))
        with httpx.Client(timeout=30) as client:
            [job] = client.get(f"{url}/jobs").json()["jobs"]
            assert job["status"] == "done"
            text = client.get(f"{url}/transcription-text/{job['id']}").json()
            assert text["source"] in ("memory", "aligned") and text["segments"]
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        assert out.strip() == str(tmp_path / "jfk.srt")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_a_bad_port_is_a_usage_error() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "subtitle_studio", "serve", "--port", "70000"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "--port must be between 0 and 65535" in done.stderr
