"""The session's paper: a sign-in sheet (the backup when the laptop or the power fails)
in the session's language, and attendance certificates, each in its holder's language.

Drawn with ``QPainter`` on a ``QPdfWriter`` into memory, then written with an atomic
replace: a full disk or a read-only folder leaves no half-written PDF behind (the
``OSError`` reaches the caller, which names the file).  No dialogs here, so tests call
these functions directly.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from co_app.core.attendance import reports
from co_app.core.sessions import service as session_service
from co_app.core.bootstrap import Services
from co_app.core.foundation.errors import CoError
from co_app.core.foundation.fileio import atomic_write_bytes
from co_app.core.foundation.i18n import (
    N_,
    _,
    available_languages,
    current_language,
    format_date,
    format_datetime,
    format_number,
    isolate,
    translator_for,
)
from co_app.core.foundation.languages import SOURCE_LANGUAGE, find_language, is_rtl

#: Rows of the sign-in table on each page: tall enough to sign in, 20 to an A4 page.
ROWS_PER_PAGE = 20
#: Empty numbered lines after the last expected name, for people who were not on the list.
WALK_IN_ROWS = 8
#: Fonts in order of preference; Qt falls back per character (Arabic, Ethiopic…).
FONT_FAMILIES = ["Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", "Noto Sans Ethiopic", "DejaVu Sans",
                 "Segoe UI", "Arial"]
RESOLUTION = 300  # dots per inch of the PDF's drawing grid

INK = QColor("#111111")
RULE = QColor("#7a8a90")
SHADE = QColor("#e9eef0")
ACCENT = QColor("#123c4a")

# Certificate text: marked here so Babel extracts it, translated per certificate with
# the holder's language (not the interface's).
CERT_PROGRAMME = N_("Welcoming Communities — pre-departure cultural orientation")
CERT_TITLE = N_("Certificate of attendance")
CERT_INTRO = N_("This is to certify that")
CERT_BODY = N_("took part in the cultural orientation session on {date} in {place}.")
CERT_DESTINATION = N_("Destination: {town}")
CERT_TOPICS = N_("Topics covered")
CERT_FACILITATOR = N_("Facilitator")
CERT_FACILITATOR_NAMED = N_("Facilitator: {name}")


# Sign-in sheet text: the group reads and signs it, so it is in the session's language
# (``sheet_language``), not the interface's.
SHEET_TITLE = N_("Sign-in sheet")
SHEET_HEADING = N_("{date}, session {number}")
SHEET_PLACE = N_("Place: {place}")
SHEET_DESTINATION = N_("Destination: {towns}")
SHEET_FACILITATOR = N_("Facilitator: {name}")
SHEET_INTERPRETER = N_("Interpreter: {name}")
SHEET_LANGUAGE = N_("Language: {language}")
SHEET_INSTRUCTION = N_("Sign next to your name. Not on the list? Write your name on an empty line.")
SHEET_NUMBER = N_("No.")
SHEET_CASE = N_("Case number")
SHEET_NAME = N_("Name")
SHEET_HOUSEHOLD = N_("Household")
SHEET_TIME = N_("Time")
SHEET_SIGNATURE = N_("Signature")
#: In the household column: the person's place among their household's people on the
#: list ("2 of 4"), so a family signs together and nobody is forgotten.
SHEET_MEMBER = N_("{index} of {count}")
SHEET_PAGE = N_("Page {page} of {pages}")


class PrintoutError(CoError):
    """Nothing to print (a certificate for a session nobody attended, …)."""


def sign_in_page_count(expected: int) -> int:
    """Pages of a sign-in sheet for ``expected`` names: they, then at least
    ``WALK_IN_ROWS`` empty lines, filling the last page."""
    return max(1, math.ceil((expected + WALK_IN_ROWS) / ROWS_PER_PAGE))


def _font(points: float, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def _pdf_bytes(draw: Callable[[QPdfWriter, QPainter], None], *, landscape: bool, title: str) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setTitle(title)
    writer.setCreator("Welcoming Communities CO")
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(0, 0, 0, 0),
                                     QPageLayout.Unit.Millimeter))
    painter = QPainter(writer)
    try:
        draw(writer, painter)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


def _mm(value: float) -> float:
    return value * RESOLUTION / 25.4


def _town_name(services: Services, ref: str, language: str) -> str:
    return services.content.town_name(ref, language) if ref else ref


def _language_name(code: str) -> str:
    lang = find_language(code)
    return lang.native_name if lang else code


# --- the sign-in sheet --------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    title: str
    share: float  # of the table's width; 0 for the name, which takes what is left


def sheet_language(services: Services, session_language: str) -> str:
    """The session's language when the application's catalog translates the sheet, else
    the interface's, else English (English words laid out right to left would be worse)."""
    have = {lang.code for lang in available_languages(services.locale_dir)}
    for code in (session_language, current_language()):
        lang = find_language(code)
        if lang is None or lang.code not in have:
            continue
        if lang.code == SOURCE_LANGUAGE or \
                translator_for(lang.code, services.locale_dir)(SHEET_INSTRUCTION) != SHEET_INSTRUCTION:
            return lang.code
    return SOURCE_LANGUAGE


def _household_positions(people: Sequence[reports.RosterLine]) -> list[tuple[int, int] | None]:
    """(place in the household, people of the household on the list) for each person, in
    the list's order (households are together); None for someone without a household."""
    sizes = Counter(p.household_case for p in people if p.household_case)
    seen: Counter[str] = Counter()
    positions: list[tuple[int, int] | None] = []
    for person in people:
        if not person.household_case:
            positions.append(None)
            continue
        seen[person.household_case] += 1
        positions.append((seen[person.household_case], sizes[person.household_case]))
    return positions


def write_sign_in_sheet(services: Services, session_id: str, path: Path) -> int:
    """Write the sign-in sheet of the session to ``path`` (PDF, in the session's language
    when it can, see ``sheet_language``); returns the number of pages.  Raises ``OSError``
    when the file cannot be written."""
    with services.db.session() as db:
        session = session_service.get_session(db, session_id)
        people = reports.expected_participants(db, session_id)
        times = reports.check_in_times(db, session_id)
    code = sheet_language(services, session.language)
    tr = translator_for(code, services.locale_dir)
    pages = sign_in_page_count(len(people))
    rows: list[Sequence[str] | None] = []
    for person, position in zip(people, _household_positions(people)):
        # Isolated: its own direction inside a right-to-left row, translated or not.
        member = isolate(tr(SHEET_MEMBER).format(index=format_number(position[0], code),
                                                 count=format_number(position[1], code))) if position else ""
        when = times.get(person.participant_id)  # those already checked in: the time they came
        clock = format_datetime(when.astimezone(), "HH:mm", code=code) if when is not None else ""
        rows.append((person.case_number, f"{person.given_name} {person.family_name}".strip(), member, clock))
    rows += [None] * (pages * ROWS_PER_PAGE - len(rows))
    columns = [
        _Column(tr(SHEET_NUMBER), 0.06), _Column(tr(SHEET_CASE), 0.0), _Column(tr(SHEET_NAME), 0.0),
        _Column(tr(SHEET_HOUSEHOLD), 0.0), _Column(tr(SHEET_TIME), 0.10), _Column(tr(SHEET_SIGNATURE), 0.24),
    ]
    heading = tr(SHEET_HEADING).format(date=format_date(session.session_date, "full", code=code),
                                       number=format_number(session.number_of_day, code))
    details = _session_details(services, session, tr, code)
    rtl = is_rtl(code)

    def draw(writer: QPdfWriter, painter: QPainter) -> None:
        painter.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        page_w, page_h = writer.width(), writer.height()
        left, right, top, bottom = _mm(14), page_w - _mm(14), _mm(12), page_h - _mm(12)
        fitted = _fit_columns(painter, columns, rows, right - left)
        for page in range(pages):
            if page:
                writer.newPage()
            y = _sign_in_header(painter, QRectF(left, top, right - left, _mm(34)), tr(SHEET_TITLE), heading, details,
                                tr(SHEET_INSTRUCTION))
            table = QRectF(left, y + _mm(2), right - left, bottom - _mm(9) - y - _mm(2))
            _sign_in_table(painter, table, fitted, rows[page * ROWS_PER_PAGE:(page + 1) * ROWS_PER_PAGE],
                           first_number=page * ROWS_PER_PAGE + 1, rtl=rtl, code=code)
            painter.setFont(_font(9))
            painter.setPen(INK)
            footer = tr(SHEET_PAGE).format(page=format_number(page + 1, code), pages=format_number(pages, code))
            painter.drawText(QRectF(left, bottom - _mm(6), right - left, _mm(6)),
                             int(Qt.AlignmentFlag.AlignCenter), footer)

    data = _pdf_bytes(draw, landscape=False, title=tr(SHEET_TITLE))
    atomic_write_bytes(Path(path), data)
    return pages


def _session_details(services: Services, session: session_service.SessionSummary, tr: Callable[[str], str],
                     code: str) -> tuple[str, str]:
    """Two lines: where and for which town; who runs it and in which language."""
    where, who = [], []
    if session.place:
        where.append(tr(SHEET_PLACE).format(place=isolate(session.place)))
    towns = [_town_name(services, t, code) for t in session.destination_towns]
    if towns:
        where.append(tr(SHEET_DESTINATION).format(towns=", ".join(isolate(t) for t in towns)))
    if session.facilitator:
        who.append(tr(SHEET_FACILITATOR).format(name=isolate(session.facilitator)))
    if session.interpreter:
        who.append(tr(SHEET_INTERPRETER).format(name=isolate(session.interpreter)))
    who.append(tr(SHEET_LANGUAGE).format(language=isolate(_language_name(session.language))))
    return "     ".join(where), "     ".join(who)


def _sign_in_header(painter: QPainter, rect: QRectF, title: str, heading: str, details: tuple[str, str],
                    instruction: str) -> float:
    """Title, date and the session's facts; returns where the table starts."""
    align = int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextSingleLine)
    y = rect.top()

    def line(text: str, points: float, height_mm: float, *, bold: bool = False, colour: QColor = INK) -> None:
        nonlocal y
        painter.setPen(colour)
        painter.setFont(_font(points, bold=bold))
        painter.drawText(QRectF(rect.left(), y, rect.width(), _mm(height_mm)), align, text)
        y += _mm(height_mm)

    line(title, 18, 10, bold=True, colour=ACCENT)
    line(heading, 12, 7, bold=True)
    for text in details:
        if text:
            line(text, 10, 5.5)
    line(instruction, 10, 6, bold=True)
    return y


#: The sheet's columns, in order.
_NUMBER, _CASE, _NAME, _HOUSEHOLD = 0, 1, 2, 3
#: The name keeps at least this share of the width (a long case number takes it from the
#: signature first).
_LEAST_NAME_SHARE = 0.22
_LEAST_SIGNATURE_SHARE = 0.16


def _cell_font(column: int) -> QFont:
    return _font(11.5 if column == _NAME else 10)


def _fit_columns(painter: QPainter, columns: list[_Column], rows: list[Sequence[str] | None],
                 width: float) -> list[_Column]:
    """The shares of the width: the case numbers and the household column as wide as
    their longest text (a case number is never cut), the name what is left."""
    pad = 2 * _mm(1.6) + _mm(1)

    def widest(column: int) -> float:
        painter.setFont(_font(10, bold=True))
        needed = painter.fontMetrics().horizontalAdvance(columns[column].title)
        painter.setFont(_cell_font(column))
        metrics = painter.fontMetrics()
        for row in rows:
            if row is not None:
                needed = max(needed, metrics.horizontalAdvance(row[column - 1]))
        return (needed + pad) / width

    shares = [c.share for c in columns]
    shares[_CASE], shares[_HOUSEHOLD] = widest(_CASE), widest(_HOUSEHOLD)
    shares[_NAME] = 1 - sum(s for i, s in enumerate(shares) if i != _NAME)
    if shares[_NAME] < _LEAST_NAME_SHARE:  # very long case numbers: a narrower signature
        signature = len(columns) - 1
        taken = min(_LEAST_NAME_SHARE - shares[_NAME], shares[signature] - _LEAST_SIGNATURE_SHARE)
        shares[signature] -= taken
        shares[_NAME] += taken
    return [_Column(c.title, share) for c, share in zip(columns, shares)]


def _sign_in_table(painter: QPainter, rect: QRectF, columns: list[_Column], rows: list[Sequence[str] | None],
                   *, first_number: int, rtl: bool, code: str) -> None:
    header_h = _mm(9)
    row_h = (rect.height() - header_h) / ROWS_PER_PAGE
    edges = [rect.left()]
    for column in columns:
        edges.append(edges[-1] + column.share * rect.width())
    edges[-1] = rect.right()
    if rtl:  # the first column on the right, as an Arabic or Dari reader expects
        edges = [rect.left() + rect.right() - x for x in reversed(edges)]
        spans = list(reversed(list(zip(edges, edges[1:]))))
    else:
        spans = list(zip(edges, edges[1:]))
    pad = _mm(1.6)
    text_flags = int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine)
    painter.fillRect(QRectF(rect.left(), rect.top(), rect.width(), header_h), SHADE)
    painter.setFont(_font(10, bold=True))
    painter.setPen(INK)
    for (x0, x1), column in zip(spans, columns):
        painter.drawText(QRectF(x0 + pad, rect.top(), x1 - x0 - 2 * pad, header_h), text_flags, column.title)
    for i, row in enumerate(rows):
        top = rect.top() + header_h + i * row_h
        cells = [format_number(first_number + i, code), *(row or ("", "", "", "")), ""]
        for col, ((x0, x1), value) in enumerate(zip(spans, cells)):
            painter.setFont(_cell_font(col))
            if col != _CASE:  # the case number's column is as wide as the longest: never cut
                value = painter.fontMetrics().elidedText(value, Qt.TextElideMode.ElideRight, int(x1 - x0 - 2 * pad))
            painter.drawText(QRectF(x0 + pad, top, x1 - x0 - 2 * pad, row_h), text_flags, value)
    pen = QPen(RULE)
    pen.setWidthF(_mm(0.25))
    painter.setPen(pen)
    bottom = rect.top() + header_h + len(rows) * row_h
    for i in range(len(rows) + 2):
        y = rect.top() if i == 0 else rect.top() + header_h + (i - 1) * row_h
        painter.drawLine(int(rect.left()), int(y), int(rect.right()), int(y))
    for x in edges:
        painter.drawLine(int(x), int(rect.top()), int(x), int(bottom))


# --- certificates -------------------------------------------------------------------


def certificate_language(services: Services, languages: Sequence[str], session_language: str) -> str:
    """The holder's first language when the application has its catalog, else the
    session's language when it has that one, else English."""
    have = {lang.code for lang in available_languages(services.locale_dir)}
    for code in (languages[0] if languages else None, session_language):
        lang = find_language(code)
        if lang is None or lang.code not in have:
            continue
        # A catalog that does not translate the certificate yet would give English words
        # laid out right to left around a date in another script: English is better.
        if lang.code == SOURCE_LANGUAGE or translator_for(lang.code, services.locale_dir)(CERT_TITLE) != CERT_TITLE:
            return lang.code
    return SOURCE_LANGUAGE


@dataclass(frozen=True)
class _Certificate:
    language: str
    name: str
    lines: dict[str, str]
    topics: list[str]


def write_certificates(services: Services, session_id: str, path: Path,
                       participant_ids: Sequence[str] | None = None) -> int:
    """One page per participant who attended (all of them, or those in
    ``participant_ids``), each in the holder's language; returns the number of pages.
    Raises ``PrintoutError`` when nobody is left to certify, ``OSError`` on write."""
    with services.db.session() as db:
        session = session_service.get_session(db, session_id)
        people = reports.attended_participants(db, session_id)
        covered = reports.session_report(db, session_id, tuple(m.id for m in services.content.modules()))
    if participant_ids is not None:
        wanted = set(participant_ids)
        people = [p for p in people if p.participant_id in wanted]
    if not people:
        raise PrintoutError("Nobody attended this session, so there is no certificate to print.")
    certificates = [_certificate(services, session, person, covered.modules_covered) for person in people]

    def draw(writer: QPdfWriter, painter: QPainter) -> None:
        for index, cert in enumerate(certificates):
            if index:
                writer.newPage()
            _draw_certificate(painter, QRectF(0, 0, writer.width(), writer.height()), cert)

    data = _pdf_bytes(draw, landscape=True, title=_("Attendance certificates"))
    atomic_write_bytes(Path(path), data)
    return len(certificates)


def _certificate(services: Services, session: session_service.SessionSummary, person: reports.RosterLine,
                 modules: tuple[str, ...]) -> _Certificate:
    code = certificate_language(services, person.languages, session.language)
    tr = translator_for(code, services.locale_dir)
    towns = [reports.town_key(t) for t in session.destination_towns]
    town = person.destination or (towns[0] if len(towns) == 1 else "")
    lines = {
        "programme": tr(CERT_PROGRAMME),
        "title": tr(CERT_TITLE),
        "intro": tr(CERT_INTRO),
        "body": tr(CERT_BODY).format(date=format_date(session.session_date, "long", code=code),
                                     place=isolate(session.place) if session.place else "—"),
        "destination": tr(CERT_DESTINATION).format(town=isolate(_town_name(services, town, code))) if town else "",
        "topics": tr(CERT_TOPICS),
        "facilitator": (tr(CERT_FACILITATOR_NAMED).format(name=isolate(session.facilitator))
                        if session.facilitator else tr(CERT_FACILITATOR)),
    }
    topics = []
    for module_id in modules:
        module = services.content.module(module_id, code)
        topics.append(module.title if module is not None else module_id)
    return _Certificate(code, f"{person.given_name} {person.family_name}".strip(), lines, topics)


def _draw_certificate(painter: QPainter, page: QRectF, cert: _Certificate) -> None:
    rtl = is_rtl(cert.language)
    painter.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
    frame = page.adjusted(_mm(12), _mm(12), -_mm(12), -_mm(12))
    pen = QPen(ACCENT)
    pen.setWidthF(_mm(1.2))
    painter.setPen(pen)
    painter.drawRect(frame)
    pen.setWidthF(_mm(0.3))
    painter.setPen(pen)
    painter.drawRect(frame.adjusted(_mm(3), _mm(3), -_mm(3), -_mm(3)))
    inner = frame.adjusted(_mm(18), _mm(12), -_mm(18), -_mm(10))
    # The facilitator signs at the bottom; the text is centred in the space above,
    # in smaller type when a long list of topics would not fit.
    signature_h = _mm(26)
    text_area = QRectF(inner.left(), inner.top(), inner.width(), inner.height() - signature_h)
    scale = 1.0
    height = _certificate_text(painter, text_area, cert, scale, draw=False)
    while height > text_area.height() and scale > 0.6:
        scale -= 0.05
        height = _certificate_text(painter, text_area, cert, scale, draw=False)
    top = text_area.top() + max(0.0, (text_area.height() - height) / 2)
    _certificate_text(painter, QRectF(text_area.left(), top, text_area.width(), text_area.height()), cert, scale,
                      draw=True)
    sign_w = _mm(90)
    x = inner.left() + (inner.width() - sign_w) / 2
    base = inner.bottom() - _mm(10)
    pen = QPen(INK)
    pen.setWidthF(_mm(0.3))
    painter.setPen(pen)
    painter.drawLine(int(x), int(base), int(x + sign_w), int(base))
    painter.setFont(_font(11))
    painter.drawText(QRectF(x - _mm(30), base + _mm(1.5), sign_w + _mm(60), _mm(8)),
                     int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), cert.lines["facilitator"])


def _certificate_text(painter: QPainter, area: QRectF, cert: _Certificate, scale: float, *, draw: bool) -> float:
    """Lay out (and with ``draw`` paint) the certificate's text from the top of ``area``;
    returns the height it takes."""
    center = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
    y = area.top()

    def line(text: str, points: float, *, bold: bool = False, colour: QColor = INK, gap: float = 3) -> None:
        nonlocal y
        if not text:
            return
        painter.setFont(_font(points * scale, bold=bold))
        painter.setPen(colour)
        box = painter.boundingRect(QRectF(area.left(), y, area.width(), _mm(200)), center, text)
        if draw:
            painter.drawText(QRectF(area.left(), y, area.width(), box.height()), center, text)
        y += box.height() + _mm(gap * scale)

    line(cert.lines["programme"], 12, colour=ACCENT, gap=6)
    line(cert.lines["title"], 30, bold=True, colour=ACCENT, gap=8)
    line(cert.lines["intro"], 15, gap=2)
    line(cert.name, 28, bold=True, gap=4)
    line(cert.lines["body"], 15, gap=2)
    line(cert.lines["destination"], 15, gap=7)
    if cert.topics:
        line(cert.lines["topics"], 13, bold=True, colour=ACCENT, gap=1)
        line("  ·  ".join(cert.topics), 13, gap=0)
    return y - area.top()
