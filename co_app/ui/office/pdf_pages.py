"""Page breaks for the PDFs Qt draws (the donor report, co_app/ui/office/donor_pdf.py): a
table row is never split over two pages, and a heading never stands alone at a page's foot.

Qt's ``QTextDocument`` flows a table cell's lines onto the next page one by one, so a row
whose first column wraps onto three lines could leave two of them on the next page, away
from the rest of its row; and it has no "keep with next" for a heading.  So the document
is laid out on the PDF's pages, each row and heading is given the pages it lies on
(``placements``), and the first problem is mended in the HTML — a table split before the
row that straddles, the rest on the next page under its header row repeated; a page break
before a heading left at the foot — until none is left (``paginate``).

The HTML is the donor report's (co_app/core/office/donor.py): one element per line; a
table of figures opens with ``<table border=``, each of its rows is one line, it closes
with a line ``</table>``; headings are ``<h1>`` to ``<h3>`` lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QPagedPaintDevice, QTextDocument, QTextTable

#: The space kept at each page's foot for its number (device pixels at 150 dpi: 6 mm).
FOOTER = 36
#: A row taller than this share of a page is left to split: moving it would not help.
TALLEST_MOVED = 0.6
#: Mendings at most (each one starts a page, so this is far more than a report needs).
MOST_MENDINGS = 400
_TABLE = re.compile(r"^<table\b[^>]*\bborder=")
_HEADING = re.compile(r"^<h[1-3]\b")
BREAK = "page-break-before: always"


@dataclass(frozen=True)
class Placement:
    """Where a row or heading lies: ``kind`` "row" or "heading"; ``index`` the table's (rows)
    or the heading's, in document order; ``row`` the row's within its table; its first and
    last page, and for a heading the page where what follows it begins."""

    kind: str
    index: int
    row: int
    first_page: int
    last_page: int
    next_page: int | None = None
    height: float = 0.0
    #: A row that begins a page its table's previous row is not on (its header must be repeated).
    continues: bool = False

    @property
    def straddles(self) -> bool:
        return self.kind == "row" and self.first_page != self.last_page

    @property
    def breaks(self) -> bool:
        """A row of a headed table that its table's rows before it do not share a page with."""
        return self.kind == "row" and self.continues

    @property
    def alone(self) -> bool:
        return self.kind == "heading" and self.next_page is not None and self.next_page > self.last_page


def lay_out(document: QTextDocument, device: QPagedPaintDevice) -> float:
    """Lay ``document`` out on ``device``'s pages (less the footer); returns a page's height."""
    document.documentLayout().setPaintDevice(device)
    rect = device.pageLayout().paintRectPixels(device.resolution())
    document.setPageSize(QSizeF(rect.width(), rect.height() - FOOTER))
    return document.pageSize().height()


def placements(document: QTextDocument) -> list[Placement]:
    """Every top-level table row and heading of a laid-out ``document``, with its pages."""
    layout, height = document.documentLayout(), document.pageSize().height()

    def page(y: float) -> int:
        return int(y // height)

    out: list[Placement] = []
    tables = headings = 0
    pending: list[int] = []  # headings waiting for what follows them
    it = document.rootFrame().begin()
    while not it.atEnd():
        frame, block = it.currentFrame(), it.currentBlock()
        if isinstance(frame, QTextTable):
            rows, headed = _rows(frame, layout), _headed(frame)
            _settle(out, pending, page(rows[0][0]) if rows else None)
            out += [Placement("row", tables, r, page(top), page(bottom - 0.5), height=bottom - top,
                              continues=headed and r > 0 and page(top) > page(rows[r - 1][1] - 0.5))
                    for r, (top, bottom) in enumerate(rows)]
            tables += 1
        elif block.isValid() and block.text().strip():
            rect = layout.blockBoundingRect(block)
            _settle(out, pending, page(rect.top()))
            if block.blockFormat().headingLevel() > 0:
                pending.append(len(out))
                out.append(Placement("heading", headings, 0, page(rect.top()), page(rect.bottom() - 0.5)))
                headings += 1
        it += 1
    return out


def _rows(table: QTextTable, layout) -> list[tuple[float, float]]:
    """(top, bottom) of each row: where its cells' lines are drawn.  A block's bounding rect
    is not enough: Qt pushes a line that would cross a page's foot onto the next page without
    moving its block, so a cell's label can stand on the next page while its block, and the
    row's other cells, stay on the page before."""
    out = []
    for r in range(table.rows()):
        spans = [_cell_span(table.cellAt(r, c), layout) for c in range(table.columns())]
        out.append((min(top for top, _ in spans), max(bottom for _, bottom in spans)))
    return out


def _cell_span(cell, layout) -> tuple[float, float]:
    """The top of a cell's first line and the bottom of its last (its blocks' when empty)."""
    block, last = cell.firstCursorPosition().block(), cell.lastCursorPosition().block()
    tops, bottoms = [], []
    while block.isValid():
        rect, lines = layout.blockBoundingRect(block), block.layout()
        tops.append(rect.top())
        bottoms.append(rect.bottom())
        for i in range(lines.lineCount()):
            line = lines.lineAt(i)
            tops.append(rect.top() + line.y())
            bottoms.append(rect.top() + line.y() + line.height())
        if block == last:
            break
        block = block.next()
    return min(tops), max(bottoms)


def _headed(table: QTextTable) -> bool:
    """Whether the table's first row is a header row (``<th>`` cells, drawn bold)."""
    if table.rows() < 2:
        return False
    cursor = table.cellAt(0, 0).firstCursorPosition()
    cursor.movePosition(cursor.MoveOperation.NextCharacter, cursor.MoveMode.KeepAnchor)
    return cursor.charFormat().fontWeight() >= 600


def _settle(out: list[Placement], pending: list[int], next_page: int | None) -> None:
    """What follows the pending headings begins on ``next_page``."""
    if next_page is None:
        return
    for index in pending:
        held = out[index]
        out[index] = Placement(held.kind, held.index, held.row, held.first_page, held.last_page, next_page)
    pending.clear()


def problems(found: list[Placement], page_height: float) -> list[Placement]:
    """Rows that straddle two pages (unless too tall to move), rows that carry a headed table
    onto a new page without its header, and headings left alone."""
    return [p for p in found
            if p.alone or p.breaks or (p.straddles and p.height <= TALLEST_MOVED * page_height)]


def mend(html: str, problem: Placement) -> str:
    """``html`` with ``problem`` mended: the table split before the row (the rest on the next
    page, under its header row again), or a page break before the heading."""
    lines = html.split("\n")
    if problem.kind == "heading":
        at = [i for i, line in enumerate(lines) if _HEADING.match(line)][problem.index]
        lines[at] = re.sub(r"^<(h[1-3])\b", rf'<\1 style="{BREAK}"', lines[at], count=1)
        return "\n".join(lines)
    start = [i for i, line in enumerate(lines) if _TABLE.match(line)][problem.index]
    rows = []
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("</table>"):
            break
        if lines[i].startswith("<tr"):
            rows.append(i)
    header = [lines[rows[0]]] if rows and "<th" in lines[rows[0]] else []
    if header and problem.row <= 1:  # only the header would be left: the table (and its heading) moves
        at = start - 1 if start and _HEADING.match(lines[start - 1]) else start
        lines[at] = re.sub(r"^<(h[1-3]|table)\b", rf'<\1 style="{BREAK}"', lines[at], count=1)
        return "\n".join(lines)
    opening = re.sub(r"^<table\b", f'<table style="{BREAK}"', lines[start], count=1)
    at = rows[problem.row]
    return "\n".join([*lines[:at], "</table>", opening, *header, *lines[at:]])


def paginate(html: str, device: QPagedPaintDevice, prepare=None) -> QTextDocument:
    """The document of ``html`` laid out on ``device``, mended until no row straddles a page
    and no heading is alone at a page's foot.  ``prepare(document)`` sets its font and
    direction before the HTML goes in."""
    for _attempt in range(MOST_MENDINGS):
        document = QTextDocument()
        if prepare is not None:
            prepare(document)
        document.setHtml(html)
        height = lay_out(document, device)
        found = problems(placements(document), height)
        if not found:
            return document
        html = mend(html, found[0])
    return document
