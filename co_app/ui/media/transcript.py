"""The interactive transcript: every cue of a subtitle track, the current one highlighted,
a click seeks the film there.  The facilitator may read it in another language than the
one on the projector (English here, Arabic on the wall)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from co_app.core.foundation.errors import CoError
from co_app.core.foundation.i18n import _
from co_app.core.media.subtitles import SubtitleTrack, read_subtitles
from co_app.ui.media.player_panel import format_clock, language_label

log = logging.getLogger(__name__)


class TranscriptPanel(QWidget):
    seek_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._files: dict[str, Path] = {}
        self._tracks: dict[str, SubtitleTrack] = {}
        self._errors: dict[str, str] = {}
        self._track: SubtitleTrack | None = None
        self._current_row = -1
        self.caption = QLabel()
        self.language = QComboBox()
        self.language.activated.connect(lambda _i: self.show_language(self.language.currentData()))
        self.message = QLabel()
        self.message.setObjectName("warning")
        self.message.setWordWrap(True)
        self.message.hide()
        self.cues = QListWidget()
        self.cues.setWordWrap(True)
        from co_app.ui.shell.fonts import with_fallbacks

        self.cues.setFont(with_fallbacks(self.cues.font()))
        self.cues.setResizeMode(self.cues.ResizeMode.Adjust)  # wrapped lines re-measured when the pane resizes
        self.cues.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(180)
        self.cues.itemClicked.connect(self._clicked)
        self.cues.itemActivated.connect(self._clicked)
        top = QHBoxLayout()
        top.addWidget(self.caption)
        top.addWidget(self.language, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.cues, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.caption.setText(_("Transcript"))
        self.language.setAccessibleName(_("Transcript language"))
        self.cues.setAccessibleName(_("Transcript: click a line to play the film from there"))
        self._show_message()

    @property
    def track(self) -> SubtitleTrack | None:
        return self._track

    def set_tracks(self, files: dict[str, Path], language: str | None) -> None:
        """A new film: its subtitle files; show ``language`` (else the first readable one)."""
        self._files = dict(files)
        self._tracks.clear()
        self._errors.clear()
        self.language.clear()
        for code in files:
            self.language.addItem(language_label(code), code)
        self.show_language(language if language in files else next(iter(files), None))

    def clear(self) -> None:
        """No film loaded (a missing or damaged one is chosen): nothing is left from the last."""
        self.set_tracks({}, None)
        self.message.hide()

    def show_language(self, language: str | None) -> None:
        self._track = self._load(language) if language else None
        index = self.language.findData(language)
        if index >= 0:
            self.language.setCurrentIndex(index)
        self.cues.clear()
        self._current_row = -1
        for cue in self._track.cues if self._track else ():
            # The cue isolated from the time: mixed directions in one item are measured wrongly.
            item = QListWidgetItem(f"{format_clock(cue.start_ms)}   \u2068{cue.text}\u2069")
            item.setData(Qt.ItemDataRole.UserRole, cue.start_ms)
            self.cues.addItem(item)
        self._show_message(language)
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, self.cues.doItemsLayout)  # measure the wrapped lines at the final width

    def update_time(self, position_ms: int) -> None:
        """Highlight the cue on screen at ``position_ms`` (called on the player's time events)."""
        if self._track is None:
            return
        cue = self._track.cue_at(position_ms)
        row = cue.index - 1 if cue else -1
        if row == self._current_row:
            return
        self._current_row = row
        self.cues.blockSignals(True)
        self.cues.setCurrentRow(row)
        self.cues.blockSignals(False)
        if row >= 0:
            self.cues.scrollToItem(self.cues.item(row), QListWidget.ScrollHint.PositionAtCenter)

    def _load(self, language: str) -> SubtitleTrack | None:
        if language in self._tracks:
            return self._tracks[language]
        if language in self._errors or language not in self._files:
            return None
        try:
            track = read_subtitles(self._files[language], language=language)
        except CoError as exc:
            log.warning("transcript: %s", exc)
            self._errors[language] = str(exc)
            return None
        self._tracks[language] = track
        return track

    def _show_message(self, language: str | None = None) -> None:
        language = language or self.language.currentData()
        if language in self._errors:
            self.message.setText(_("These subtitles could not be read, so there is no transcript in {language}. "
                                   "The film still plays.").format(language=language_label(language)))
            self.message.show()
        elif not self._files:
            self.message.setText(_("This film has no subtitles, so there is no transcript."))
            self.message.show()
        else:
            self.message.hide()

    def _clicked(self, item: QListWidgetItem) -> None:
        self.seek_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
