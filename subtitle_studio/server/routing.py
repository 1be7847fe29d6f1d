"""What a request asks for, decided from its raw bytes before anything is decoded.

The job id is checked on the raw path: ``/stream/..%2F..%2Fetc`` is malformed (400),
never decoded into something that might name a file or another route.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from subtitle_studio.core.jobstore import is_job_id

#: Routes that take a job id, and the ones that do not.
JOB_ROUTES = ("stream", "transcription-text", "status")
PLAIN_ROUTES = ("/jobs", "/events/models")

_JOB_PATH = re.compile(r"^/(stream|transcription-text|status)/([^?#]*)$")
LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost", "ip6-loopback"})


@dataclass(frozen=True)
class Route:
    name: str  # "stream", "transcription-text", "status", "jobs", "models", or "" (unknown)
    job_id: str | None = None
    malformed: bool = False


def parse_route(raw_target: str) -> Route:
    """The route of a request target such as ``/stream/<id>?x=1``."""
    path = raw_target.split("?", 1)[0].split("#", 1)[0]
    if path in ("/jobs", "/jobs/"):
        return Route("jobs")
    if path == "/events/models":
        return Route("models")
    match = _JOB_PATH.match(path)
    if match is None:
        return Route("")
    name, job_id = match.groups()
    if not is_job_id(job_id):
        return Route(name, None, malformed=True)
    return Route(name, job_id)


def is_loopback_host(host_header: str | None) -> bool:
    """Whether a Host header names this computer (the guard against DNS rebinding).

    Accepted: ``localhost`` and loopback addresses (``127.x.x.x``, ``[::1]``), with or
    without a port. A page on ``evil.example`` that resolves to 127.0.0.1 still sends
    ``Host: evil.example`` and is refused.
    """
    if not host_header:
        return False
    host = host_header.strip().lower()
    if host.startswith("["):  # [::1]:8080
        end = host.find("]")
        if end < 0:
            return False
        rest = host[end + 1 :]
        if rest and not (rest.startswith(":") and _is_port(rest[1:])):
            return False
        host = host[1:end]
    elif host.count(":") == 1:
        host, port = host.split(":")
        if not _is_port(port):
            return False
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def loopback_origin(origin: str | None) -> str | None:
    """The ``Origin`` to allow in CORS answers: only pages served from this computer."""
    if not origin:
        return None
    scheme, sep, rest = origin.partition("://")
    if sep != "://" or scheme not in ("http", "https") or "/" in rest:
        return None
    return origin if is_loopback_host(rest) else None


def _is_port(text: str) -> bool:
    # ASCII only: str.isdigit() also takes "²" (which int() refuses) and "٨٠".
    return text.isascii() and text.isdigit() and 0 < int(text) < 65536
