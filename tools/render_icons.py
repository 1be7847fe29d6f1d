"""Render the application icon's SVG source into the bitmaps that Linux and Windows need.

    python tools/render_icons.py            # (re)write the PNGs and the ICO
    python tools/render_icons.py --check    # exit 1 when a bitmap is out of date

The SVG (``resources/icons/subtitle-studio.svg``) is the only drawing; the bitmaps are
rendered from it with Qt's own SVG renderer so that nobody edits them by hand:

* ``resources/icons/hicolor/<N>x<N>/apps/subtitle-studio.png`` for the freedesktop
  "hicolor" icon theme sizes (copy the ``hicolor`` tree into ``/usr/share/icons``);
* ``resources/icons/subtitle-studio.ico`` for Windows (the executable, the installer and
  the shortcuts). Qt's ICO plugin writes one image per file, so the container is written
  here: 32-bit BMP entries below 256 px (what every Windows shell reads) and a PNG entry
  at 256 px (Vista and later; a 256 px BMP would be 256 KiB).
"""

from __future__ import annotations

import argparse
import logging
import os
import struct
import sys
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtSvg import QSvgRenderer

from subtitle_studio.gui.icons import render_svg

log = logging.getLogger("render_icons")

REPO = Path(__file__).resolve().parent.parent
ICONS = REPO / "resources" / "icons"
SVG = ICONS / "subtitle-studio.svg"
ICO = ICONS / "subtitle-studio.ico"
#: The freedesktop hicolor sizes a desktop environment looks for.
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
#: The sizes Windows shows: small icons (16/24), lists (32/48), large and jumbo views.
ICO_SIZES = (16, 24, 32, 48, 64, 256)
#: Smaller ICO entries are uncompressed bitmaps; from this size on, PNG.
ICO_PNG_FROM = 256


def png_path(size: int, icons: Path = ICONS) -> Path:
    return icons / "hicolor" / f"{size}x{size}" / "apps" / "subtitle-studio.png"


def render(svg: Path, size: int) -> QImage:
    """The SVG drawn at ``size`` × ``size`` pixels, straight (not premultiplied) ARGB."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG drawing")
    return render_svg(renderer, size).convertToFormat(QImage.Format.Format_ARGB32)


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("Qt could not encode a PNG (is the image empty?)")
    buffer.close()
    return bytes(data.data())


def _argb_rows(image: QImage) -> list[bytes]:
    """Rows of B,G,R,A bytes, top to bottom (Format_ARGB32 is BGRA in memory here)."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    if sys.byteorder != "little":  # pragma: no cover - every platform we ship is little-endian
        raise OSError("writing ICO bitmaps assumes a little-endian machine")
    raw = bytes(image.constBits())
    stride = image.bytesPerLine()
    width = image.width() * 4
    return [raw[y * stride : y * stride + width] for y in range(image.height())]


def bmp_entry(image: QImage) -> bytes:
    """A 32-bit DIB as ICO entries hold it: header with doubled height, bottom-up
    BGRA pixels, then the 1-bit AND mask (set where the pixel is fully transparent)."""
    width, height = image.width(), image.height()
    rows = _argb_rows(image)
    pixels = b"".join(reversed(rows))
    mask_stride = ((width + 31) // 32) * 4
    mask = bytearray()
    for row in reversed(rows):
        bits = bytearray(mask_stride)
        for x in range(width):
            if row[x * 4 + 3] == 0:
                bits[x // 8] |= 0x80 >> (x % 8)
        mask += bits
    header = struct.pack(
        "<IiiHHIIiiII", 40, width, height * 2, 1, 32, 0, len(pixels) + len(mask), 0, 0, 0, 0
    )
    return header + pixels + bytes(mask)


def ico_bytes(images: list[QImage]) -> bytes:
    """An ICO container holding ``images`` (square, at most 256 px), smallest first."""
    entries = []
    for image in sorted(images, key=QImage.width):
        size = image.width()
        if size != image.height() or not 0 < size <= 256:
            raise ValueError(f"an ICO entry must be square and at most 256 px, not {size}")
        entries.append((size, png_bytes(image) if size >= ICO_PNG_FROM else bmp_entry(image)))
    out = bytearray(struct.pack("<HHH", 0, 1, len(entries)))
    offset = 6 + 16 * len(entries)
    for size, data in entries:
        dim = size % 256  # 0 means 256
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    for _size, data in entries:
        out += data
    return bytes(out)


def read_ico(data: bytes) -> list[QImage]:
    """The images of an ICO file (PNG or 32-bit BMP entries), in file order.

    Used by the tests to prove the file is what Windows will read, entry by entry.
    """
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    if reserved != 0 or kind != 1 or count == 0:
        raise ValueError("not an ICO file")
    images = []
    for i in range(count):
        w, h, _colours, _res, _planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i
        )
        width, height = w or 256, h or 256
        blob = data[offset : offset + length]
        if len(blob) != length:
            raise ValueError(f"ICO entry {i} runs past the end of the file")
        if blob.startswith(b"\x89PNG\r\n\x1a\n"):
            image = QImage.fromData(blob)  # a PNG, recognised by its signature
        else:
            image = _read_dib(blob, width, height)
        if image.isNull() or (image.width(), image.height()) != (width, height):
            raise ValueError(f"ICO entry {i} is not a readable {width}×{height} image")
        if bits != 32:
            raise ValueError(f"ICO entry {i} has {bits} bits per pixel, not 32")
        images.append(image.convertToFormat(QImage.Format.Format_ARGB32))
    return images


def _read_dib(blob: bytes, width: int, height: int) -> QImage:
    size, w, h2, _planes, bits, compression = struct.unpack_from("<IiiHHI", blob, 0)
    if (size, w, h2, bits, compression) != (40, width, 2 * height, 32, 0):
        raise ValueError("an ICO bitmap entry that is not an uncompressed 32-bit DIB")
    stride = width * 4
    pixels = blob[40 : 40 + stride * height]
    top_down = b"".join(
        pixels[(height - 1 - y) * stride : (height - y) * stride] for y in range(height)
    )
    return QImage(top_down, width, height, stride, QImage.Format.Format_ARGB32).copy()


def difference(a: QImage, b: QImage) -> float:
    """Mean absolute difference per channel (0–255) between two same-sized images.

    Renderers differ by a unit here and there between Qt releases; a changed drawing
    differs by far more than 1 on average."""
    if (a.width(), a.height()) != (b.width(), b.height()):
        return 255.0
    pixels_a = np.frombuffer(b"".join(_argb_rows(a)), dtype=np.uint8).astype(np.int16)
    pixels_b = np.frombuffer(b"".join(_argb_rows(b)), dtype=np.uint8).astype(np.int16)
    return float(np.abs(pixels_a - pixels_b).mean())


#: Largest mean channel difference for a bitmap still to count as up to date.
TOLERANCE = 1.5


def outdated(svg: Path = SVG, icons: Path = ICONS) -> list[str]:
    """Why each bitmap is missing or differs from a fresh rendering (empty: up to date)."""
    problems = []
    for size in PNG_SIZES:
        path = png_path(size, icons)
        if not path.is_file():
            problems.append(f"{path} is missing")
            continue
        diff = difference(QImage(str(path)), render(svg, size))
        if diff > TOLERANCE:
            problems.append(f"{path} differs from the SVG (mean difference {diff:.2f})")
    ico = icons / ICO.name
    if not ico.is_file():
        problems.append(f"{ico} is missing")
        return problems
    images = read_ico(ico.read_bytes())
    sizes = [image.width() for image in images]
    if sizes != list(ICO_SIZES):
        problems.append(f"{ico} holds sizes {sizes}, not {list(ICO_SIZES)}")
        return problems
    for image in images:
        diff = difference(image, render(svg, image.width()))
        if diff > TOLERANCE:
            problems.append(f"{ico} at {image.width()} px differs from the SVG ({diff:.2f})")
    return problems


def write_all(svg: Path = SVG, icons: Path = ICONS) -> list[Path]:
    written = []
    for size in PNG_SIZES:
        path = png_path(size, icons)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png_bytes(render(svg, size)))
        written.append(path)
    ico = icons / ICO.name
    ico.write_bytes(ico_bytes([render(svg, size) for size in ICO_SIZES]))
    written.append(ico)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report outdated bitmaps")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    if args.check:
        problems = outdated()
        for problem in problems:
            log.error("%s", problem)
        if problems:
            log.error("run: python tools/render_icons.py")
        return 1 if problems else 0
    for path in write_all():
        log.info("wrote %s", path.relative_to(REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
