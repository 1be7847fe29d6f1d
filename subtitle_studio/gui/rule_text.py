"""The resume rules' reasons and warnings in the language of the window.

``core.resume_rules`` words its answers in English and cannot import Qt, so lupdate
reads the texts here (tests check that the list matches the core's). A warning arrives
already filled in (``check_resume`` formats it), so it is matched against its template
to recover the values, and the translated template is filled with them; a text that
matches nothing is shown as it came.
"""

from __future__ import annotations

import logging
import re
from functools import cache

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

log = logging.getLogger(__name__)

CONTEXT = "ResumeRules"

#: Word for word as in ``core/resume_rules.py``.
TEMPLATES = (
    QT_TRANSLATE_NOOP(
        "ResumeRules",
        "the saved chunks were transcribed with this choice; mixing would break alignment",
    ),
    QT_TRANSLATE_NOOP(
        "ResumeRules",
        "mixing transcription and translation would give a transcript in two languages",
    ),
    QT_TRANSLATE_NOOP(
        "ResumeRules",
        "the chunk boundaries were made with this choice and are already saved",
    ),
    QT_TRANSLATE_NOOP("ResumeRules", "the chunk boundaries are already saved"),
    QT_TRANSLATE_NOOP(
        "ResumeRules",
        "the language was detected on the first chunk and the whole job stays in it",
    ),
    QT_TRANSLATE_NOOP(
        "ResumeRules",
        "the remaining chunks will use {new} while the {done} chunk(s) already done used "
        "{old}; each chunk records its model, and you can redo the finished chunks with the "
        "new model (your edits are kept)",
    ),
    QT_TRANSLATE_NOOP(
        "ResumeRules",
        "the remaining chunks will be decoded with beam size {new} instead of {old}",
    ),
    QT_TRANSLATE_NOOP(
        "ResumeRules",
        "alignment already finished with {old}; the new alignment model is not used unless "
        "the job is aligned again",
    ),
)

_FIELD = re.compile(r"\{(\w+)\}")


@cache
def _pattern(template: str) -> re.Pattern[str]:
    parts = _FIELD.split(template)
    # split() alternates literal text and field names: text, name, text, name, …, text
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.*?)" for i, part in enumerate(parts)
    )
    return re.compile(regex + r"\Z", re.DOTALL)


def rule_text(text: str) -> str:
    """``text`` (a reason or warning of ``check_resume``) in the window's language."""
    for template in TEMPLATES:
        if "{" not in template:
            if text == template:
                return QCoreApplication.translate(CONTEXT, template)
            continue
        found = _pattern(template).match(text)
        if found is None:
            continue
        translated = QCoreApplication.translate(CONTEXT, template)
        try:
            return translated.format(**found.groupdict())
        except (KeyError, IndexError, ValueError) as exc:
            log.warning("cannot fill in the translation of %r: %s", template, exc)
            return text
    return text
