"""The note shown once, at the first start: what the bundled model can do and how to get
one for other languages.

A new user's first file may well not be English, and the bundled ``tiny.en`` would
turn it into English-sounding nonsense without saying why; this note says it before
that happens. It does not block the window (the user can read it beside it), and it
counts as read only once it is dismissed, so quitting with it still open shows it again.
``gui/app.py`` shows it after the window appears; windows that tests build never do.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from subtitle_studio.core.app_settings import first_run_done, mark_first_run_done
from subtitle_studio.core.model_catalog import BUNDLED_MODEL
from subtitle_studio.errors import StudioError

log = logging.getLogger(__name__)

#: Multilingual models the note recommends, as the Models dialog names them:
#: a balance of speed and accuracy, a more accurate one, and a fast near-best one.
RECOMMENDED = {"balanced": "small", "accurate": "medium", "fast_best": "large-v3-turbo"}


def first_run_title() -> str:
    return QCoreApplication.translate("FirstRun", "Welcome to Subtitle Studio")


def first_run_text() -> str:
    return QCoreApplication.translate(
        "FirstRun",
        "Subtitle Studio comes with the {bundled} model. It works without an internet "
        "connection, but only for English: it turns speech in other languages into "
        "English-sounding guesses.\n\n"
        "For other languages, download a multilingual model in Tools → Models…: "
        "{balanced} is a good balance of speed and accuracy, {accurate} is more accurate "
        "but slower, and {fast_best} comes close to the best accuracy. Then choose it in "
        "File → Default settings…, or leave the model on auto to use the best one you have.",
    ).format(bundled=BUNDLED_MODEL, **RECOMMENDED)


def show_first_run_note(parent: QWidget, home: Path | None = None) -> QMessageBox | None:
    """Show the note beside ``parent`` unless it was dismissed before; ``None`` then."""
    if first_run_done(home):
        return None
    box = QMessageBox(
        QMessageBox.Icon.Information,
        first_run_title(),
        first_run_text(),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("firstRunNote")
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def dismissed(_result: int) -> None:
        try:
            mark_first_run_done(home)
        except StudioError as exc:  # a full disk: the note comes back next time, no harm
            log.warning("could not remember that the first-run note was read: %s", exc)

    box.finished.connect(dismissed)
    box.show()
    return box
