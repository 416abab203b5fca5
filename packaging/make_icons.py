"""Regenerate the PNG, ICO and ICNS icons from assets/icons/nnstudio.svg.

The SVG is the only hand-edited icon; the rest is derived so the sizes never drift
apart. Each PNG is rendered from the vector at its own size (crisper than downscaling
one bitmap) with PySide6's QtSvg (already a dependency, no cairo needed). Pillow packs
the PNGs into the Windows .ico and macOS .icns. Run: python packaging/make_icons.py
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

from PIL import Image

ICONS = Path(__file__).resolve().parents[1] / "assets" / "icons"
SVG = ICONS / "nnstudio.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # freedesktop hicolor sizes, 16 to 512
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # .ico stops at 256
ICNS_SIZES = (16, 32, 64, 128, 256, 512)  # what Pillow's ICNS writer can pack


def png_path(size: int) -> Path:
    """The freedesktop hicolor layout, so Linux installs copy the tree as is."""
    return ICONS / "hicolor" / f"{size}x{size}" / "apps" / "nnstudio.png"


def render(size: int) -> Image.Image:
    """Rasterize the SVG at `size` px with Qt; returns an RGBA Pillow image."""
    from PySide6.QtCore import QBuffer, QByteArray, QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(data))).convert("RGBA")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841  Qt wants one
    images = {size: render(size) for size in SIZES}
    for size, image in images.items():
        png_path(size).parent.mkdir(parents=True, exist_ok=True)
        image.save(png_path(size), optimize=True)
    images[256].save(
        ICONS / "nnstudio.ico",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES],
    )
    # macOS wants 512@2x, so the .icns base is a 1024 px render, not an upscale.
    render(1024).save(
        ICONS / "nnstudio.icns", append_images=[images[s] for s in ICNS_SIZES]
    )
    print(f"wrote {len(SIZES)} PNGs, nnstudio.ico and nnstudio.icns under {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
