"""The "Model downloads" part of the settings: which server to download from, which proxy.

The rules are the core's (``NetworkPreference.problems``); this widget only collects
the values and says what is wrong, so the dialog can keep OK off until it is fixed.
The fetcher reads the saved preference at every download, so a change applies to the
next download without a restart.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from subtitle_studio.core.app_settings import NetworkPreference

log = logging.getLogger(__name__)

CONTEXT = "NetworkSection"
MIRROR_PLACEHOLDER = QT_TRANSLATE_NOOP("NetworkSection", "https://huggingface.co (or $HF_ENDPOINT)")
PROXY_PLACEHOLDER = "http://proxy.example:3128"

#: proxy_mode value -> (button text, what it does), in English; shown translated.
PROXY_CHOICES: dict[str, tuple[str, str]] = {
    "system": (
        QT_TRANSLATE_NOOP("NetworkSection", "System"),
        QT_TRANSLATE_NOOP(
            "NetworkSection", "Use the operating system's proxy settings (HTTPS_PROXY on Linux)."
        ),
    ),
    "none": (
        QT_TRANSLATE_NOOP("NetworkSection", "None"),
        QT_TRANSLATE_NOOP(
            "NetworkSection", "Connect directly, ignoring any proxy the system names."
        ),
    ),
    "manual": (
        QT_TRANSLATE_NOOP("NetworkSection", "Manual"),
        QT_TRANSLATE_NOOP("NetworkSection", "Send downloads through the proxy address below."),
    ),
}

#: ``NetworkPreference.problems`` (the core's English) -> the sentence the dialog shows.
PROBLEM_SENTENCES: dict[str, str] = {
    "the mirror address must start with http:// or https://": QT_TRANSLATE_NOOP(
        "NetworkSection", "The mirror address must start with http:// or https://."
    ),
    "the proxy mode must be one of system, none, manual": QT_TRANSLATE_NOOP(
        "NetworkSection", "The proxy mode must be one of system, none, manual."
    ),
    "a manual proxy needs an address like http://proxy.example:3128": QT_TRANSLATE_NOOP(
        "NetworkSection", "A manual proxy needs an address like http://proxy.example:3128."
    ),
}


class NetworkSection(QGroupBox):
    """Mirror address and proxy for model downloads; emits ``changed`` on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Model downloads"))
        self.mirror = QLineEdit()
        self.mirror.setPlaceholderText(QCoreApplication.translate(CONTEXT, MIRROR_PLACEHOLDER))
        self.mirror.setToolTip(
            self.tr(
                "A Hugging Face mirror to download models from. Empty: $HF_ENDPOINT if set, "
                "else huggingface.co."
            )
        )
        self.proxy_buttons: dict[str, QRadioButton] = {}
        self._group = QButtonGroup(self)
        choices = QHBoxLayout()
        choices.setContentsMargins(0, 0, 0, 0)
        for mode, (text, tip) in PROXY_CHOICES.items():
            button = QRadioButton(QCoreApplication.translate(CONTEXT, text))
            button.setToolTip(QCoreApplication.translate(CONTEXT, tip))
            self._group.addButton(button)
            self.proxy_buttons[mode] = button
            choices.addWidget(button)
        choices.addStretch(1)
        self.proxy_url = QLineEdit()
        self.proxy_url.setPlaceholderText(PROXY_PLACEHOLDER)
        self.proxy_url.setToolTip(self.tr("Used for both http and https downloads."))

        form = QFormLayout(self)
        form.addRow(self.tr("Mirror address"), self.mirror)
        form.addRow(self.tr("Proxy"), choices)
        form.addRow(self.tr("Proxy address"), self.proxy_url)

        self.mirror.textChanged.connect(self._edited)
        self.proxy_url.textChanged.connect(self._edited)
        self._group.buttonToggled.connect(lambda _button, _on: self._edited())
        self.set_preference(NetworkPreference())

    def set_preference(self, preference: NetworkPreference) -> None:
        self.mirror.setText(preference.hub_endpoint)
        self.proxy_url.setText(preference.proxy_url)
        button = self.proxy_buttons.get(preference.proxy_mode, self.proxy_buttons["system"])
        button.setChecked(True)
        self._edited()

    def proxy_mode(self) -> str:
        for mode, button in self.proxy_buttons.items():
            if button.isChecked():
                return mode
        return "system"

    def preference(self) -> NetworkPreference:
        """The values as typed (surrounding spaces dropped), not yet checked."""
        return NetworkPreference(
            hub_endpoint=self.mirror.text().strip(),
            proxy_mode=self.proxy_mode(),
            proxy_url=self.proxy_url.text().strip(),
        )

    def problems(self) -> list[str]:
        """What stops these values from being saved, as sentences for the error area."""
        return [
            QCoreApplication.translate(CONTEXT, PROBLEM_SENTENCES[p])
            if p in PROBLEM_SENTENCES
            else _sentence(p)
            for p in self.preference().problems()
        ]

    def _edited(self) -> None:
        # The address only matters for Manual; greying it out says so without words.
        self.proxy_url.setEnabled(self.proxy_mode() == "manual")
        self.changed.emit()


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."
