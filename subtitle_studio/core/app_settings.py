"""Application preferences in ``<home>/settings.json`` (schema-versioned): the default
settings for new jobs, whether the window runs the local HTTP endpoint, and how model
downloads reach the network (mirror and proxy)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from subtitle_studio.core import paths
from subtitle_studio.core.atomic import read_json, write_json_atomic
from subtitle_studio.core.settings import SETTINGS_VERSION, JobSettings
from subtitle_studio.errors import SettingsError, StudioError

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"
#: The endpoint's port unless the user chooses another (0: any free port).
DEFAULT_ENDPOINT_PORT = 8765


@dataclass(frozen=True)
class EndpointPreference:
    """The window's HTTP endpoint: off unless the user turns it on."""

    enabled: bool = False
    port: int = DEFAULT_ENDPOINT_PORT


PROXY_MODES = ("system", "none", "manual")


@dataclass(frozen=True)
class NetworkPreference:
    """How model downloads reach the Hub.

    ``hub_endpoint`` empty means ``$HF_ENDPOINT`` or huggingface.co. ``proxy_mode``:
    ``system`` uses the operating system's proxy settings (environment variables on
    Linux, the registry on Windows, System Settings on macOS); ``none`` connects
    directly; ``manual`` uses ``proxy_url`` for both http and https.
    """

    hub_endpoint: str = ""
    proxy_mode: str = "system"
    proxy_url: str = ""

    def problems(self) -> list[str]:
        out = []
        if self.hub_endpoint and not self.hub_endpoint.startswith(("http://", "https://")):
            out.append("the mirror address must start with http:// or https://")
        if self.proxy_mode not in PROXY_MODES:
            out.append(f"the proxy mode must be one of {', '.join(PROXY_MODES)}")
        if self.proxy_mode == "manual" and "://" not in self.proxy_url:
            out.append("a manual proxy needs an address like http://proxy.example:3128")
        return out


def load_defaults(home: Path | None = None) -> JobSettings:
    """The saved defaults; built-in defaults when none are saved or the file is unusable
    (a broken preferences file must never stop the application from starting)."""
    where = (home or paths.home_dir()) / SETTINGS_FILE
    try:
        data = read_json(where)
        return JobSettings.from_dict(data["job_defaults"])
    except FileNotFoundError:
        return JobSettings()
    except (OSError, ValueError, KeyError, TypeError, StudioError) as exc:
        log.warning("ignoring unusable %s: %s", where, exc)
        return JobSettings()


def save_defaults(settings: JobSettings, home: Path | None = None) -> None:
    _save("job_defaults", settings.to_dict(), home)


def load_endpoint(home: Path | None = None) -> EndpointPreference:
    section = _load(home).get("endpoint")
    if not isinstance(section, dict):
        return EndpointPreference()
    enabled, port = section.get("enabled"), section.get("port")
    if not isinstance(enabled, bool) or not isinstance(port, int) or not 0 <= port < 65536:
        log.warning("ignoring an unusable endpoint preference: %r", section)
        return EndpointPreference()
    return EndpointPreference(enabled, port)


def save_endpoint(preference: EndpointPreference, home: Path | None = None) -> None:
    _save("endpoint", {"enabled": preference.enabled, "port": preference.port}, home)


def load_network(home: Path | None = None) -> NetworkPreference:
    section = _load(home).get("network")
    if not isinstance(section, dict):
        return NetworkPreference()
    try:
        preference = NetworkPreference(
            str(section.get("hub_endpoint", "")),
            str(section.get("proxy_mode", "system")),
            str(section.get("proxy_url", "")),
        )
    except (TypeError, ValueError):
        preference = NetworkPreference(proxy_mode="?")
    if preference.problems():
        log.warning("ignoring an unusable network preference: %r", section)
        return NetworkPreference()
    return preference


def save_network(preference: NetworkPreference, home: Path | None = None) -> None:
    problems = preference.problems()
    if problems:
        raise SettingsError("; ".join(problems).capitalize() + ".")
    _save(
        "network",
        {
            "hub_endpoint": preference.hub_endpoint,
            "proxy_mode": preference.proxy_mode,
            "proxy_url": preference.proxy_url,
        },
        home,
    )


def _load(home: Path | None) -> dict[str, Any]:
    try:
        data = read_json((home or paths.home_dir()) / SETTINGS_FILE)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(key: str, value: Any, home: Path | None) -> None:
    """Replace one section, keeping the others."""
    folder = home or paths.home_dir()
    folder.mkdir(parents=True, exist_ok=True)
    data = _load(home)
    data.update({"version": SETTINGS_VERSION, key: value})
    write_json_atomic(folder / SETTINGS_FILE, data)
