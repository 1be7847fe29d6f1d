"""The network side of model downloads, through huggingface_hub's own download code.

File lists come from ``HfApi.model_info`` (sizes, the LFS sha256 of large files, the
git blob id of small ones) pinned to the commit it reports, so a resumed download
asks for the same bytes. Bytes come from ``huggingface_hub.file_download.http_get``,
the function ``hf_hub_download`` itself uses: it sends the ``Range`` header for a
resume, retries a dropped connection from where it stopped and checks the length.
We hand it our own progress object (its ``_tqdm_bar`` parameter): every piece it
receives is counted there, and raising ``Cancelled`` from it stops the download
between two pieces, with what arrived kept for the next attempt.

The mirror (``HF_ENDPOINT`` or the settings) is passed explicitly because
huggingface_hub reads the variable once at import. Proxies go through the requests
session huggingface_hub uses (``configure_http_backend``): ``system`` keeps
requests' default of reading the operating system's settings, ``none`` ignores
them, ``manual`` sets one proxy for http and https.
"""

from __future__ import annotations

import errno
import logging
import os
import time
from collections.abc import Callable
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from subtitle_studio.core.app_settings import NetworkPreference
from subtitle_studio.core.model_catalog import (
    TORCHAUDIO,
    TORCHAUDIO_BASE_URL,
    CatalogEntry,
)
from subtitle_studio.core.model_store import DownloadPlan, RemoteFile
from subtitle_studio.errors import Cancelled, ModelError, StorageError

log = logging.getLogger(__name__)

DEFAULT_HUB = "https://huggingface.co"
#: Bytes read per piece (see :meth:`HubFetcher.fetch`).
PIECE_BYTES = 1024 * 1024
#: Attempts in a row that receive nothing before a download is given up.
RETRIES = 4


def hub_endpoint(network: NetworkPreference) -> str:
    """The Hub address downloads use: the setting, else ``$HF_ENDPOINT``, else the Hub."""
    chosen = network.hub_endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_HUB
    return chosen.rstrip("/")


def proxies_for(network: NetworkPreference) -> dict[str, str] | None:
    """Explicit proxies for ``manual``; ``None`` lets the session decide."""
    if network.proxy_mode == "manual":
        return {"http": network.proxy_url, "https": network.proxy_url}
    return None


def configure_network(network: NetworkPreference) -> None:
    """Make every huggingface_hub request use ``network``'s proxy choice (process-wide)."""
    import requests
    from huggingface_hub import configure_http_backend

    try:  # huggingface_hub's own session: its request ids and its offline switch
        from huggingface_hub.utils._http import _default_backend_factory as base_factory
    except ImportError:  # pragma: no cover - a future huggingface_hub
        base_factory = requests.Session

    def session_factory() -> requests.Session:
        session = base_factory()
        if network.proxy_mode != "system":
            # requests lets environment proxies override session proxies; turn that off.
            session.trust_env = False
            session.proxies = proxies_for(network) or {}
        return session

    configure_http_backend(backend_factory=session_factory)


class _Meter:
    """Stands in for the tqdm bar ``http_get`` updates; forwards every piece it counts."""

    def __init__(self, on_bytes: Callable[[int], None]) -> None:
        self._on_bytes = on_bytes
        self.n = 0

    def update(self, count: int | float | None = 1) -> None:
        amount = int(count or 0)
        self.n += amount
        self._on_bytes(amount)  # may raise Cancelled: http_get stops before writing more

    def close(self) -> None:
        """Nothing to close: there is no terminal bar."""


class HubFetcher:
    """Plans and fetches the files of one catalogue entry."""

    def __init__(self, network: NetworkPreference | None = None) -> None:
        self.network = network or NetworkPreference()
        self.endpoint = hub_endpoint(self.network)
        self._proxies = proxies_for(self.network)
        configure_network(self.network)

    # ------------------------------------------------------------ plan

    def plan(self, entry: CatalogEntry) -> DownloadPlan:
        self._refuse_offline()
        if entry.source == TORCHAUDIO:
            return self._plan_torchaudio(entry)
        from huggingface_hub import HfApi, hf_hub_url

        try:
            info = HfApi(endpoint=self.endpoint).model_info(entry.repo, files_metadata=True)
        except Exception as exc:  # noqa: BLE001 - every failure becomes one clear message
            raise self._network_error(exc, f"the file list of {entry.repo}") from exc
        siblings = list(info.siblings or [])
        names = [s.rfilename for s in siblings]
        revision = info.sha or "main"
        files = []
        for sibling in siblings:
            if not entry.wants(sibling.rfilename, names):
                continue
            lfs = sibling.lfs
            size = lfs.size if lfs is not None else sibling.size
            if size is None:
                raise ModelError(
                    "The server at {endpoint} did not give the size of "
                    "{file_name} in {repo}; it may not be a Hugging Face mirror.",
                    endpoint=self.endpoint,
                    file_name=sibling.rfilename,
                    repo=entry.repo,
                )
            files.append(
                RemoteFile(
                    sibling.rfilename,
                    int(size),
                    hf_hub_url(
                        entry.repo, sibling.rfilename, revision=revision, endpoint=self.endpoint
                    ),
                    sha256=lfs.sha256 if lfs is not None else None,
                    git_sha1=None if lfs is not None else sibling.blob_id,
                )
            )
        if not files:
            raise ModelError(
                "{repo} on {endpoint} has none of the files a model needs.",
                repo=entry.repo,
                endpoint=self.endpoint,
            )
        return DownloadPlan(entry.model_id, revision, tuple(files))

    def _plan_torchaudio(self, entry: CatalogEntry) -> DownloadPlan:
        from huggingface_hub import get_hf_file_metadata

        url = TORCHAUDIO_BASE_URL + entry.checkpoint
        try:
            meta = get_hf_file_metadata(url, proxies=self._proxies)
        except Exception as exc:  # noqa: BLE001
            raise self._network_error(exc, entry.checkpoint) from exc
        if not meta.size:
            raise ModelError("The server did not give the size of {url}.", url=url)
        return DownloadPlan(entry.model_id, "", (RemoteFile(entry.checkpoint, meta.size, url),))

    # ------------------------------------------------------------ fetch

    def fetch(
        self,
        remote: RemoteFile,
        stream: BinaryIO,
        resume_size: int,
        on_bytes: Callable[[int], None],
    ) -> None:
        """Append ``remote`` to ``stream``; a dropped connection is resumed from what
        arrived, up to :data:`RETRIES` times in a row without progress."""
        self._refuse_offline()
        import requests
        from huggingface_hub import constants
        from huggingface_hub.file_download import http_get

        # http_get reads in pieces of this size and drops a piece cut short; 1 MiB keeps
        # both the loss on a cut or cancel and the gaps between progress updates small.
        constants.DOWNLOAD_CHUNK_SIZE = min(constants.DOWNLOAD_CHUNK_SIZE, PIECE_BYTES)
        failures = 0
        while True:
            start = stream.tell()
            try:
                http_get(
                    remote.url,
                    stream,
                    proxies=self._proxies,
                    resume_size=start,
                    expected_size=remote.size,
                    displayed_filename=remote.name,
                    _nb_retries=0,  # retried here, where cancel is honoured between tries
                    _tqdm_bar=_Meter(on_bytes),  # type: ignore[arg-type]
                )
                return
            except Cancelled:
                raise
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,  # a body cut short
            ) as exc:
                failures = 0 if stream.tell() > start else failures + 1
                if failures > RETRIES:
                    raise self._network_error(exc, remote.name) from exc
                log.warning(
                    "connection lost during %s at %d bytes (%s); resuming",
                    remote.name,
                    stream.tell(),
                    exc,
                )
                time.sleep(min(8.0, 0.5 * 2**failures))
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES):
                    raise StorageError.from_oserror(exc, getattr(stream, "name", "")) from exc
                raise self._network_error(exc, remote.name) from exc
            except Exception as exc:  # noqa: BLE001
                raise self._network_error(exc, remote.name) from exc

    # ------------------------------------------------------------ errors

    @staticmethod
    def _refuse_offline() -> None:
        from huggingface_hub import constants

        if constants.HF_HUB_OFFLINE:
            raise ModelError(
                "Downloads are switched off because HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE) "
                "is set. Unset it, or "
                "import a model folder instead (subtitle-studio models import FOLDER)."
            )

    def _network_error(self, exc: Exception, what: str) -> ModelError:
        """One message a user can act on, naming the server and the cause."""
        host = urlsplit(self.endpoint).netloc or self.endpoint
        status = _status_code(exc)
        if status == 404:
            return ModelError(
                "{what} was not found on {host}. Check the mirror address.", what=what, host=host
            )
        if status in (401, 403):
            return ModelError(
                "{host} refused {what} (HTTP {status}). The mirror or proxy may block it.",
                host=host,
                what=what,
                status=status,
            )
        if status is not None:
            return ModelError(
                "{host} answered HTTP {status} for {what}. Try again later.",
                host=host,
                status=status,
                what=what,
            )
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if self.network.proxy_mode == "manual":
            return ModelError(
                "Could not download {what} from {host} through the proxy {proxy}: {detail}. "
                "Check the network, the mirror and proxy in Settings, "
                "then download again to resume.",
                what=what,
                host=host,
                proxy=self.network.proxy_url,
                detail=detail,
            )
        return ModelError(
            "Could not download {what} from {host}: {detail}. Check the network, "
            "the mirror and proxy in Settings, then download again to resume.",
            what=what,
            host=host,
            detail=detail,
        )


def _status_code(exc: Exception) -> int | None:
    response: Any = getattr(exc, "response", None)
    code = getattr(response, "status_code", None)
    return int(code) if isinstance(code, int) else None
