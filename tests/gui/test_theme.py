"""Light and dark themes: the palette, following the system, and icons that stay visible."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette

from subtitle_studio.gui import theme
from subtitle_studio.gui.icons import tinted_icon
from subtitle_studio.gui.theme import apply_theme, message_colour, palette_for


def luminance(colour: QColor) -> float:
    """WCAG relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * (channel(colour.blue()))
    )


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.fixture
def themed(qapp):
    """Each test starts from the light theme; the style and palette other tests see
    are put back afterwards."""
    style, palette = qapp.style().name(), QPalette(QGuiApplication.palette())
    apply_theme(qapp, "light")
    yield qapp
    theme.follower(qapp).scheme = "light"  # stop following the desktop
    qapp.setStyle(style)
    qapp.setPalette(palette)


def window_colour() -> QColor:
    return QGuiApplication.palette().color(QPalette.ColorRole.Window)


def test_dark_gives_a_dark_window_and_light_text(themed) -> None:
    assert apply_theme(themed, "dark") == "dark"
    palette = QGuiApplication.palette()
    assert palette.color(QPalette.ColorRole.Window).lightness() < 80
    assert palette.color(QPalette.ColorRole.Base).lightness() < 80
    assert palette.color(QPalette.ColorRole.WindowText).lightness() > 200
    assert themed.style().name().lower() == "fusion"
    assert apply_theme(themed, "light") == "light"
    assert window_colour().lightness() > 200


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_role_is_readable_on_its_background(scheme: str) -> None:
    palette = palette_for(scheme)
    role = QPalette.ColorRole
    for text, background in (
        (role.WindowText, role.Window),
        (role.Text, role.Base),
        (role.Text, role.AlternateBase),
        (role.ButtonText, role.Button),
        (role.HighlightedText, role.Highlight),
        (role.ToolTipText, role.ToolTipBase),
        (role.Link, role.Base),
    ):
        ratio = contrast(palette.color(text), palette.color(background))
        assert ratio >= 4.5, f"{scheme}: {text.name} on {background.name}: {ratio:.2f}"
    disabled = palette.color(QPalette.ColorGroup.Disabled, role.WindowText)
    assert 1.8 <= contrast(disabled, palette.color(role.Window)) < 4.5  # visible, but dimmed
    for kind in ("error", "warning"):
        ratio = contrast(QColor(message_colour(kind, palette)), palette.color(role.Window))
        assert ratio >= 4.5, f"{scheme}: {kind} text: {ratio:.2f}"


def test_an_unknown_scheme_follows_the_system(themed, caplog) -> None:
    assert apply_theme(themed, "purple") in ("light", "dark")
    assert theme.follower(themed).scheme == "system"
    assert "purple" in caplog.text


def test_system_follows_the_desktop_when_it_turns_dark(themed, monkeypatch) -> None:
    follower = theme.follower(themed)
    desktop = {"scheme": "light"}
    monkeypatch.setattr(theme.ThemeFollower, "system_scheme", lambda self: desktop["scheme"])
    assert apply_theme(themed, "system") == "light"
    desktop["scheme"] = "dark"
    themed.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert follower.effective == "dark"
    assert window_colour().lightness() < 80
    # A chosen scheme is kept whatever the desktop does.
    apply_theme(themed, "light")
    themed.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert window_colour().lightness() > 200


def test_unknown_system_preference_keeps_the_platforms_palette_brightness(themed) -> None:
    follower = theme.follower(themed)
    if themed.styleHints().colorScheme() == Qt.ColorScheme.Unknown:
        assert follower.system_scheme() == ("dark" if follower.platform_dark else "light")


def ink(icon: QIcon, mode: QIcon.Mode = QIcon.Mode.Normal) -> QColor:
    """The colour of the icon's fully opaque pixels (the strokes)."""
    image = icon.pixmap(24, 24, mode).toImage()
    opaque = [
        image.pixelColor(x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    ]
    assert opaque, "the icon drew nothing"
    return opaque[len(opaque) // 2]


@pytest.mark.parametrize("name", ["open-media", "save", "start", "find", "align-timings"])
def test_a_tinted_icon_contrasts_with_both_backgrounds(qapp, name: str) -> None:
    light, dark = palette_for("light"), palette_for("dark")
    light_ink, dark_ink = ink(tinted_icon(name, light)), ink(tinted_icon(name, dark))
    assert light_ink != dark_ink
    window = QPalette.ColorRole.Window
    assert contrast(light_ink, light.color(window)) >= 4.5
    assert contrast(dark_ink, dark.color(window)) >= 4.5
    # A disabled action's icon is dimmer than an enabled one, and still visible.
    disabled = ink(tinted_icon(name, dark), QIcon.Mode.Disabled)
    assert 1.8 <= contrast(disabled, dark.color(window)) < contrast(dark_ink, dark.color(window))


def test_the_toolbar_shows_the_windows_actions_and_retints_them(themed, make_window, qtbot) -> None:
    window = make_window()
    bar = window.toolbar
    shown = [action for action in bar.actions() if not action.isSeparator()]
    assigned = bar.icons.names()
    assert len(shown) == 13 and len(assigned) == 13
    # The toolbar's buttons are the menus' actions, not copies.
    menu_actions = {
        id(action)
        for menu in window.menuBar().findChildren(type(window.menuBar().addMenu("x")))
        for action in menu.actions()
    }
    assert all(id(action) in menu_actions for action in shown)
    for action in shown:
        assert not action.icon().isNull()
        assert action.toolTip(), action.text()
    assert assigned["start"] is window.act_start
    assert assigned["play-line"] is window.listen.act_play

    themed.processEvents()  # the palette change reaches widgets as a posted event
    before = ink(window.act_open.icon())
    apply_theme(themed, "dark")
    qtbot.waitUntil(lambda: ink(window.act_open.icon()) != before, timeout=2000)
    after = ink(window.act_open.icon())
    dark_window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    assert contrast(after, dark_window) >= 4.5
    apply_theme(themed, "light")
    qtbot.waitUntil(lambda: ink(window.act_open.icon()) == before, timeout=2000)
