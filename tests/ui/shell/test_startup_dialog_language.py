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


def test_a_window_deleted_without_closing_stops_listening_to_language_switches(qtbot, make_window, services,
                                                                             locale_dir):
    """The cause of this file's test failing once in a full run: a window Qt deleted without
    a close event (a viewer refuses close(), and qtbot's teardown then deletes it) stayed in
    the language's listeners until Python's garbage collector found it; a later test's
    ``set_language`` (this file's first line) called it and failed on its deleted widgets, or
    not, as the collector's timing had it.  Deleted, a window is no longer called."""
    import shiboken6

    from co_app.ui.shell.application import create_main_window, qt_application
    from co_app.player.backends import fake_factory

    window = create_main_window(qt_application(), services, kiosk=False, player_factory=fake_factory)
    shiboken6.delete(window)  # no close event, the Python object still referenced (as by a cycle)
    assert not shiboken6.isValid(window)
    try:
        # Raised "Internal C++ object (MainWindow) already deleted" from the window's listener.
        assert i18n.set_language("ti", locale_dir) == "ti"
        assert i18n.current_language() == "ti"
    finally:
        i18n.set_language("en", locale_dir)
