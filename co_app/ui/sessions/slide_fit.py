"""Slides that fit every projector: a slide whose text does not fit even in the smallest
type (``slide_view.FIT_STEPS``) at one of the projector sizes we plan for is shared out over
two screens, or more (``slides.split``), before it is shown — so nothing is ever cut,
whatever the projector.  The sizes: 1024 × 768 (old projectors), 1366 × 768 (a laptop's
own screen) and 1920 × 1080; the type follows the smaller of width and height, so 16:9 is
the tightest in height and 4:3 in width.

The measuring is done in a slide view that is never shown (layout only, no painting).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

from co_app.core.sessions.slides import Slide, split
from co_app.ui.sessions.slide_view import SlideView

DESIGN_SIZES = (QSize(1024, 768), QSize(1366, 768), QSize(1920, 1080))
#: More screens than this for one slide means the content should be written shorter.
MOST_PARTS = 6


class SlideFitter:
    """Decides how many screens a slide needs; keeps one hidden view to measure in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.view = SlideView(parent)
        self.view.hide()  # a child of the runner, never shown: it only measures

    def fits(self, slide: Slide, language: str, tr: Callable[[str], str]) -> bool:
        view = self.view
        view.set_slide(slide, language=language, tr=tr)
        for size in DESIGN_SIZES:
            view.resize(size)
            if not view.fits_at_smallest():
                return False
        return True

    def fit(self, slide: Slide, language: str, tr: Callable[[str], str]) -> list[Slide]:
        """``slide`` as the fewest screens on which it fits at every design size."""
        screens = [slide]
        for parts in range(1, MOST_PARTS + 1):
            screens = split(slide, parts)
            if len(screens) < parts:  # it cannot be shared out further
                return screens
            if all(self.fits(screen, language, tr) for screen in screens):
                return screens
        return screens

    def fit_at(self, slides: list[Slide], index: int, language: str, tr: Callable[[str], str]) -> None:
        """Replace ``slides[index]`` by the screens it needs, unless measured before."""
        slide = slides[index]
        if "fitted" in slide.extra:
            return
        slides[index:index + 1] = [replace(screen, extra={**screen.extra, "fitted": "1"})
                                   for screen in self.fit(slide, language, tr)]

    def close(self) -> None:
        self.view.set_slide(None)
        self.view.deleteLater()
