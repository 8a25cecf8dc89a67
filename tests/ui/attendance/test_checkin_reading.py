"""Check-in in Tigrinya (issue 20): the counter says "2 of 29" in that order (it read
"ካብ 29 2 ተመዝጊቦም", of 29 2), and the status column shows its whole text (Ge'ez script's
last letter touched the border and was cut)."""

from __future__ import annotations

from co_app.core.foundation import i18n
from tests.ui.attendance.test_checkin import panel, session_id  # noqa: F401 - fixtures

PADDING = 6  # the cells' room on each side (checkin_results.py)


def test_the_tigrinya_counter_names_the_checked_in_before_the_expected(locale_dir):
    for lang in ("ti", "ar", "fa_AF", "so", "fr"):
        text = i18n.translator_for(lang, locale_dir)("{attended} of {expected} checked in")
        assert "{attended}" in text and "{expected}" in text, (lang, text)
    tigrinya = i18n.translator_for("ti", locale_dir)("{attended} of {expected} checked in")
    assert tigrinya.index("{attended}") < tigrinya.index("{expected}"), tigrinya


def test_in_tigrinya_the_counter_reads_in_order_and_no_status_is_cut(qtbot, panel, services, locale_dir):  # noqa: F811
    i18n.set_language("ti", locale_dir)
    try:
        panel.retranslate()
        panel.refresh()
        qtbot.waitUntil(lambda: panel.table.rowCount() > 0)
        counts = panel.counts.text()
        expected = panel.table.rowCount()
        assert counts.startswith(f"0 ካብ {expected} "), counts
        table = panel.table
        metrics = table.fontMetrics()
        for row in range(table.rowCount()):
            for column in (1, 2):
                text = table.item(row, column).text()
                assert metrics.horizontalAdvance(text) + 2 * PADDING <= table.columnWidth(column), (row, text)
    finally:
        i18n.set_language("en", locale_dir)


def test_no_one_found_is_information_not_a_red_error(qtbot, panel):  # noqa: F811
    """A walk-in is normal at the door: "No one found … press Enter again to add them" is
    styled as information; red stays for real errors."""
    from co_app.ui.attendance.checkin_banner import BANNER_STYLES
    from tests.ui.attendance.test_checkin import type_and_enter

    type_and_enter(qtbot, panel, "Yonas Gebremedhin")
    assert panel.banner_text().startswith("No one found")
    assert BANNER_STYLES["info"] in panel.banner.styleSheet()
    assert BANNER_STYLES["error"] not in panel.banner.styleSheet()


def test_the_session_list_gives_the_place_a_line_of_its_own_in_arabic(qtbot, make_window, services,
                                                                      session_id, locale_dir):  # noqa: F811
    """"Beirut, Hamra centre" wrapped beside an Arabic status showed "Beirut, · مفتوحة" (the
    place's start against the status): the status ends the session's line, then the place,
    isolated, on a line of its own; drawn right to left, the status is at the line's end
    (its left), the place's line starts at the right edge."""
    from PySide6.QtCore import Qt

    from tests.ui.helpers import click_nav

    i18n.set_language("ar", locale_dir)
    try:
        window = make_window()
        click_nav(qtbot, window, "attendance")
        page = window.view("attendance")
        assert page.sessions.layoutDirection() == Qt.LayoutDirection.RightToLeft
        text = page.sessions.item(0).text()
        first, second = text.split("\n")[:2]
        assert first.endswith(" · مفتوحة"), text
        assert second == "\u2068Amman\u2069", text  # the place alone, isolated
    finally:
        i18n.set_language("en", locale_dir)
