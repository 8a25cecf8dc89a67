"""The donor report's PDF keeps table rows whole and headings with what follows (issue 18):
laid out on A4 pages, the rows of long tables — some wrapping onto several lines — and
headings that would fall at a page's foot are given pages by Qt's layout, and none straddles
two pages nor ends one alone."""

from __future__ import annotations

import html as html_lib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QTextDocument, QTextTable
from sqlalchemy import create_engine

from co_app.core.foundation import i18n
from co_app.ui.office import donor_pdf, pdf_pages

ROOT = Path(__file__).resolve().parents[3]


def _html(filler: int) -> str:
    """Five headed tables of rows that wrap onto one to five lines, after ``filler`` paragraphs."""
    rows = [f'<tr><td>Row {i} {"a long name " * (i % 5 * 6)}</td><td align="right">{i}</td><td><table '
            f'cellspacing="0" cellpadding="0"><tr><td width="{i % 150 + 1}" bgcolor="#2f7d8c" height="10"></td>'
            '</tr></table></td></tr>' for i in range(120)]
    parts = ["<html><body>", "<h1>Report</h1>", *["<p>A line before the tables.</p>"] * filler]
    for k in range(5):
        parts += [f"<h2>Breakdown {k}</h2>", '<table border="1" cellspacing="0" cellpadding="3">',
                  "<tr><th>Name</th><th>People</th><th></th></tr>", *rows[:(k + 1) * 23], "</table>",
                  *["<p>A note under the table.</p>"] * (filler % 7)]
    parts.append("</body></html>")
    return "\n".join(parts)


def _writer() -> donor_pdf.QPdfWriter:
    buffer = QBuffer(QByteArray())
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = donor_pdf.pdf_writer(buffer)
    writer.buffer = buffer  # kept alive with the writer
    return writer


def _as_qt_lays_it_out(html: str, writer) -> list[pdf_pages.Placement]:
    document = QTextDocument()
    document.setHtml(html)
    height = pdf_pages.lay_out(document, writer)
    return pdf_pages.problems(pdf_pages.placements(document), height)


def test_rows_stay_whole_and_headings_stay_with_what_follows(qapp) -> None:
    writer = _writer()
    seen = {"straddles": 0, "alone": 0}
    for filler in range(0, 48, 3):
        html = _html(filler)
        before = _as_qt_lays_it_out(html, writer)
        seen["straddles"] += sum(p.straddles for p in before)
        seen["alone"] += sum(p.alone for p in before)
        document = pdf_pages.paginate(html, writer)
        placed = pdf_pages.placements(document)
        assert document.pageCount() > 5
        assert [p for p in placed if p.straddles] == [], filler
        assert [p for p in placed if p.alone] == [], filler
        assert {p.kind for p in placed} == {"row", "heading"} and sum(p.kind == "heading" for p in placed) == 6
        if seen["straddles"] and seen["alone"]:
            break
    # Qt's own layout split rows and left a heading at a page's foot: the test met both.
    assert seen["straddles"] > 0 and seen["alone"] > 0


def test_a_split_table_repeats_its_header_row_on_the_next_page(qapp) -> None:
    html = _html(0)
    document = pdf_pages.paginate(html, _writer())
    mended = document.toHtml()
    assert mended.count("People") > html.count("People")  # the header row again over each part
    assert document.pageCount() >= 10


def test_the_donor_pdf_is_drawn_from_the_mended_layout(qapp, tmp_path: Path) -> None:
    from PySide6.QtPdf import QPdfDocument

    out = donor_pdf.write_html_pdf(_html(5), tmp_path / "donor.pdf")
    assert out.read_bytes().startswith(b"%PDF")
    pdf = QPdfDocument()
    pdf.load(str(out))
    drawn = pdf_pages.paginate(_html(5), _writer(), prepare=donor_pdf.prepare_document)
    assert pdf.pageCount() == drawn.pageCount() >= 5
    assert not pdf_pages.problems(pdf_pages.placements(drawn), drawn.pageSize().height())


@pytest.fixture(scope="module")
def demo_hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A laptop's database seeded by the office's demonstration (30 sessions, some 800 people)."""
    data = tmp_path_factory.mktemp("demo")
    subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data), "demo", "seed", "--sessions",
                    "30", "--laptop", "1"], check=True, capture_output=True, timeout=300)
    return data / "co_app.sqlite3"


def _top_tables(document: QTextDocument) -> list[QTextTable]:
    """The document's tables in order, as ``pdf_pages.placements`` numbers them."""
    out, it = [], document.rootFrame().begin()
    while not it.atEnd():
        if isinstance(it.currentFrame(), QTextTable):
            out.append(it.currentFrame())
        it += 1
    return out


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_real_donor_report_keeps_rows_whole_and_repeats_headers(qapp, demo_hub, locale_dir, lang) -> None:
    """The officer's donor PDFs: a row's label stood on the next page away from its figures
    (Qt pushes a line, not its block), and a table ran onto the next page without its header
    row.  Over a real report, shifted down line by line so that its rows meet page feet at
    every place, no row straddles, every table that goes on repeats its header, and the bars
    are labelled with the column they show."""
    from co_app.core.office import donor
    from co_app.core.office.report import ReportFilter, compute

    i18n.set_language(lang, locale_dir)
    try:
        report = compute(create_engine(f"sqlite:///{demo_hub}"), ReportFilter())
        base = donor.html(report, lang)
    finally:
        i18n.set_language("en", locale_dir)
    header = base.split("\n")[base.split("\n").index(f"<h2>{report_heading(base, 1)}</h2>") + 2]
    assert header.count("<th>") == 6 and "<th></th>" not in header  # the bars' column has its title
    writer, continued = _writer(), 0
    top_table = base[base.index("<table"):base.index("</table>")]
    totals = {html_lib.unescape(text) for text in re.findall(r"<td>(.*?)</td>", top_table)}
    for shift in range(0, 36, 2):
        html = base.replace("</h1>", "</h1>" + "\n<p>-</p>" * shift, 1)
        document = pdf_pages.paginate(html, writer, prepare=lambda doc: donor_pdf.prepare_document(doc, lang == "ar"))
        placed = pdf_pages.placements(document)
        assert [p for p in placed if p.straddles or p.breaks or p.alone] == [], shift
        tables = _top_tables(document)
        for before, top in zip(placed, placed[1:], strict=False):
            if top.kind != "row" or top.first_page == before.last_page:
                continue  # not the first row of a page
            cells = {tables[top.index].cellAt(top.row, c).firstCursorPosition().block().text()
                     for c in range(tables[top.index].columns())}
            headed = bool(cells & report_headers(base, lang))  # its first column's title: a header row
            if not headed and cells & totals:
                continue  # the totals at the top: the one table without a header row
            assert top.row == 0 and headed, (shift, top, cells)
            continued += before.kind == "row"  # its table went on from the page before
    assert continued > 0


def report_heading(html: str, index: int) -> str:  # the index-th breakdown's title
    return re.findall(r"^<h2>(.*)</h2>$", html, re.M)[index]


def report_headers(html: str, lang: str) -> set[str]:
    """The first column's title of each breakdown's header row (the last cell in Arabic)."""
    rows = re.findall(r"^<tr>(<th>.*)</tr>$", html, re.M)
    cells = [re.findall(r"<th>(.*?)</th>", row) for row in rows]
    return {html_lib.unescape(c[-1] if lang == "ar" else c[0]) for c in cells if c}
