"""Switching the interface language at run time: catalog, Qt's own strings, direction."""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from co_app.core.foundation import i18n

log = logging.getLogger(__name__)


class LanguageSwitcher:
    """Owns Qt's translator for its built-in strings and the layout direction."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self._qt_translator: QTranslator | None = None
        self._our_qt_strings: QTranslator | None = None
        self._rtl = False

    def apply(self, code: str) -> None:
        """Apply ``code`` (already set in co_app.core.foundation.i18n) to Qt."""
        from co_app.ui.shell.fonts import load_for_language

        load_for_language(code)  # its script's bundled font, before any of its text is drawn
        for old in (self._qt_translator, self._our_qt_strings):
            if old is not None:
                self.app.removeTranslator(old)
        self._qt_translator = self._our_qt_strings = None
        if code != "en":
            translator = QTranslator(self.app)
            folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if translator.load(f"qtbase_{code}", folder):  # Arabic, Persian, French: Qt's own
                self.app.installTranslator(translator)
                self._qt_translator = translator
            from co_app.ui.shell.qt_strings import QtStringsTranslator

            # Then ours (the last installed is asked first): Tigrinya and Somali have no Qt
            # file, and a text field's menu and the dialog buttons must not stay English.
            self._our_qt_strings = QtStringsTranslator(self.app)
            self.app.installTranslator(self._our_qt_strings)
        QLocale.setDefault(QLocale(code))
        rtl = i18n.layout_is_rtl(code)
        if rtl or self._rtl:
            # Only when the direction changes: the first touch of Qt's enum namespace costs
            # start-up time, and a new application is left-to-right already.
            from PySide6.QtCore import Qt

            direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
            self.app.setLayoutDirection(direction)
        self._rtl = rtl
        log.info("interface language %s (%s)", code, "right to left" if rtl else "left to right")


def digits_locale() -> QLocale:
    """The interface language's locale, but in the digits ``i18n.format_number`` writes:
    Western digits in Arabic and Dari, as in every label and report (Qt alone writes ٢٠٢٦ and
    ۱۴).  The one digit convention for a spin box or date box."""
    sample = i18n.format_number(1234567890)
    if all(char in "0123456789" for char in sample if char.isdigit()):
        return QLocale.c()
    return QLocale()


def use_app_digits(*widgets) -> None:
    """Spin boxes and date boxes in the app's digits; a date box's calendar keeps the
    language's month and day names.  Call again when the language changes."""
    locale = digits_locale()
    for widget in widgets:
        widget.setLocale(locale)
        calendar = getattr(widget, "calendarWidget", lambda: None)()
        if calendar is not None:
            calendar.setLocale(QLocale())


def listen_while_alive(widget, callback) -> None:  # a QObject and its method taking the code
    """``callback(code)`` after every language switch, for as long as ``widget`` exists: Qt may
    delete a window without a close event (a viewer refuses close(); its parent goes), and a
    listener left behind failed the next switch on its deleted widgets until Python's garbage
    collector happened to drop it."""
    from functools import partial

    i18n.add_language_listener(callback)
    widget.destroyed.connect(partial(i18n.remove_language_listener, callback))
