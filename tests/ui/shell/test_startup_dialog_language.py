"""A start-up failure's dialog (the data folder already in use) speaks the interface
language to the last word: its OK button read "OK" on a Tigrinya screen (issue 20)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from co_app.core.foundation import i18n
from co_app.ui.shell.application import fatal_error_box


def test_the_start_up_failures_ok_button_is_in_tigrinya(qtbot, locale_dir):
    i18n.set_language("ti", locale_dir)
    try:
        box = fatal_error_box("…")
        qtbot.addWidget(box)
        ok = box.button(QMessageBox.StandardButton.Ok).text().replace("&", "")
        assert ok == i18n.pgettext("Qt: dialog button", "OK") == "ሕራይ"
    finally:
        i18n.set_language("en", locale_dir)
        box.switcher.apply("en")  # its translators go: the tests after this one are in English
