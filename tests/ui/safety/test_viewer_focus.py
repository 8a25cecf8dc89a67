"""The viewer's language page gives the keyboard's focus to the language on screen: on an
Arabic screen English had it, so Enter or Space switched a participant to English
(issue 20)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from co_app.core.foundation import i18n
from co_app.core.safety.pin import set_pin


def test_on_an_arabic_screen_the_viewer_focuses_arabic(qtbot, make_window, services, locale_dir):
    with services.db.session() as db:
        set_pin(db, "2580")
    i18n.set_language("ar", locale_dir)
    window = make_window(kiosk=True)
    start = window.current_view()
    assert start.key == "welcome"
    start.refresh()
    arabic = next(b for b in start.language_buttons if b.property("code") == "ar")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is arabic, timeout=3000)
    assert arabic.text() == "العربية"
