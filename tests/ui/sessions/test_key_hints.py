"""Hints that name keys read in the interface language's own direction (issue 20): in Arabic
the film's "Esc: back to the slides · Space or Page Down: …" started with "Esc", so Qt laid
the whole line out left to right and the key/action pairs changed places on the projector's
note and on the runner."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from co_app.core.foundation import i18n
from co_app.player.protocol import PlayerState
from co_app.ui.shell.keyboard import key_hint
from tests.ui.sessions.test_runner_film import run

ISOLATES = "\u2066\u2067\u2068"


def paragraph_direction(text: str) -> str:
    """The direction Qt gives a plain label's text: its first strong letter outside isolates
    (Unicode's rules P2 and P3)."""
    depth = 0
    for char in text:
        if char in ISOLATES:
            depth += 1
        elif char == "\u2069":
            depth = max(0, depth - 1)
        elif not depth and unicodedata.bidirectional(char) in ("L", "R", "AL"):
            return "ltr" if unicodedata.bidirectional(char) == "L" else "rtl"
    return "ltr"


def keys_isolated(text: str, *names: str) -> bool:
    """Each key name is there, and only inside its own left-to-right isolate."""
    rest = text
    for name in names:
        if f"\u2066{name}\u2069" not in rest:
            return False
        rest = rest.replace(f"\u2066{name}\u2069", "")
    return not any(name in rest for name in names)


def test_the_helper_lays_a_hint_out_in_the_languages_direction(services, locale_dir):
    english = key_hint(i18n._("P or F5; Esc stops; B or “.”: a calm screen"))
    assert paragraph_direction(english) == "ltr" and keys_isolated(english, "P", "F5", "Esc", "B")
    i18n.set_language("ar", locale_dir)
    try:
        arabic = key_hint(i18n._("P or F5; Esc stops; B or “.”: a calm screen"))
        assert paragraph_direction(arabic) == "rtl" and keys_isolated(arabic, "P", "F5", "Esc", "B")
        assert "\u2066«.»\u2069" in arabic
    finally:
        i18n.set_language("en", locale_dir)


def test_the_film_keys_hint_is_right_to_left_in_arabic_on_the_runner_and_the_projector(
        qtbot, make_window, services, locale_dir):
    window = make_window()
    i18n.set_language("ar", locale_dir)
    try:
        runner = run(qtbot, window, services, "ar")
        runner.go_to_step(1)
        start = runner.film_hint.text()
        assert paragraph_direction(start) == "rtl" and keys_isolated(start, "Page Down")
        panel = window.view("films").player_panel
        runner.activateWindow()
        qtbot.keyClick(runner, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: panel.player.state() is PlayerState.PLAYING, timeout=3000)
        QApplication.processEvents()
        for text in (runner.film_hint.text(), panel.output.note.text()):
            assert "الشرائح" in text  # the Arabic hint, not the English one
            assert paragraph_direction(text) == "rtl"
            assert keys_isolated(text, "Esc", "Page Down", "B")
        runner.close()
    finally:
        i18n.set_language("en", locale_dir)
