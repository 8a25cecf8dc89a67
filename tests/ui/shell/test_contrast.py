"""Contrast good enough for a washed-out projector: every text colour the theme and the
slides declare, against the background it is drawn on, reaches WCAG's enhanced level
(7:1) — disabled controls excepted, as WCAG does."""

from __future__ import annotations

import re

import pytest

from co_app.ui.shell import theme
from co_app.ui.sessions import slide_view

PAGE, CARD = "#f7f7f4", "#ffffff"
SIDEBAR = "#123c4a"  # the navigation column: its labels are drawn on it
SLIDE = "#fbfaf5"
HEX = r"#[0-9a-fA-F]{6}"


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def rules(sheet: str) -> list[tuple[str, str]]:
    sheet = re.sub(r"/\*.*?\*/", "", sheet, flags=re.S)
    return [(sel.strip(), body) for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", sheet)]


def text_pairs(sheet: str, default_backgrounds: tuple[str, ...]) -> list[tuple[str, str, str]]:
    pairs = []
    for selector, body in rules(sheet):
        if ":disabled" in selector:
            continue
        colour = re.search(rf"(?<![-\w])color:\s*({HEX})", body)
        if not colour:
            continue
        background = re.search(rf"background(?:-color)?:\s*({HEX})", body)
        backs = (background.group(1),) if background else (
            (SIDEBAR,) if "sidebar" in selector else default_backgrounds)
        for back in backs:
            pairs.append((selector, colour.group(1), back))
    return pairs


THEME_PAIRS = text_pairs(theme.STYLESHEET, (PAGE, CARD))
SLIDE_SHEET = slide_view._STYLE.format(body=20, title=29, small=14, hint=12, border=2, radius=10)
SLIDE_PAIRS = text_pairs(SLIDE_SHEET, (SLIDE, "#fff1c9", "#e3f3e7"))


def test_the_theme_declares_text_colours() -> None:
    assert len(THEME_PAIRS) >= 10 and len(SLIDE_PAIRS) >= 5


@pytest.mark.parametrize(("selector", "fore", "back"), THEME_PAIRS + SLIDE_PAIRS,
                         ids=[f"{s}:{f}/{b}" for s, f, b in THEME_PAIRS + SLIDE_PAIRS])
def test_text_contrast_survives_a_washed_out_projector(selector: str, fore: str, back: str) -> None:
    ratio = contrast(fore, back)
    assert ratio >= 7.0, f"{selector}: {fore} on {back} is only {ratio:.1f}:1"


def test_larger_text_makes_the_page_titles_larger_too(qtbot):
    """With larger text the body grows from 12 to 16 pt; the page titles and Home's date
    grow by the same factor, so a title stays clearly bigger than the text under it."""
    from co_app.ui.shell.theme import STYLESHEET, scaled_titles

    larger = scaled_titles(STYLESHEET, 16 / 12)
    assert "QLabel#pageTitle { font-size: 27pt;" in larger and "QLabel#bigDate { font-size: 20pt;" in larger
    assert "QLabel#pageTitle { font-size: 20pt;" in STYLESHEET  # the usual size is untouched
    assert larger.count("font-size") == STYLESHEET.count("font-size")


def test_the_file_dialogs_places_list_is_not_painted_as_our_sidebar(qtbot, make_window):
    """Qt's own file dialog names its places list "sidebar": our dark sidebar's colour had
    reached it, and "Computer" and "root" were dark text on dark teal."""
    from PySide6.QtWidgets import QFileDialog, QWidget

    window = make_window()
    dialog = QFileDialog(window, "Choose the folder of the media pack")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    [places] = [w for w in dialog.findChildren(QWidget) if w.objectName() == "sidebar"]
    colour = places.grab().toImage().pixelColor(places.width() - 4, places.height() - 4)
    assert colour.lightnessF() > 0.8, colour.name()
    dialog.close()
