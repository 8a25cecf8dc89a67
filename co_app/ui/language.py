"""Switching the interface language at run time: catalog, Qt's own strings, direction."""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from co_app.core import i18n

log = logging.getLogger(__name__)


class LanguageSwitcher:
    """Owns Qt's translator for its built-in strings and the layout direction."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self._qt_translator: QTranslator | None = None

    def apply(self, code: str) -> None:
        """Apply ``code`` (already set in co_app.core.i18n) to Qt."""
        if self._qt_translator is not None:
            self.app.removeTranslator(self._qt_translator)
            self._qt_translator = None
        translator = QTranslator(self.app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if code != "en" and translator.load(f"qtbase_{code}", folder):
            self.app.installTranslator(translator)
            self._qt_translator = translator
        QLocale.setDefault(QLocale(code))
        direction = Qt.LayoutDirection.RightToLeft if i18n.layout_is_rtl(code) else Qt.LayoutDirection.LeftToRight
        self.app.setLayoutDirection(direction)
        log.info("interface language %s (%s)", code, direction.name)
