"""The fake Hub must behave like the real one for huggingface_hub's own code.

Every check here goes through huggingface_hub 0.36's real functions (``model_info``,
``get_hf_file_metadata``, ``http_get``, ``hf_hub_download``, ``snapshot_download``), so a
download test built on ``FakeHub`` exercises the same requests and headers as a download
from huggingface.co. The expected hashes are computed here, independently of the fake.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import huggingface_hub
import pytest
import requests
from huggingface_hub import HfApi, hf_hub_download, hf_hub_url, snapshot_download
from huggingface_hub.errors import (
    EntryNotFoundError,
    HfHubHTTPError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.file_download import get_hf_file_metadata, http_get
from huggingface_hub.utils import reset_sessions

from tests.support.fake_hub import DEFAULT_COMMIT, FakeHub, ForwardProxy, hub_env

REPO = "Systran/faster-whisper-tiny.en"
MODEL_SIZE = 3_000_000


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Let huggingface_hub make requests despite the suite's HF_HUB_OFFLINE=1.

    The flag is read into ``constants`` at import and decides which adapter each cached
    session mounts, so the sessions are rebuilt on the way in; on the way out too, so no
    keep-alive connection outlives the test.
    """
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    reset_sessions()
    yield
    reset_sessions()


@pytest.fixture
def repo_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    (folder / "sub").mkdir(parents=True)
    (folder / "model.bin").write_bytes(os.urandom(MODEL_SIZE))
    (folder / "config.json").write_text('{"alignment_heads": [[1, 0]], "lang_ids": []}\n')
    (folder / "vocabulary.txt").write_text("".join(f"token{i}\n" for i in range(5000)))
    (folder / "sub" / "notes.txt").write_text("a file in a subfolder\n")
    return folder


@pytest.fixture
def hub(repo_dir: Path, online: None) -> Iterator[FakeHub]:
    with FakeHub({REPO: repo_dir}, lfs_min_size=1_000_000) as running:
        yield running


@pytest.fixture
def proxy(online: None) -> Iterator[ForwardProxy]:
    with ForwardProxy() as running:
        yield running


def git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(f"blob {len(data)}\0".encode() + data).hexdigest()


def test_model_info_lists_files_with_sizes_blob_ids_and_lfs(hub: FakeHub, repo_dir: Path) -> None:
    info = HfApi(endpoint=hub.url).model_info(REPO, files_metadata=True)

    assert info.id == REPO
    assert info.sha == DEFAULT_COMMIT
    siblings = {s.rfilename: s for s in info.siblings or []}
    assert set(siblings) == {"model.bin", "config.json", "vocabulary.txt", "sub/notes.txt"}
    model = (repo_dir / "model.bin").read_bytes()
    assert siblings["model.bin"].size == MODEL_SIZE
    assert siblings["model.bin"].lfs is not None
    assert siblings["model.bin"].lfs.sha256 == hashlib.sha256(model).hexdigest()
    assert siblings["model.bin"].lfs.size == MODEL_SIZE
    pointer = siblings["model.bin"].lfs.pointer_size
    assert siblings["model.bin"].blob_id is not None and pointer > 0
    config = (repo_dir / "config.json").read_bytes()
    assert siblings["config.json"].lfs is None
    assert siblings["config.json"].size == len(config)
    assert siblings["config.json"].blob_id == git_blob_sha1(config)


def test_model_info_without_files_metadata_names_files_only(hub: FakeHub) -> None:
    """Like the real Hub: sizes and hashes only when ``?blobs=true`` asks for them."""
    info = HfApi(endpoint=hub.url).model_info(REPO, revision=DEFAULT_COMMIT)

    assert {s.rfilename for s in info.siblings or []} >= {"model.bin", "config.json"}
    assert all(s.size is None and s.lfs is None for s in info.siblings or [])


def test_unknown_repo_revision_and_file_raise_the_hub_errors(hub: FakeHub) -> None:
    api = HfApi(endpoint=hub.url)
    with pytest.raises(RepositoryNotFoundError):
        api.model_info("nobody/nothing")
    with pytest.raises(RevisionNotFoundError):
        api.model_info(REPO, revision="v9")
    with pytest.raises(RevisionNotFoundError):
        get_hf_file_metadata(hf_hub_url(REPO, "model.bin", revision="v9", endpoint=hub.url))
    with pytest.raises(EntryNotFoundError):
        get_hf_file_metadata(hf_hub_url(REPO, "missing.bin", endpoint=hub.url))
    with pytest.raises(RepositoryNotFoundError):
        get_hf_file_metadata(hf_hub_url("nobody/nothing", "model.bin", endpoint=hub.url))


def test_file_metadata_gives_commit_etag_and_size(hub: FakeHub, repo_dir: Path) -> None:
    model = (repo_dir / "model.bin").read_bytes()
    meta = get_hf_file_metadata(hf_hub_url(REPO, "model.bin", endpoint=hub.url))

    assert meta.commit_hash == DEFAULT_COMMIT
    assert meta.etag == hashlib.sha256(model).hexdigest()  # LFS: the content's sha256
    assert meta.size == MODEL_SIZE
    assert meta.xet_file_data is None  # so hf_xet is never involved

    config = (repo_dir / "config.json").read_bytes()
    small = get_hf_file_metadata(hf_hub_url(REPO, "config.json", endpoint=hub.url))
    assert small.etag == git_blob_sha1(config)  # plain git file: its blob id
    assert small.size == len(config)
    assert [r.method for r in hub.requests] == ["HEAD", "HEAD"]


def test_hf_hub_download_gives_identical_bytes(hub: FakeHub, repo_dir: Path, tmp_path: Path):
    local = hf_hub_download(REPO, "model.bin", local_dir=tmp_path / "out", endpoint=hub.url)
    assert Path(local).read_bytes() == (repo_dir / "model.bin").read_bytes()

    cached = hf_hub_download(REPO, "sub/notes.txt", cache_dir=tmp_path / "cache", endpoint=hub.url)
    assert Path(cached).read_bytes() == (repo_dir / "sub" / "notes.txt").read_bytes()
    assert f"snapshots/{DEFAULT_COMMIT}/sub/notes.txt" in Path(cached).as_posix()


def test_snapshot_download_as_faster_whisper_calls_it(hub: FakeHub, repo_dir: Path, tmp_path):
    """faster_whisper.utils.download_model: allow_patterns, local_dir, and here an endpoint."""
    out = tmp_path / "model"
    snapshot_download(
        REPO,
        local_dir=out,
        allow_patterns=["config.json", "model.bin", "vocabulary.*"],
        endpoint=hub.url,
    )
    for name in ("config.json", "model.bin", "vocabulary.txt"):
        assert (out / name).read_bytes() == (repo_dir / name).read_bytes()
    assert not (out / "sub").exists()


def test_cut_download_resumes_with_a_range_request(
    hub: FakeHub, repo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # http_get reads 10 MiB chunks and urllib3 drops a chunk cut short, so with the default a
    # 3 MB file cut mid-way leaves nothing on disk; smaller chunks keep what arrived.
    monkeypatch.setattr(huggingface_hub.constants, "DOWNLOAD_CHUNK_SIZE", 64 * 1024)
    model = (repo_dir / "model.bin").read_bytes()
    url = hf_hub_url(REPO, "model.bin", endpoint=hub.url)
    hub.cut_next("model.bin", 1_000_000)
    out = io.BytesIO()

    # A truncated body is ChunkedEncodingError, which http_get does not retry itself.
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        http_get(url, out, expected_size=MODEL_SIZE, _nb_retries=0)
    kept = out.tell()
    assert 0 < kept <= 1_000_000
    assert model.startswith(out.getvalue())

    http_get(url, out, resume_size=kept, expected_size=MODEL_SIZE, _nb_retries=0)

    assert out.getvalue() == model
    first, second = hub.gets_of("model.bin")
    assert (first.range, first.status, first.bytes_sent) == (None, 200, 1_000_000)
    assert second.range == f"bytes={kept}-"
    assert (second.status, second.bytes_sent) == (206, MODEL_SIZE - kept)


def test_hf_hub_download_resumes_from_its_incomplete_file(online: None, tmp_path: Path) -> None:
    """What the application sees: the next hf_hub_download continues at a 10 MiB boundary."""
    chunk = huggingface_hub.constants.DOWNLOAD_CHUNK_SIZE
    folder = tmp_path / "big"
    folder.mkdir()
    data = os.urandom(chunk + 500_000)
    (folder / "model.bin").write_bytes(data)
    out = tmp_path / "out"
    with FakeHub({REPO: folder}) as hub:
        hub.cut_next("model.bin", chunk + 200_000)
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            hf_hub_download(REPO, "model.bin", local_dir=out, endpoint=hub.url)
        local = hf_hub_download(REPO, "model.bin", local_dir=out, endpoint=hub.url)

        assert Path(local).read_bytes() == data
        assert [r.range for r in hub.gets_of("model.bin")] == [None, f"bytes={chunk}-"]


def test_range_requests(hub: FakeHub, repo_dir: Path) -> None:
    model = (repo_dir / "model.bin").read_bytes()
    url = hf_hub_url(REPO, "model.bin", endpoint=hub.url)
    with requests.Session() as session:
        part = session.get(url, headers={"Range": "bytes=10-19"})
        assert part.status_code == 206
        assert part.headers["Content-Range"] == f"bytes 10-19/{MODEL_SIZE}"
        assert part.content == model[10:20]
        tail = session.get(url, headers={"Range": "bytes=-5"})
        assert (tail.status_code, tail.content) == (206, model[-5:])
        beyond = session.get(url, headers={"Range": f"bytes={MODEL_SIZE}-"})
        assert beyond.status_code == 416
        assert beyond.headers["Content-Range"] == f"bytes */{MODEL_SIZE}"
        whole = session.get(url)
        assert (whole.status_code, whole.headers["Accept-Ranges"]) == (200, "bytes")
    # All four on one kept-alive connection.
    assert len({r.client_port for r in hub.requests}) == 1


def test_fail_next_answers_once_with_the_status(hub: FakeHub) -> None:
    url = hf_hub_url(REPO, "config.json", endpoint=hub.url)
    hub.fail_next("config.json", 403)
    with pytest.raises(HfHubHTTPError) as failure:
        get_hf_file_metadata(url)
    assert failure.value.response.status_code == 403
    assert get_hf_file_metadata(url).size is not None


def test_downloads_through_the_forward_proxy(
    hub: FakeHub, proxy: ForwardProxy, repo_dir: Path, tmp_path: Path
) -> None:
    model = (repo_dir / "model.bin").read_bytes()
    url = hf_hub_url(REPO, "model.bin", endpoint=hub.url)
    proxies = {"http": proxy.url}

    out = io.BytesIO()
    http_get(url, out, proxies=proxies, expected_size=MODEL_SIZE)
    assert out.getvalue() == model
    assert proxy.seen == [url]

    local = hf_hub_download(
        REPO, "config.json", local_dir=tmp_path / "out", endpoint=hub.url, proxies=proxies
    )
    assert Path(local).read_bytes() == (repo_dir / "config.json").read_bytes()
    config_url = hf_hub_url(REPO, "config.json", endpoint=hub.url)
    assert proxy.seen[1:] == [config_url, config_url]  # the HEAD, then the GET

    with requests.Session() as session:
        part = session.get(url, headers={"Range": "bytes=5-9"}, proxies=proxies)
    assert (part.status_code, part.content) == (206, model[5:10])
    assert part.headers["Content-Range"] == f"bytes 5-9/{MODEL_SIZE}"


def test_proxy_passes_a_cut_on(hub: FakeHub, proxy: ForwardProxy) -> None:
    url = hf_hub_url(REPO, "model.bin", endpoint=hub.url)
    hub.cut_next("model.bin", 100_000)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(url, proxies={"http": proxy.url}, timeout=10)


def test_throttle_slows_the_body(hub: FakeHub) -> None:
    url = hf_hub_url(REPO, "model.bin", endpoint=hub.url)
    hub.throttle(1_000_000)
    began = time.monotonic()
    body = requests.get(url, headers={"Range": "bytes=0-199999"}, timeout=10).content
    assert len(body) == 200_000
    assert time.monotonic() - began >= 0.15


def test_stop_ends_a_throttled_download_and_its_threads(online: None, repo_dir: Path) -> None:
    """Stopping mid-download ends the client's read at once and joins the server's threads."""
    outcome: list[BaseException | int] = []
    with FakeHub({REPO: repo_dir}) as hub:
        hub.throttle(100_000)  # 30 s for the whole file
        url = hf_hub_url(REPO, "model.bin", endpoint=hub.url)

        def download() -> None:
            try:
                outcome.append(len(requests.get(url, timeout=10).content))
            except requests.RequestException as error:
                outcome.append(error)

        client = threading.Thread(target=download, name="test-download")
        client.start()
        deadline = time.monotonic() + 5
        while not any(r.bytes_sent for r in hub.gets_of("model.bin")):
            assert time.monotonic() < deadline, "the download never started"
            time.sleep(0.01)
        began = time.monotonic()
        hub.stop()
        client.join(timeout=5)

    assert time.monotonic() - began < 2
    assert not client.is_alive()
    assert isinstance(outcome[0], requests.RequestException)


def test_hub_env_names_the_endpoint() -> None:
    assert hub_env("http://127.0.0.1:1234") == {"HF_ENDPOINT": "http://127.0.0.1:1234"}
