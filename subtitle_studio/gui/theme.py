"""Light and dark themes: the Fusion style with a palette of ours, following the system.

``apply_theme(app, "system")`` reads the desktop's light/dark setting
(``QStyleHints.colorScheme``) and follows it while the application runs
(``colorSchemeChanged``); ``"light"`` and ``"dark"`` force one. Fusion with our own
palettes looks the same on Windows, Linux and offscreen: the native Windows styles
ignore a dark palette, and a Linux desktop's palette may not match its own setting.
Where the system gives no preference (offscreen, a bare X server), the palette the
platform handed the application decides.

Widgets that paint with palette roles follow on their own; colours of ours that are
not palette roles (error and warning text) come from ``message_colour``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory
from shiboken6 import isValid

log = logging.getLogger(__name__)

SCHEMES = ("system", "light", "dark")


@dataclass(frozen=True)
class Colours:
    """The colours a palette is built from; the bevel shades are derived from ``window``."""

    window: str
    text: str
    base: str
    alternate_base: str
    button: str
    highlight: str
    highlighted_text: str
    link: str
    link_visited: str
    tooltip_base: str
    disabled_text: str
    placeholder: str
    error: str
    warning: str


LIGHT = Colours(
    window="#f0f1f3",
    text="#1d2125",
    base="#ffffff",
    alternate_base="#f5f6f8",
    button="#e8eaed",
    highlight="#2f6bd0",
    highlighted_text="#ffffff",
    link="#0b57d0",
    link_visited="#6a3fb5",
    tooltip_base="#fffbe0",
    disabled_text="#8b9198",
    placeholder="#6b7178",
    error="#b00020",
    warning="#8a4f00",
)

DARK = Colours(
    window="#2d2f33",
    text="#e4e6e9",
    base="#1f2124",
    alternate_base="#272a2e",
    button="#383b40",
    highlight="#3570c8",
    highlighted_text="#ffffff",
    link="#79aaff",
    link_visited="#b99cf0",
    tooltip_base="#3b3e43",
    disabled_text="#7d828a",
    placeholder="#979ca3",
    error="#ff8a80",
    warning="#ffb74d",
)


def colours_for(scheme: str) -> Colours:
    return DARK if scheme == "dark" else LIGHT


def build_palette(colours: Colours) -> QPalette:
    """A complete palette (every role, every group), so nothing of the platform's shows through."""
    window = QColor(colours.window)
    dark_scheme = window.lightness() < 128
    palette = QPalette()
    role = QPalette.ColorRole
    group = QPalette.ColorGroup
    shades = {
        role.Window: window,
        role.WindowText: QColor(colours.text),
        role.Base: QColor(colours.base),
        role.AlternateBase: QColor(colours.alternate_base),
        role.ToolTipBase: QColor(colours.tooltip_base),
        role.ToolTipText: QColor(colours.text),
        role.PlaceholderText: QColor(colours.placeholder),
        role.Text: QColor(colours.text),
        role.Button: QColor(colours.button),
        role.ButtonText: QColor(colours.text),
        role.BrightText: QColor("#ffffff"),
        role.Highlight: QColor(colours.highlight),
        role.HighlightedText: QColor(colours.highlighted_text),
        role.Link: QColor(colours.link),
        role.LinkVisited: QColor(colours.link_visited),
        # Bevels and frames: Fusion draws them from these, lighter and darker than the window.
        role.Light: window.lighter(160 if dark_scheme else 115),
        role.Midlight: window.lighter(125 if dark_scheme else 105),
        role.Mid: window.darker(130 if dark_scheme else 125),
        role.Dark: window.darker(160 if dark_scheme else 150),
        role.Shadow: window.darker(250 if dark_scheme else 300),
    }
    if hasattr(role, "Accent"):  # Qt 6.6+
        shades[role.Accent] = QColor(colours.highlight)
    for which, colour in shades.items():
        palette.setColor(which, colour)
    disabled = QColor(colours.disabled_text)
    for which in (role.WindowText, role.Text, role.ButtonText, role.PlaceholderText):
        palette.setColor(group.Disabled, which, disabled)
    palette.setColor(group.Disabled, role.Highlight, window.darker(120 if dark_scheme else 112))
    palette.setColor(group.Disabled, role.HighlightedText, disabled)
    palette.setColor(group.Disabled, role.Base, window)
    return palette


def palette_for(scheme: str) -> QPalette:
    """The palette of the effective scheme ``"light"`` or ``"dark"``."""
    return build_palette(colours_for(scheme))


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def message_colour(kind: str, palette: QPalette | None = None) -> str:
    """The ``#rrggbb`` for ``kind`` ("error" or "warning") text on ``palette``'s window.

    For style sheets and labels of ours that colour a message; the hues are chosen to
    stay readable on the light and the dark window alike."""
    palette = palette if palette is not None else QGuiApplication.palette()
    colours = DARK if is_dark(palette) else LIGHT
    if kind not in ("error", "warning"):
        raise ValueError(f"unknown message kind {kind!r}: use 'error' or 'warning'")
    return colours.error if kind == "error" else colours.warning


class ThemeFollower(QObject):
    """Holds the chosen scheme and follows the system's setting while it is "system"."""

    #: The effective scheme after every change: "light" or "dark".
    changed = Signal(str)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName("subtitleStudioTheme")
        self.app = app
        self.scheme = "system"
        self.effective = ""
        # What the platform gave before our palette replaced it: the fallback when the
        # system states no preference.
        self.platform_dark = is_dark(QGuiApplication.palette())
        self._applying = False
        app.styleHints().colorSchemeChanged.connect(self._on_system_change)

    def system_scheme(self) -> str:
        reported = self.app.styleHints().colorScheme()
        if reported == Qt.ColorScheme.Dark:
            return "dark"
        if reported == Qt.ColorScheme.Light:
            return "light"
        return "dark" if self.platform_dark else "light"

    def apply(self, scheme: str) -> str:
        self.scheme = scheme
        hints = self.app.styleHints()
        self._applying = True
        try:
            # Qt 6.8+: tell the platform too, so native parts (the Windows title bar)
            # match; "system" hands the choice back to the desktop.
            if scheme == "system" and hasattr(hints, "unsetColorScheme"):
                hints.unsetColorScheme()
            elif scheme != "system" and hasattr(hints, "setColorScheme"):
                wanted = Qt.ColorScheme.Dark if scheme == "dark" else Qt.ColorScheme.Light
                hints.setColorScheme(wanted)
        finally:
            self._applying = False
        effective = self.system_scheme() if scheme == "system" else scheme
        style = self.app.style()
        if style is None or style.name().lower() != "fusion":
            fusion = QStyleFactory.create("Fusion")
            if fusion is not None:
                self.app.setStyle(fusion)
            else:  # pragma: no cover - Fusion is built into every Qt
                log.warning("the Fusion style is missing; keeping %s", style and style.name())
        self.app.setPalette(palette_for(effective))
        self.effective = effective
        log.info("theme: %s (chosen: %s)", effective, scheme)
        self.changed.emit(effective)
        return effective

    def _on_system_change(self, _scheme: Qt.ColorScheme) -> None:
        if self._applying or self.scheme != "system":
            return
        if self.system_scheme() != self.effective:
            self.apply("system")


_followers: list[ThemeFollower] = []


def follower(app: QApplication) -> ThemeFollower:
    """The application's one ``ThemeFollower`` (made on first use)."""
    for existing in list(_followers):
        if not isValid(existing):
            _followers.remove(existing)
        elif existing.app is app:
            return existing
    made = ThemeFollower(app)
    _followers.append(made)
    return made


def apply_theme(app: QApplication, scheme: str = "system") -> str:
    """Use the Fusion style with the light or dark palette; returns "light" or "dark".

    ``scheme`` is "system" (follow the desktop, also when it changes later), "light" or
    "dark". An unknown value (a hand-edited settings file) is logged and read as "system".
    """
    if scheme not in SCHEMES:
        log.warning("unknown theme %r; following the system", scheme)
        scheme = "system"
    return follower(app).apply(scheme)


def effective_scheme(app: QApplication) -> str:
    """The scheme in use ("light" or "dark"), or "" when ``apply_theme`` never ran."""
    for existing in _followers:
        if isValid(existing) and existing.app is app:
            return existing.effective
    return ""
