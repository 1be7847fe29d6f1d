"""The default settings for new jobs, kept in ``<home>/settings.json`` (schema-versioned)."""

from __future__ import annotations

import logging
from pathlib import Path

from subtitle_studio.core import paths
from subtitle_studio.core.atomic import read_json, write_json_atomic
from subtitle_studio.core.settings import SETTINGS_VERSION, JobSettings
from subtitle_studio.errors import StudioError

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"


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
    folder = home or paths.home_dir()
    folder.mkdir(parents=True, exist_ok=True)
    write_json_atomic(
        folder / SETTINGS_FILE, {"version": SETTINGS_VERSION, "job_defaults": settings.to_dict()}
    )
