"""Texts the core words in English, shown in the window's language: the resume rules'
reasons and warnings, and the network preference's problems."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from subtitle_studio.core import resume_rules
from subtitle_studio.core.app_settings import NetworkPreference
from subtitle_studio.gui.network_settings import PROBLEM_SENTENCES, NetworkSection
from subtitle_studio.gui.rule_text import CONTEXT, TEMPLATES, rule_text


class MarkingTranslator(QTranslator):
    """Translates every text of the given contexts to ``«text»``, placeholders kept."""

    def __init__(self, *contexts: str) -> None:
        super().__init__()
        self.contexts = contexts

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ANN001
        return f"«{source}»" if context in self.contexts else None  # None: not mine

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


@pytest.fixture
def marking(qapp):
    installed: list[QTranslator] = []

    def install(*contexts: str) -> None:
        translator = MarkingTranslator(*contexts)
        QCoreApplication.installTranslator(translator)
        installed.append(translator)

    yield install
    for translator in installed:
        QCoreApplication.removeTranslator(translator)


def test_every_resume_rule_text_is_listed_for_translation() -> None:
    core = {
        *resume_rules.LOCKED_REASONS.values(),
        resume_rules.LANGUAGE_REASON,
        resume_rules.MODEL_WARNING,
        resume_rules.BEAM_WARNING,
        resume_rules.ALIGN_DONE_WARNING,
    }
    assert core == set(TEMPLATES)


def test_a_filled_in_warning_is_translated_with_its_values(marking) -> None:
    warning = resume_rules.MODEL_WARNING.format(new="small", old="tiny.en", done=3)
    assert rule_text(warning) == warning, "no translator: the English as it came"
    marking(CONTEXT)
    assert rule_text(warning) == "«" + warning + "»"
    reason = resume_rules.LOCKED_REASONS["vad"]
    assert rule_text(reason) == f"«{reason}»"
    assert rule_text("something new from the core") == "something new from the core"


def test_every_network_problem_has_a_sentence(qtbot, marking) -> None:
    bad = [
        NetworkPreference(hub_endpoint="mirror.example"),
        NetworkPreference(proxy_mode="sometimes"),
        NetworkPreference(proxy_mode="manual", proxy_url="proxy"),
    ]
    problems = {p for preference in bad for p in preference.problems()}
    assert problems == set(PROBLEM_SENTENCES)

    section = NetworkSection()
    qtbot.addWidget(section)
    section.mirror.setText("mirror.example")
    assert section.problems() == ["The mirror address must start with http:// or https://."]
    marking("NetworkSection")
    assert section.problems() == ["«The mirror address must start with http:// or https://.»"]


def test_the_resume_dialog_shows_translated_reasons(qtbot, marking, tmp_path) -> None:
    from subtitle_studio.core.jobstore import JobStore
    from subtitle_studio.core.settings import JobSettings
    from subtitle_studio.gui.settings_dialog import ResumeDialog

    marking(CONTEXT)
    record = JobStore().create(tmp_path / "talk.mp4", JobSettings(model="tiny.en"))
    dialog = ResumeDialog(
        record, detected_language="en", chunks_done=2, aligned=False, models=["tiny.en"]
    )
    qtbot.addWidget(dialog)
    notes = dialog.form.locked_notes.text()
    assert f"«{resume_rules.LANGUAGE_REASON}»" in notes
    dialog.form.editors["model"].setEditText("base.en")
    assert "«the remaining chunks will use base.en while the 2 chunk(s)" in dialog.warnings.text()
