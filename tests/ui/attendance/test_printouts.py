"""The paper a session needs: the sign-in sheet and the attendance certificates (PDF).

The files are read back with pypdf: page count and the text on each page, names in
Latin, Arabic and Dari script included.  (PDF text comes out in visual order with
Arabic presentation forms, so it is normalised before it is compared.)
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from co_app.core.foundation import i18n
from co_app.ui.attendance import printouts
from co_app.ui.attendance.session_actions import SessionActions
from tests.ui.attendance_data import ARABIC_CERTIFICATE, locales_with_arabic_certificate, seed_session


def _is_arabic(token: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in token)


def page_text(page) -> tuple[str, set[str]]:  # a pypdf page
    """The page's text with spaces normalised, and its words (Arabic words also in
    reading order: PDF text is stored left to right as drawn)."""
    text = unicodedata.normalize("NFKC", page.extract_text())
    words = set()
    for token in text.split():
        words.add(token)
        if _is_arabic(token):
            words.add(token[::-1])
    return " ".join(text.split()), words


def read_pages(path: Path) -> list[tuple[str, set[str]]]:
    return [page_text(page) for page in PdfReader(str(path)).pages]


def session_language(services, session_id: str, code: str) -> None:
    """The seeded session is in Arabic; some tests read an English sheet."""
    from co_app.core.db.models import CoSession

    with services.db.session() as db:
        db.get(CoSession, session_id).language = code
        db.commit()


def test_sign_in_sheet_lists_everyone_expected(qapp, services, tmp_path: Path) -> None:
    seeded = seed_session(services)
    session_language(services, seeded.session_id, "en")
    target = tmp_path / "sheet.pdf"
    assert printouts.write_sign_in_sheet(services, seeded.session_id, target) == 1
    pages = read_pages(target)
    assert len(pages) == 1
    text, words = pages[0]
    assert "Sign-in sheet" in text and "Page 1 of 1" in text
    assert "Transit Centre, Timișoara" in text and "Maria Popescu" in text and "Jena" in text
    for case in ("SYR-001", "SYR-002", "AFG-001", "AFG-002", "ERI-001", "COD-001"):
        assert case in words
    for name in ("Omar", "Al-Hassan", "Yusuf", "Haidari", "Mariam", "Tesfay", "Jean", "Mukendi"):
        assert name in words
    assert {"أمل", "الحسن"} <= words  # Arabic
    assert {"فرشته", "احمدی"} <= words  # Dari
    # The household column says who belongs together: SYR-001 and AFG-001 have two people
    # on the list, ERI-001 and COD-001 one (it no longer repeats the case number).
    assert "Household" in text and text.count("1 of 2") == 2 and text.count("2 of 2") == 2
    assert text.replace("Page 1 of 1", "").count("1 of 1") == 2
    # The 6 expected people, then empty numbered lines for walk-ins to the end of the page.
    assert str(printouts.ROWS_PER_PAGE) in words
    assert not list(tmp_path.glob(".*.tmp")), "the temporary file is renamed, never left behind"


def test_the_sign_in_sheet_gives_the_check_in_time_of_those_who_came(qapp, services, tmp_path: Path) -> None:
    """Issue 20, 8: the time column was left empty even for people already checked in."""
    from datetime import datetime, timezone

    from co_app.core.db.models import AttendanceRecord

    seeded = seed_session(services)
    session_language(services, seeded.session_id, "en")
    arrivals = {"Omar Al-Hassan": datetime(2025, 3, 10, 7, 41, tzinfo=timezone.utc),
                "Jean Mukendi": datetime(2025, 3, 10, 8, 2, tzinfo=timezone.utc),
                "Yusuf Haidari": datetime(2025, 3, 10, 8, 17, tzinfo=timezone.utc)}  # absent: no time
    with services.db.session() as db:
        for name, when in arrivals.items():
            record = db.query(AttendanceRecord).filter_by(session_id=seeded.session_id,
                                                          participant_id=seeded.ids[name]).one()
            record.checked_in_at = when
        db.commit()
    target = tmp_path / "sheet.pdf"
    printouts.write_sign_in_sheet(services, seeded.session_id, target)
    text, words = read_pages(target)[0]
    shown = {name: when.astimezone().strftime("%H:%M") for name, when in arrivals.items()}
    assert shown["Omar Al-Hassan"] in words and shown["Jean Mukendi"] in words
    assert shown["Yusuf Haidari"] not in words  # not checked in: the line stays empty for the time
    assert "Al-Hassan" in text and "Mukendi" in text


@pytest.mark.parametrize(("extra", "expected_pages"), [(0, 1), (6, 1), (7, 2), (24, 2), (27, 3)])
def test_a_long_list_runs_over_pages_with_room_for_walk_ins(qapp, services, tmp_path: Path, extra: int,
                                                            expected_pages: int) -> None:
    # 6 people + extra; 20 rows a page, at least 8 empty ones: 6+6+8 = 20 fits one page, 6+7+8 = 21 does not.
    seeded = seed_session(services, extra_expected=extra)
    session_language(services, seeded.session_id, "en")
    target = tmp_path / "sheet.pdf"
    assert printouts.write_sign_in_sheet(services, seeded.session_id, target) == expected_pages
    pages = read_pages(target)
    assert len(pages) == expected_pages
    last_text, last_words = pages[-1]
    assert f"Page {expected_pages} of {expected_pages}" in last_text
    assert str(expected_pages * printouts.ROWS_PER_PAGE) in last_words  # the last numbered line
    all_words = set().union(*(words for _text, words in pages))
    last_expected = f"Extra{extra - 1:03d}" if extra else "Omar"
    assert last_expected in all_words


def test_a_session_without_a_list_gets_a_sheet_of_empty_lines(qapp, services, tmp_path: Path) -> None:
    from datetime import date

    from co_app.core.sessions import service as session_service

    with services.db.session() as db:
        session = session_service.create_session(db, day=date(2025, 4, 1), place="Hall", facilitator="Maria Popescu",
                                                 language="fr", destination_towns=["italy-biella"])
    target = tmp_path / "sheet.pdf"
    assert printouts.write_sign_in_sheet(services, session.id, target) == 1
    [(text, words)] = read_pages(target)
    assert "Page 1 sur 1" in text and "Biella" in text and {"1", "20"} <= words  # a French group


def test_the_sign_in_sheet_of_an_arabic_session_is_in_arabic(qapp, services, tmp_path: Path, locale_dir) -> None:
    # The interface is in English; the group reads Arabic, and signs from the right.
    seeded = seed_session(services)
    target = tmp_path / "sheet.pdf"
    assert printouts.write_sign_in_sheet(services, seeded.session_id, target) == 1
    [(text, words)] = read_pages(target)
    arabic = i18n.translator_for("ar", locale_dir)
    instruction = arabic(printouts.SHEET_INSTRUCTION)
    assert instruction != printouts.SHEET_INSTRUCTION  # the catalog translates it
    assert {word.strip(".؟?،") for word in instruction.split()} <= {word.strip(".؟?،") for word in words}
    for english in (printouts.SHEET_TITLE, printouts.SHEET_INSTRUCTION, printouts.SHEET_HOUSEHOLD):
        assert arabic(english) != english
        assert english not in text
    assert {word for word in arabic(printouts.SHEET_TITLE).split() if len(word) > 3} <= words
    assert {"SYR-001", "Omar", "Al-Hassan"} <= words  # names and case numbers as written
    assert i18n.current_language() == "en", "the interface keeps its language"


def test_the_case_number_is_never_cut_and_the_household_shows_its_size(qapp, services, tmp_path: Path) -> None:
    # Demo-like case numbers: long, and shared by the household's people.
    seeded = seed_session(services)
    session_language(services, seeded.session_id, "en")
    from co_app.core.db.models import Household, Participant

    long_case = "AFG-26C09123-WW-0042-LONG"
    with services.db.session() as db:
        for person in db.query(Participant).all():
            person.case_number = person.case_number.replace("-00", "-26C0912300")
        db.query(Household).filter(Household.case_number == "AFG-001").one().case_number = long_case
        db.get(Participant, seeded.ids["Yusuf Haidari"]).case_number = long_case
        db.commit()
    target = tmp_path / "sheet.pdf"
    printouts.write_sign_in_sheet(services, seeded.session_id, target)
    [(text, words)] = read_pages(target)
    assert long_case in words and "…" not in text.replace("...", "")
    assert {"SYR-26C09123001", "SYR-26C09123002", "COD-26C09123001"} <= words
    assert {"Yusuf", "Haidari", "Mukendi"} <= words  # the name keeps its room


def test_certificates_one_page_each_in_the_holders_language(qapp, services, tmp_path: Path, locale_dir) -> None:
    services.locale_dir = locales_with_arabic_certificate(locale_dir, tmp_path / "locales")
    seeded = seed_session(services)
    target = tmp_path / "certificates.pdf"
    assert printouts.write_certificates(services, seeded.session_id, target) == 5  # Yusuf was absent
    pages = read_pages(target)
    assert len(pages) == 5
    # Households together: AFG-001, COD-001, ERI-001, SYR-001 (two people).
    names = [{"فرشته", "احمدی"}, {"Jean", "Mukendi"}, {"Mariam", "Tesfay"}, {"أمل", "الحسن"}, {"Omar", "Al-Hassan"}]
    title = set(ARABIC_CERTIFICATE["Certificate of attendance"].split())
    # Each in the holder's first language: Dari, French, Tigrinya, Arabic, Arabic.
    scripts = ["\u0600-\u06ff", "A-Za-z", "\u1200-\u137f", "\u0600-\u06ff", "\u0600-\u06ff"]
    import re

    for (text, words), name, script in zip(pages, names, scripts):
        assert name <= words
        assert "Certificate" not in text and "Maria Popescu" in text
        assert re.search(f"[{script}]", text.replace("Maria Popescu", ""))
    assert title <= pages[3][1] and title <= pages[4][1]  # the Arabic speakers
    assert "Attestation" in pages[1][0]  # Jean Mukendi reads French
    assert i18n.current_language() == "en", "the interface keeps its language"


def test_certificate_language_rule(services, tmp_path: Path, locale_dir) -> None:
    services.locale_dir = locales_with_arabic_certificate(locale_dir, tmp_path / "locales")
    rule = printouts.certificate_language
    assert rule(services, ["ar", "fr"], "fr") == "ar"  # the first language, when it has the certificate
    assert rule(services, ["ps", "ar"], "ar") == "ar"  # no Pashto catalog: the session's language
    assert rule(services, ["fa-AF"], "ar") == "fa_AF"  # Dari's catalog has the certificate
    assert rule(services, ["uk"], "ps") == "en"  # neither: English
    assert rule(services, [], "ar") == "ar"


def test_certificates_in_english_when_no_catalog_has_them(qapp, services, tmp_path: Path) -> None:
    (tmp_path / "no-catalogs").mkdir()
    services.locale_dir = tmp_path / "no-catalogs"  # an installation without the holders' languages
    seeded = seed_session(services)
    target = tmp_path / "certificates.pdf"
    omar = seeded.ids["Omar Al-Hassan"]
    assert printouts.write_certificates(services, seeded.session_id, target, participant_ids=[omar]) == 1
    [(text, words)] = read_pages(target)
    assert "Certificate of attendance" in text and {"Omar", "Al-Hassan"} <= words
    assert "March 10, 2025" in text and "Transit Centre, Timișoara" in text
    assert "Housing" in text and "Health and wellbeing" in text and "Journey" not in text


def test_no_certificate_for_a_session_nobody_attended(qapp, services, tmp_path: Path) -> None:
    seeded = seed_session(services)
    yusuf = seeded.ids["Yusuf Haidari"]  # absent
    with pytest.raises(printouts.PrintoutError):
        printouts.write_certificates(services, seeded.session_id, tmp_path / "c.pdf", participant_ids=[yusuf])
    assert not (tmp_path / "c.pdf").exists()


def test_the_buttons_save_where_the_user_chose_and_say_so(qtbot, services, tmp_path: Path) -> None:
    seeded = seed_session(services)
    actions = SessionActions(services)
    qtbot.addWidget(actions)
    actions.set_session(seeded.session_id)
    actions.show()
    chosen: list[Path] = [tmp_path / "my-sheet"]
    suggested: list[Path] = []

    def choose(title: str, offered: Path) -> Path:
        suggested.append(offered)
        return chosen[0]

    actions.choose_path = choose  # stands in for the file dialog
    qtbot.mouseClick(actions.sign_in_button, Qt.MouseButton.LeftButton)
    # First in the data folder's exports, named for the session.
    assert suggested == [services.paths.exports / "sign-in-sheet-2025-03-10-session-1-transit-centre-timisoara.pdf"]
    saved = tmp_path / "my-sheet.pdf"  # ".pdf" added
    assert len(PdfReader(str(saved)).pages) == 1
    assert actions.message.isVisible()
    assert "Saved" in actions.message.text() and "my-sheet.pdf" in actions.message.text()

    chosen[0] = tmp_path / "certificates.pdf"
    qtbot.mouseClick(actions.certificates_button, Qt.MouseButton.LeftButton)
    assert len(PdfReader(str(chosen[0])).pages) == 5
    assert "5 pages" in actions.message.text()
    # Then where the last one went.
    assert suggested[1] == tmp_path / "attendance-certificates-2025-03-10-session-1-transit-centre-timisoara.pdf"


def test_the_save_dialog_opens_in_the_exports_folder(qtbot, services, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    seeded = seed_session(services, place="مركز الحمرا، بيروت")
    actions = SessionActions(services)
    qtbot.addWidget(actions)
    actions.set_session(seeded.session_id)
    opened: list[str] = []

    def dialog(parent, caption, directory, filters):  # QFileDialog's arguments
        opened.append(directory)
        return "", ""  # the user cancels

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    qtbot.mouseClick(actions.sign_in_button, Qt.MouseButton.LeftButton)
    assert opened == [str(services.paths.exports / "sign-in-sheet-2025-03-10-session-1-مركز-الحمرا-بيروت.pdf")]
    assert services.paths.exports.is_dir() and not actions.message.isVisible()


def test_the_buttons_wrap_rather_than_cut_their_words(qtbot, services, locale_dir) -> None:
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    seeded = seed_session(services)
    i18n.set_language("ar", locale_dir)
    page = QWidget()
    page.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    qtbot.addWidget(page)
    actions = SessionActions(services)
    QVBoxLayout(page).addWidget(actions)
    actions.set_session(seeded.session_id)
    buttons = (actions.close_button, actions.sign_in_button, actions.certificates_button)
    assert actions.certificates_button.text() == i18n._("Attendance certificates…") != "Attendance certificates…"
    for width in (900, 420):
        page.resize(width, 400)
        page.show()
        qtbot.waitExposed(page)
        qtbot.waitUntil(lambda: actions.width() <= width, timeout=2000)  # noqa: B023 - waited for before the loop moves on
        for button in buttons:
            assert button.width() >= button.sizeHint().width(), (width, button.text())
            assert actions.rect().contains(button.geometry().translated(actions.buttons.pos())), (width, button.text())
    # At 420 pixels they are on more than one line, the first on the right (Arabic).
    tops = {button.geometry().top() for button in buttons}
    assert len(tops) > 1
    assert actions.close_button.geometry().right() > actions.close_button.parentWidget().width() - 20


def test_a_failed_save_names_the_file(qtbot, services, tmp_path: Path) -> None:
    seeded = seed_session(services)
    actions = SessionActions(services)
    qtbot.addWidget(actions)
    actions.set_session(seeded.session_id)
    actions.show()
    gone = tmp_path / "usb-stick-removed" / "sheet.pdf"  # the folder is no longer there
    actions.choose_path = lambda title, name: gone
    qtbot.mouseClick(actions.sign_in_button, Qt.MouseButton.LeftButton)
    assert actions.message.isVisible() and actions.message.objectName() == "warning"
    assert "Could not save" in actions.message.text() and str(gone) in actions.message.text()
    assert not gone.exists()
