"""Error messages in the language of the window.

The core raises ``StudioError`` with an English template and its parameters and never
imports Qt; jobs keep both in their saved ``error`` (and ``error`` events carry them).
Here the template is looked up in the "Errors" context of the installed translator and
the parameters are filled in, so a failure reads in Chinese when the window is in
Chinese, even one saved by an earlier run. ``gui/error_strings.py`` lists the templates
for lupdate.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from subtitle_studio.errors import Message, StudioError

if TYPE_CHECKING:
    from subtitle_studio.core.edit_ops import Change

log = logging.getLogger(__name__)

#: The translation context of every error template (``tools/error_strings.py`` uses it too).
CONTEXT = "Errors"


def translated(template: str) -> str:
    """``template`` (an error template or a ``translatable`` label) in the window's language."""
    return QCoreApplication.translate(CONTEXT, template)


def user_message(
    error: StudioError | Message | str | Mapping[str, Any] | None, default: str = ""
) -> str:
    """The message of ``error`` for the user, translated when a translation is installed.

    ``error`` is an exception, a ``Message`` from the core, or the saved form of an
    exception (a job's ``record.error``, an ``error`` event's data): ``message`` plus, when
    it was saved by this version, ``template`` and ``params``. A parameter that is itself
    a ``Message`` (a reason inside a sentence) is translated too. Anything that cannot be
    translated safely — a plain string, an old record, a translation whose placeholders
    do not match — falls back to the English message, which is always there; ``default``
    is for a failure with no message at all.
    """
    if error is None:
        return default
    if isinstance(error, Message):
        message: str = str(error)
        template: object = error.template
        params: object = error.params
    elif isinstance(error, str):
        return error or default
    elif isinstance(error, StudioError):
        message = error.message
        template = error.template
        params = error.params
    else:
        message = str(error.get("message") or default)
        template = error.get("template")
        params = error.get("params") or {}
    if not isinstance(template, str) or not template or not isinstance(params, Mapping):
        return message
    text = translated(template)
    if not params:
        # A plain message (the template is the text, braces and all); a template that
        # needs parameters but lost them shows the English message instead.
        return text if template == message else message
    try:
        return text.format(**{str(name): _param(value) for name, value in params.items()})
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        log.warning("cannot fill in the translation of %r: %s", template, exc)
        return message


def _param(value: object) -> str:
    return user_message(value) if isinstance(value, Message) else str(value)


def change_text(change: Change) -> str:
    """An undoable edit's label (undo menu, status bar) in the window's language."""
    return user_message(
        {"message": change.label, "template": change.template, "params": change.params}
    )
