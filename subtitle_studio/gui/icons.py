"""The application icon and the toolbar icons, tinted to the palette in use.

The toolbar icons are monochrome SVGs drawn with ``currentColor``
(``resources/icons/toolbar/*.svg``). Each is rendered with the palette's ButtonText
colour (and its disabled colour for a disabled action), so the same drawing is dark on
a light window and light on a dark one. ``ThemedIcons`` remembers which action shows
which drawing and tints them all again when the palette changes (``MainToolBar`` calls
it on a palette change), so switching the theme while the window is open re-tints them.

``resources/`` is found beside the package, which is also where the PyInstaller build
puts it (``subtitle-studio.spec``), so a frozen build needs nothing special here.
"""

from __future__ import annotations

import logging
import weakref
from functools import cache, lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QAction, QGuiApplication, QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
ICONS = RESOURCES / "icons"
TOOLBAR_ICONS = ICONS / "toolbar"
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
#: Pixel sizes rendered per toolbar icon: 16–24 px toolbars and menus, ×2 for HiDPI.
TINT_SIZES = (16, 20, 24, 32, 40, 48)


def app_icon() -> QIcon:
    """The window and taskbar icon, from the rendered hicolor PNGs (see tools/render_icons.py)."""
    icon = QIcon()
    for size in APP_ICON_SIZES:
        path = ICONS / "hicolor" / f"{size}x{size}" / "apps" / "subtitle-studio.png"
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))
    if icon.isNull():
        log.warning("the application icon is missing from %s", ICONS)
    return icon


def toolbar_icon_names() -> list[str]:
    return sorted(path.stem for path in TOOLBAR_ICONS.glob("*.svg"))


@cache
def _svg_source(name: str) -> str:
    path = TOOLBAR_ICONS / f"{name}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FileNotFoundError(f"the toolbar icon {path} is missing: {exc}") from exc


@lru_cache(maxsize=512)
def tinted_image(name: str, colour: str, size: int) -> QImage:
    """The toolbar drawing ``name`` at ``size`` px with every ``currentColor`` → ``colour``.

    Replacing the keyword in the source (rather than relying on the renderer's idea of
    the current colour) works with every Qt SVG renderer release."""
    source = _svg_source(name).replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(source.encode("utf-8")))
    if not renderer.isValid():
        raise ValueError(f"the toolbar icon {name}.svg is not a valid SVG drawing")
    return render_svg(renderer, size)


def render_svg(renderer: QSvgRenderer, size: int) -> QImage:
    """``renderer``'s drawing at ``size`` × ``size`` px, antialiased on transparency
    (premultiplied ARGB); ``tools/render_icons.py`` renders the application icon so too."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def tinted_icon(name: str, palette: QPalette | None = None) -> QIcon:
    """The toolbar icon ``name`` in ``palette``'s button-text colours (normal and disabled)."""
    palette = palette if palette is not None else QGuiApplication.palette()
    role = QPalette.ColorRole.ButtonText
    colours = {
        QIcon.Mode.Normal: palette.color(QPalette.ColorGroup.Active, role),
        QIcon.Mode.Active: palette.color(QPalette.ColorGroup.Active, role),
        QIcon.Mode.Selected: palette.color(QPalette.ColorGroup.Active, role),
        QIcon.Mode.Disabled: palette.color(QPalette.ColorGroup.Disabled, role),
    }
    icon = QIcon()
    for mode, colour in colours.items():
        hex_colour = colour.name()  # #rrggbb: opacity comes from the drawing itself
        for size in TINT_SIZES:
            pixmap = QPixmap.fromImage(tinted_image(name, hex_colour, size))
            icon.addPixmap(pixmap, mode, QIcon.State.Off)
    return icon


class ThemedIcons:
    """Which action shows which toolbar drawing, so all can be tinted again at once."""

    def __init__(self) -> None:
        self._actions: list[tuple[weakref.ref[QAction], str]] = []

    def assign(self, action: QAction, name: str, palette: QPalette | None = None) -> None:
        _svg_source(name)  # a missing drawing fails here, where the action is named
        self._actions.append((weakref.ref(action), name))
        action.setIcon(tinted_icon(name, palette))

    def retint(self, palette: QPalette | None = None) -> None:
        alive = []
        for ref, name in self._actions:
            action = ref()
            if action is None:
                continue
            try:
                action.setIcon(tinted_icon(name, palette))
            except RuntimeError:  # the C++ action is gone with its window
                continue
            alive.append((ref, name))
        self._actions = alive

    def names(self) -> dict[str, QAction]:
        found = {}
        for ref, name in self._actions:
            action = ref()
            if action is not None:
                found[name] = action
        return found
