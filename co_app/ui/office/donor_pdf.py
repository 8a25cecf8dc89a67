"""The donor report as a PDF: ``co_app.core.office.donor.html`` drawn by Qt's
``QTextDocument`` on a ``QPdfWriter`` (Qt shapes Arabic and Ethiopic with the bundled
Noto fonts), into memory, then written with an atomic replace — a full disk leaves no
half-written PDF.

The command line may not load Qt: ``python main.py report --pdf`` runs this module in a
child process (``python -m co_app.ui.office.donor_pdf HTML_FILE PDF_FILE [LANG]``), which
prints one sentence on stderr and exits 2 when the PDF cannot be written.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from co_app.core.foundation.errors import CoError, sentence
from co_app.core.foundation.fileio import atomic_write_bytes, describe
from co_app.core.foundation.i18n import N_
from co_app.core.office import donor
from co_app.core.office.report import Report
from co_app.ui.office import pdf_pages

RESOLUTION = 150
FONT_FAMILIES = ["Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", "Noto Sans Ethiopic", "DejaVu Sans",
                 "Segoe UI", "Arial"]


def pdf_bytes(html: str, title: str = "") -> bytes:
    """``html`` drawn on A4 pages (a QGuiApplication must exist): rows kept whole and
    headings with what follows them (co_app/ui/office/pdf_pages.py), each page numbered."""
    from co_app.ui.shell import fonts

    fonts.load_all()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = pdf_writer(buffer, title)
    document = pdf_pages.paginate(html, writer, prepare=lambda doc: prepare_document(doc, 'dir="rtl"' in html[:200]))
    _draw(document, writer)
    buffer.close()
    return bytes(data.data())


def pdf_writer(device: QIODevice, title: str = "") -> QPdfWriter:
    """An A4 PDF writer with 15 mm margins."""
    writer = QPdfWriter(device)
    writer.setResolution(RESOLUTION)
    writer.setTitle(title)
    writer.setCreator("Welcoming Communities CO")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    return writer


def prepare_document(document: QTextDocument, rtl: bool = False) -> None:
    """The report's font (the bundled Noto families, 9 pt) and, for Arabic and Dari, right to left."""
    from co_app.ui.shell import fonts

    font = QFont()
    font.setFamilies([*FONT_FAMILIES, *(f for fams in fonts.loaded_families().values() for f in fams)])
    font.setPointSizeF(9)
    document.setDefaultFont(font)
    if rtl:  # tables and paragraphs laid out from the right
        option = document.defaultTextOption()
        option.setTextDirection(Qt.LayoutDirection.RightToLeft)
        document.setDefaultTextOption(option)


def _draw(document: QTextDocument, writer: QPdfWriter) -> None:
    """Each page of the laid-out ``document``, its number in the footer."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter

    size = document.pageSize()
    painter = QPainter(writer)
    try:
        for page in range(document.pageCount()):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * size.height())
            document.drawContents(painter, QRectF(0, page * size.height(), size.width(), size.height()))
            painter.restore()
            painter.setFont(document.defaultFont())
            painter.drawText(QRectF(0, size.height(), size.width(), pdf_pages.FOOTER),
                             int(Qt.AlignmentFlag.AlignCenter), str(page + 1))
    finally:
        painter.end()


def write_pdf(report: Report, path: Path, lang: str | None = None, *, content: Any = None) -> Path:
    """The donor report ``report`` as a PDF at ``path``, in ``lang``."""
    html = donor.html(report, lang, content=content)
    return write_html_pdf(html, path)


def write_html_pdf(html: str, path: Path) -> Path:
    data = pdf_bytes(html)
    try:
        atomic_write_bytes(Path(path), data)
    except OSError as exc:
        raise CoError(sentence(N_("Cannot write the PDF {path}: {reason}."), path=path,
                               reason=describe(exc))) from exc
    return Path(path)


def main(argv: list[str]) -> int:
    """The command line's child: draw HTML_FILE into PDF_FILE."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["co-app-pdf"])
    source, target = Path(argv[0]), Path(argv[1])
    if len(argv) > 2:  # the language of the error sentence
        from co_app.core.foundation.i18n import set_language

        set_language(argv[2])
    try:
        write_html_pdf(source.read_text(encoding="utf-8"), target)
    except CoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
