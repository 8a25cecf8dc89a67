"""Projected text in a script is drawn in the same typeface whatever the facilitator's
language (issue 20): an Arabic slide took another font behind an English interface than
behind an Arabic one, since only the interface language's script font was the
application's second choice.  The font now follows the group's language."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLabel

from co_app.core.foundation import i18n
from co_app.core.sessions.slides import Slide
from co_app.ui.sessions.slide_view import SlideView
from co_app.ui.shell.language import LanguageSwitcher

ARABIC = Slide("myth", "Jena", title="في ألمانيا يجب أن تحمل جواز سفرك دائمًا", body="لا، بطاقة الإقامة تكفي")


def label_families(view: SlideView) -> list[list[str]]:
    return [label.font().families() for label in view.findChildren(QLabel) if label.text()]


def shown(qtbot, slide: Slide, language: str):
    view = SlideView()
    qtbot.addWidget(view)
    view.resize(1024, 768)
    view.show()
    qtbot.waitExposed(view)
    view.set_slide(slide, language=language, tr=i18n.translator_for(language))
    QApplication.processEvents()
    return view


def test_an_arabic_slide_has_one_typeface_behind_an_english_or_an_arabic_interface(qtbot, locale_dir):
    switcher = LanguageSwitcher(QApplication.instance())
    switcher.apply("en")
    behind_english = shown(qtbot, ARABIC, "ar")
    families = label_families(behind_english)
    picture = behind_english.grab().toImage()
    i18n.set_language("ar", locale_dir)
    try:
        switcher.apply("ar")
        behind_arabic = shown(qtbot, ARABIC, "ar")
        assert "Noto Sans Arabic" in families[0] and label_families(behind_arabic) == families
        assert behind_arabic.grab().toImage() == picture  # the very same pixels
    finally:
        i18n.set_language("en", locale_dir)
        switcher.apply("en")
