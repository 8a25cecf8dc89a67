"""The selected film's card on the Films page: its picture, title, state, details and
moments, in a scroll area as tall as the card when the screen allows it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout

from co_app.core.foundation.i18n import _, country_name, current_language, isolate, join_list
from co_app.core.media.library import FilmStatus, LibraryEntry
from co_app.core.media.problems import problem_text
from co_app.ui.media.media_dialog import status_word
from co_app.ui.media.player_panel import format_clock, language_label
from co_app.ui.shell.widgets import muted

POSTER_SIZE = QSize(192, 108)


class WholeCardArea(QScrollArea):
    """Asks for the card's whole height, and scrolls only when the screen is too short."""

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        inner = self.widget().sizeHint() if self.widget() else QSize(0, 0)
        return QSize(inner.width(), inner.height() + 2 * self.frameWidth())

    SMALLEST = 140

    def fit(self, available: int) -> None:
        """The card's whole height when ``available`` allows it, else what is left (it scrolls)."""
        # Only the maximum is fixed: a minimum would stop the window from fitting the screen.
        self.setMinimumHeight(self.SMALLEST)
        self.setMaximumHeight(max(self.SMALLEST, min(self.sizeHint().height(), available)))


class FilmCard(QFrame):
    """What the page shows of the selected film; the page fills it in (``show_*``)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("card")
        details_row = QHBoxLayout(self)
        self.poster = QLabel()
        self.poster.setFixedSize(POSTER_SIZE)
        self.poster.setAlignment(Qt.AlignmentFlag.AlignCenter)
        details_row.addWidget(self.poster, 0, Qt.AlignmentFlag.AlignTop)
        details_layout = QVBoxLayout()
        details_row.addLayout(details_layout, 1)
        self.film_title = QLabel()
        self.film_title.setObjectName("emptyTitle")
        self.film_title.setWordWrap(True)
        self.film_status = QLabel()
        self.film_status.setWordWrap(True)
        self.film_info = muted()
        self.film_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.moments_row = QVBoxLayout()
        self.moments_row.setSpacing(2)
        self.moments_caption = QLabel()
        details_layout.addWidget(self.film_title)
        details_layout.addWidget(self.film_status)
        details_layout.addWidget(self.film_info)
        details_layout.addLayout(self.moments_row)
        self.moment_buttons: list[QPushButton] = []

    def show_poster(self, entry: LibraryEntry, path: Path | None) -> None:
        """A picture from the film (``path``), else its state in words."""
        pixmap = QPixmap(str(path)) if path else QPixmap()
        if pixmap.isNull():
            self.poster.clear()
            self.poster.setText(status_word(entry.status) if entry.status is not FilmStatus.PRESENT else "")
            return
        self.poster.setPixmap(pixmap.scaled(POSTER_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation))

    def show_film(self, entry: LibraryEntry, *, kiosk: bool, media_folder: Path) -> None:
        """The film's title, its state in the library and its details."""
        film = entry.film
        # The viewer names the town in the participant's language; the facilitator sees the film's title.
        self.film_title.setText(
            f"{film.town_name(current_language())} · {country_name(film.country)}" if kiosk
            else film.title_in(current_language()))
        if entry.status is FilmStatus.PRESENT:
            status = (_("Ready to play. This is a demo clip — a labelled placeholder, not the real film.")
                      if entry.is_demo else _("Ready to play."))
        else:
            status = status_word(entry.status).capitalize() + ". " + _(entry.hint)
            if entry.problem:
                status += "\n" + problem_text(entry.problem)  # in the language of the moment
            elif entry.status is FilmStatus.MISSING:
                status += "\n" + _("Expected file: {file} in the media folder {folder}").format(
                    file=isolate(film.file), folder=isolate(media_folder))
        self.film_status.setObjectName("statusPresent" if entry.status is FilmStatus.PRESENT else "statusMissing")
        self.film_status.setText(status)
        self.film_status.style().polish(self.film_status)
        self.film_status.setVisible(not (kiosk and entry.status is FilmStatus.PRESENT))  # only a problem
        subtitles = join_list(language_label(code) for code in entry.subtitles) or _("none")
        partner = (film.partner if film.partner_confirmed
                   else _("{partner} (to be confirmed)").format(partner=film.partner))
        self.film_info.setText(
            _("Town: {town}, {country}\nPartner: {partner}\nSubtitles: {subtitles}").format(
                town=film.town_name(current_language()), country=country_name(film.country),
                partner=partner, subtitles=subtitles,
            )
        )

    def show_moments(self, entry: LibraryEntry, open_moment: Callable[[str, int, int], object]) -> None:
        """One button per moment of the film: it plays that part (``open_moment``) and pauses at its end."""
        while self.moments_row.count():
            item = self.moments_row.takeAt(0)
            if item.widget() is not None and item.widget() is not self.moments_caption:
                item.widget().deleteLater()
        self.moment_buttons = []
        if not entry.film.moments:
            self.moments_caption.hide()
            return
        self.moments_caption.setText(_("Moments:"))
        self.moments_caption.show()
        self.moments_row.addWidget(self.moments_caption)
        playable = entry.video is not None and entry.status is not FilmStatus.CORRUPT
        for moment in entry.film.moments:
            label = _("{title} ({start}–{end})").format(
                title=moment.title_in(current_language()),
                start="\u2066" + format_clock(moment.start_ms), end=format_clock(moment.end_ms) + "\u2069")
            button = QPushButton("▶ " + label)
            button.setObjectName("link")
            button.setToolTip(label)
            # A long title must not widen the window: the button shrinks and elides instead.
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setAutoDefault(True)  # Return plays it, as Space does
            if not moment.confirmed:
                button.setToolTip(_("The times of this moment have not yet been checked against the real film."))
            button.setEnabled(playable)
            button.clicked.connect(
                lambda _checked=False, m=moment, f=entry.film.id: open_moment(f, m.start_ms, m.end_ms))
            self.moments_row.addWidget(button)
            self.moment_buttons.append(button)
