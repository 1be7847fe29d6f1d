"""Where Subtitle Studio keeps its state.

Everything lives under one home folder so a user (or a test) can move, back up
or delete it as a unit. ``SUBTITLE_STUDIO_HOME`` overrides the platform default,
which is how tests isolate themselves and how a portable install can work.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "SubtitleStudio"
HOME_ENV = "SUBTITLE_STUDIO_HOME"


def home_dir() -> Path:
    """The home folder: ``$SUBTITLE_STUDIO_HOME`` or the platform's user data folder."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir(home: Path | None = None) -> Path:
    """Where the preferences (``settings.json``) live.

    The platform's user config folder (``~/.config/SubtitleStudio`` on Linux; on Windows
    and macOS it is the same folder as the data: ``%LOCALAPPDATA%\\SubtitleStudio``,
    ``~/Library/Application Support/SubtitleStudio``). A home folder other than the
    platform's — ``$SUBTITLE_STUDIO_HOME``, or one a test passes in — keeps its
    preferences inside itself, in ``config/``, so a test never reads the user's choices
    and moving a portable home moves them too.
    """
    chosen = home if home is not None else home_dir()
    platform_home = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    if chosen.expanduser().absolute() != platform_home.absolute():
        return chosen / "config"
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def jobs_dir(home: Path | None = None) -> Path:
    return (home or home_dir()) / "jobs"


def models_dir(home: Path | None = None) -> Path:
    """Downloaded and imported models (transcription and alignment)."""
    return (home or home_dir()) / "models"


def data_dir(home: Path | None = None) -> Path:
    """Auxiliary data the engines need offline (e.g. NLTK's punkt tables)."""
    return (home or home_dir()) / "data"


def log_dir(home: Path | None = None) -> Path:
    """The log folder: inside the home folder when it is overridden, else the platform's."""
    if home is not None or os.environ.get(HOME_ENV):
        return (home or home_dir()) / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


#: The application's log file, in :func:`log_dir` (rotated: ``.1``, ``.2``… beside it).
LOG_NAME = "subtitle-studio.log"
#: How each record is written to it; ``core.failure`` reads the time stamp back.
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_file(home: Path | None = None) -> Path:
    return log_dir(home) / LOG_NAME
