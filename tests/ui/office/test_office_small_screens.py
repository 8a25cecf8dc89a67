"""The window over the office's hub (``main.py --db URL``) fits a 1024×600 netbook and a
1366×768 laptop too (issue 20, 1), in English, Arabic and Tigrinya, with the usual and the
largest text: the Office page's three tabs (Laptops, Reports, Possible duplicates) with two
laptops' packages imported, and the window's other pages — no button cut, no tab hidden
behind Qt's scroll arrows, nothing scrolling sideways, the window no larger than the screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from co_app.ui.shell.theme import apply_theme
from tests.ui.office.office_data import make_stick
from tests.ui.shell.small_screen_checks import cut_cells, outside, visible_rows
from tests.ui.shell.test_small_screens import LAPTOP, SCREEN, fit, fits

OFFICE_TABS = ("laptops", "reports", "duplicates")
SESSION_TABS = ("participants", "agenda", "coverage", "report")  # no check-in at the office


@pytest.fixture
def office_window(qtbot, make_window, sqlite_url, tmp_path: Path, locale_dir: Path, qapp):
    """``office_window(language, larger_text)``: the window over a SQLite hub holding two
    laptops' packages, started in that language (as ``main.py --db URL --lang ar``)."""
    from co_app.core.bootstrap import bootstrap
    from co_app.core.foundation import i18n
    from co_app.core.office.usb_import import import_folder

    made = []

    def make(language: str, larger_text: bool):
        stick = make_stick(tmp_path, sqlite_url)
        data = tmp_path / "office-data"
        data.mkdir()
        services = bootstrap(data, language=language, locale_dir=locale_dir, hub=sqlite_url)
        made.append(services)
        import_folder(services.db.engine, stick.folder, enrol=True)
        services.settings.larger_text = larger_text
        return make_window(svc=services)

    yield make
    for services in made:
        services.settings.larger_text = False
        services.close()
    apply_theme(qapp, larger_text=False)
    i18n.set_language("en", locale_dir)


@pytest.mark.parametrize("larger_text", [False, True], ids=["usual-text", "larger-text"])
@pytest.mark.parametrize("screen", [SCREEN, LAPTOP], ids=["1024x600", "1366x768"])
@pytest.mark.parametrize("language", ["en", "ar", "ti"])
def test_the_office_window_fits_small_screens(qtbot, office_window, language, screen, larger_text) -> None:
    window = office_window(language, larger_text)
    fit(qtbot, window, screen)
    office = window.view("office")
    window.show_view("office")
    for key in OFFICE_TABS:
        panel = office.show_tab(key)
        qtbot.waitUntil(lambda panel=panel: not panel.busy, timeout=30000)
        fits(qtbot, window, f"office: {key}", screen)
        assert outside(window, office.import_button) is None, outside(window, office.import_button)
        assert cut_cells(window) == [], f"office: {key}: cells cut"
        assert panel.table.rowCount() >= 1, key  # two laptops, one family on both
        if key != "reports":  # (its table scrolls with the page)
            # Two whole proposals; one whole laptop (in Arabic with larger text at 1024 px its
            # dates wrap over four lines: one row is 180 px high).
            least = 2 if key == "duplicates" else 1
            shown = visible_rows(panel.table)
            assert shown >= least, f"office: {key} shows {shown} whole rows"
    for key in window.view_keys:
        window.show_view(key)
        qtbot.waitUntil(lambda key=key: window.current_view().key == key, timeout=3000)
        fits(qtbot, window, key, screen)
    attendance = window.view("attendance")
    window.show_view("attendance")
    attendance.sessions.setCurrentRow(0)
    for tab in SESSION_TABS:
        attendance.show_page(tab)
        fits(qtbot, window, f"attendance: {tab}", screen)


@pytest.mark.parametrize("lang", ["en", "ar", "ti"])
def test_a_laptops_date_is_never_broken_over_two_lines(lang: str) -> None:
    """A narrow column wraps between dates, not inside one: an Arabic '2026/12/07' was split
    after its slashes over three lines of the Laptops table at 1024×600 with larger text."""
    from datetime import date

    from PySide6.QtGui import QFont, QFontMetrics
    from PySide6.QtCore import Qt

    from co_app.core.foundation import i18n
    from co_app.ui.office.laptops import whole_date

    i18n.set_language(lang)
    try:
        text = whole_date(date(2026, 12, 7))
        metrics = QFontMetrics(QFont())
        one_line = metrics.boundingRect(0, 0, 10_000, 1000, int(Qt.TextFlag.TextWordWrap), text).height()
        narrow = metrics.boundingRect(0, 0, 10, 1000, int(Qt.TextFlag.TextWordWrap), text).height()
        assert narrow == one_line  # even 10 px wide, the date stays one line (it is cut, never split)
    finally:
        i18n.set_language("en")
