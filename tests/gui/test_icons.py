"""The application icon's bitmaps match its SVG, and the toolbar drawings are tintable.

The bitmaps are committed (a packager needs them without Qt); a test re-renders them
from the SVG so a changed drawing cannot ship with stale PNGs or a stale ICO.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from subtitle_studio.gui import icons
from tests.conftest import REPO
from tests.support.tools import load_tool

ICONS = REPO / "resources" / "icons"


@pytest.fixture(scope="module")
def render_icons():
    return load_tool("render_icons")


def test_the_png_sizes_exist_at_their_sizes(qapp, render_icons) -> None:
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        path = ICONS / "hicolor" / f"{size}x{size}" / "apps" / "subtitle-studio.png"
        image = QImage(str(path))
        assert not image.isNull(), f"{path} is missing or unreadable"
        assert (image.width(), image.height()) == (size, size), path
        assert image.hasAlphaChannel(), f"{path}: the corners must be transparent"
        assert image.pixelColor(0, 0).alpha() == 0
        assert image.pixelColor(size // 2, size // 2).alpha() == 255


def test_the_ico_holds_the_windows_sizes(qapp, render_icons) -> None:
    data = (ICONS / "subtitle-studio.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    listed = [data[6 + 16 * i] or 256 for i in range(count)]
    assert listed == [16, 24, 32, 48, 64, 256]
    images = render_icons.read_ico(data)
    assert [(image.width(), image.height()) for image in images] == [
        (size, size) for size in (16, 24, 32, 48, 64, 256)
    ]
    # Qt's own ICO reader (an independent one) reads every entry too.
    from PySide6.QtGui import QImageReader

    reader = QImageReader(str(ICONS / "subtitle-studio.ico"))
    assert reader.imageCount() == 6
    sizes = []
    for i in range(6):
        assert reader.jumpToImage(i)
        sizes.append(reader.read().width())
    assert sorted(sizes) == [16, 24, 32, 48, 64, 256]


def test_the_bitmaps_are_up_to_date_with_the_svg(qapp, render_icons) -> None:
    problems = render_icons.outdated()
    assert not problems, "\n".join(problems) + "\nrun: python tools/render_icons.py"


def test_the_up_to_date_check_notices_a_changed_drawing(qapp, render_icons, tmp_path: Path) -> None:
    """The comparison is not so tolerant that it passes anything."""
    changed = tmp_path / "changed.svg"
    source = (ICONS / "subtitle-studio.svg").read_text(encoding="utf-8")
    changed.write_text(source.replace("#fde047", "#e11d48"), encoding="utf-8")
    problems = render_icons.outdated(svg=changed, icons=ICONS)
    assert len(problems) == 8 + 6  # every PNG and every ICO entry


def test_an_ico_written_and_read_back_keeps_its_pixels(qapp, render_icons) -> None:
    images = [render_icons.render(ICONS / "subtitle-studio.svg", s) for s in (16, 256)]
    back = render_icons.read_ico(render_icons.ico_bytes(images))
    for made, read in zip(images, back, strict=True):
        assert render_icons.difference(made, read) == 0.0


def test_every_toolbar_drawing_is_one_colour_to_tint(qapp) -> None:
    names = icons.toolbar_icon_names()
    assert len(names) >= 13
    for name in names:
        source = (icons.TOOLBAR_ICONS / f"{name}.svg").read_text(encoding="utf-8")
        assert "currentColor" in source, name
        # No fixed colour: a hard-coded one would vanish on one of the two backgrounds.
        assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgb\(", source), name
        image = icons.tinted_image(name, "#ff0000", 24)
        colours = {
            image.pixelColor(x, y).name()
            for x in range(24)
            for y in range(24)
            if image.pixelColor(x, y).alpha() == 255
        }
        assert colours == {"#ff0000"}, f"{name}: {colours}"


def test_the_application_icon_loads(qapp) -> None:
    icon = icons.app_icon()
    assert not icon.isNull()
    assert {s.width() for s in icon.availableSizes()} >= {16, 32, 48, 256}
