"""Draw the application's icon with Qt (no image editor, no binary file in git).

    python packaging/make_icon.py OUT_DIR     writes OUT_DIR/welcoming-communities-co.png (256 px)
                                              and OUT_DIR/welcoming-communities-co.ico (Windows)

A teal rounded square (the sidebar's colour) holding a white house with a heart in its
doorway: a home in a small town.  Run by `python3 dev.py dist` and the Windows workflow.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

NAME = "welcoming-communities-co"
TEAL = "#0f5f66"


def draw(size: int):
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPolygonF

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 256, size / 256)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(TEAL))
    painter.drawRoundedRect(QRectF(8, 8, 240, 240), 44, 44)
    painter.setBrush(QColor("white"))
    painter.drawPolygon(QPolygonF([QPointF(128, 44), QPointF(214, 120), QPointF(42, 120)]))  # roof
    painter.drawRect(QRectF(64, 116, 128, 96))  # walls
    heart = QPainterPath()
    heart.moveTo(128, 196)
    heart.cubicTo(84, 168, 92, 132, 114, 134)
    heart.cubicTo(122, 135, 127, 141, 128, 147)
    heart.cubicTo(129, 141, 134, 135, 142, 134)
    heart.cubicTo(164, 132, 172, 168, 128, 196)
    painter.setBrush(QColor("#d9534f"))
    painter.drawPath(heart)
    painter.end()
    return image


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    out = Path(argv[0] if argv else ".")
    out.mkdir(parents=True, exist_ok=True)
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - kept alive while painting
    if not draw(256).save(str(out / f"{NAME}.png"), "PNG"):
        print("make_icon: cannot write the PNG", file=sys.stderr)
        return 1
    if not draw(64).save(str(out / f"{NAME}.ico"), "ICO"):
        print("make_icon: no ICO writer in this Qt (imageformats/qico); the PNG was written", file=sys.stderr)
    print(out / f"{NAME}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
