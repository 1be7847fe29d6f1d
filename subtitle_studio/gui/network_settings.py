"""The "Model downloads" part of the settings: which server to download from, which proxy.

The rules are the core's (``NetworkPreference.problems``); this widget only collects
the values and says what is wrong, so the dialog can keep OK off until it is fixed.
The fetcher reads the saved preference at every download, so a change applies to the
next download without a restart.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
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

MIRROR_PLACEHOLDER = "https://huggingface.co (or $HF_ENDPOINT)"
PROXY_PLACEHOLDER = "http://proxy.example:3128"

#: proxy_mode value -> (button text, what it does)
PROXY_CHOICES: dict[str, tuple[str, str]] = {
    "system": ("System", "Use the operating system's proxy settings (HTTPS_PROXY on Linux)."),
    "none": ("None", "Connect directly, ignoring any proxy the system names."),
    "manual": ("Manual", "Send downloads through the proxy address below."),
}


class NetworkSection(QGroupBox):
    """Mirror address and proxy for model downloads; emits ``changed`` on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Model downloads", parent)
        self.mirror = QLineEdit()
        self.mirror.setPlaceholderText(MIRROR_PLACEHOLDER)
        self.mirror.setToolTip(
            "A Hugging Face mirror to download models from. Empty: $HF_ENDPOINT if set, "
            "else huggingface.co."
        )
        self.proxy_buttons: dict[str, QRadioButton] = {}
        self._group = QButtonGroup(self)
        choices = QHBoxLayout()
        choices.setContentsMargins(0, 0, 0, 0)
        for mode, (text, tip) in PROXY_CHOICES.items():
            button = QRadioButton(text)
            button.setToolTip(tip)
            self._group.addButton(button)
            self.proxy_buttons[mode] = button
            choices.addWidget(button)
        choices.addStretch(1)
        self.proxy_url = QLineEdit()
        self.proxy_url.setPlaceholderText(PROXY_PLACEHOLDER)
        self.proxy_url.setToolTip("Used for both http and https downloads.")

        form = QFormLayout(self)
        form.addRow("Mirror address", self.mirror)
        form.addRow("Proxy", choices)
        form.addRow("Proxy address", self.proxy_url)

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
        return [_sentence(p) for p in self.preference().problems()]

    def _edited(self) -> None:
        # The address only matters for Manual; greying it out says so without words.
        self.proxy_url.setEnabled(self.proxy_mode() == "manual")
        self.changed.emit()


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."
