"""The interactive transcript: every cue of a subtitle track, the current one highlighted,
a click seeks the film there.  The facilitator may read it in another language than the
one on the projector (English here, Arabic on the wall)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QProgressBar,
                               QPushButton, QVBoxLayout, QWidget)

from co_app.core.foundation.i18n import _, format_number
from co_app.core.media.subtitles import SubtitleTrack, read_subtitles
from co_app.ui.media.player_panel import format_clock, language_label
from co_app.ui.shell.tasks import BackgroundTask

log = logging.getLogger(__name__)

#: Transcript lines added per turn of the event loop.
FILL_BATCH = 1_000
#: A film's subtitles have a few hundred cues, a long one 2,000: a transcript shows at most
#: this many lines (laying out wrapped lines costs the window time for each of them).
MAX_LINES = 5_000


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
        # While a subtitle file is read: a busy bar and Cancel (a huge file must not hold the film up).
        self._reading: BackgroundTask | None = None
        self._stopped: str | None = None  # the language whose reading was cancelled
        self._fill_generation = 0
        self.reading_bar = QProgressBar()
        self.reading_bar.setRange(0, 0)
        self.reading_bar.setTextVisible(False)
        self.reading_cancel = QPushButton()
        self.reading_cancel.clicked.connect(self.cancel_reading)
        self.reading_row = QWidget()
        reading = QHBoxLayout(self.reading_row)
        reading.setContentsMargins(0, 0, 0, 0)
        reading.addWidget(self.reading_bar, 1)
        reading.addWidget(self.reading_cancel)
        self.reading_row.hide()
        self.cues = QListWidget()
        self.cues.setWordWrap(True)
        from co_app.ui.shell.fonts import with_fallbacks

        self.cues.setFont(with_fallbacks(self.cues.font()))
        self.cues.setResizeMode(self.cues.ResizeMode.Adjust)  # wrapped lines re-measured when the pane resizes
        # Wrapped lines are measured 100 at a time between other events: a long transcript
        # does not hold the window while it is laid out.
        self.cues.setLayoutMode(self.cues.LayoutMode.Batched)
        self.cues.setBatchSize(100)
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
        layout.addWidget(self.reading_row)
        layout.addWidget(self.cues, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.caption.setText(_("Transcript"))
        self.language.setAccessibleName(_("Transcript language"))
        self.cues.setAccessibleName(_("Transcript: click a line to play the film from there"))
        self.reading_cancel.setText(_("Cancel"))
        self._show_message()

    @property
    def track(self) -> SubtitleTrack | None:
        return self._track

    def set_tracks(self, files: dict[str, Path], language: str | None) -> None:
        """A new film: its subtitle files; show ``language`` (else the first readable one)."""
        self._files = dict(files)
        self._stopped = None
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
        """Show ``language``'s transcript: at once when it was read before, else once a worker
        has read it (a subtitle file is a user's file: it may be huge or hostile)."""
        self._stop_reading()
        index = self.language.findData(language)
        if index >= 0:
            self.language.setCurrentIndex(index)
        self._track = None
        self._fill_generation += 1  # a fill still going on for the last film stops
        self.cues.clear()
        self._current_row = -1
        if language and language in self._files and language not in self._tracks and language not in self._errors:
            self._start_reading(language)
            self._show_message(language)
            return
        self._track = self._tracks.get(language) if language else None
        self._fill(language)

    def _fill(self, language: str | None) -> None:
        """The cues as lines, ``FILL_BATCH`` per turn of the event loop: a transcript of
        100,000 cues must not hold the window for seconds (a film chosen meanwhile stops it)."""
        self._fill_generation += 1
        self._show_message(language)
        self._fill_from(self._fill_generation, 0)

    def _fill_from(self, generation: int, start: int) -> None:
        from PySide6.QtCore import QTimer

        if generation != self._fill_generation or self._track is None:
            return
        cues = self._track.cues[:MAX_LINES]
        self.cues.setUpdatesEnabled(False)
        for cue in cues[start:start + FILL_BATCH]:
            # The cue isolated from the time: mixed directions in one item are measured wrongly.
            item = QListWidgetItem(f"{format_clock(cue.start_ms)}   \u2068{cue.text}\u2069")
            item.setData(Qt.ItemDataRole.UserRole, cue.start_ms)
            self.cues.addItem(item)
        self.cues.setUpdatesEnabled(True)
        if start + FILL_BATCH < len(cues):
            QTimer.singleShot(0, self, lambda: self._fill_from(generation, start + FILL_BATCH))
        else:
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

    # -- reading, on a worker thread --

    @property
    def reading(self) -> bool:
        return self._reading is not None

    def _start_reading(self, language: str) -> None:
        path = self._files[language]
        task = BackgroundTask(lambda _progress, _cancel: read_subtitles(path, language=language), self)
        task.succeeded.connect(lambda track: self._read(task, language, track))
        task.failed.connect(lambda message: self._read(task, language, None, message))
        self._reading, self._stopped = task, None
        self.reading_row.show()
        task.start()

    def _read(self, task: BackgroundTask, language: str, track: SubtitleTrack | None, error: str = "") -> None:
        if task is not self._reading:
            return  # another film or language was chosen meanwhile, or Cancel: not wanted any more
        self._reading = None
        self.reading_row.hide()
        if track is None:
            log.warning("transcript: %s", error)
            self._errors[language] = error
        else:
            self._tracks[language] = track
        if self.language.currentData() == language:
            self._track = track
            self._fill(language)

    def _stop_reading(self) -> None:
        if self._reading is not None:
            self._reading.cancel()
            self._reading = None
        self.reading_row.hide()

    def cancel_reading(self) -> None:
        """Cancel: no transcript for this language now (choosing it again reads it again)."""
        language = self.language.currentData()
        self._stop_reading()
        self._stopped = language
        self._show_message(language)

    def _show_message(self, language: str | None = None) -> None:
        language = language or self.language.currentData()
        if self._reading is not None:
            self.message.setText(_("Reading the subtitles in {language}…").format(language=language_label(language)))
            self.message.show()
        elif language is not None and language == self._stopped:
            self.message.setText(_("The subtitles in {language} were not read, so there is no transcript. Choose the "
                                   "language again to read them.").format(language=language_label(language)))
            self.message.show()
        elif language in self._errors:
            self.message.setText(_("These subtitles could not be read, so there is no transcript in {language}. "
                                   "The film still plays.").format(language=language_label(language)))
            self.message.show()
        elif not self._files:
            self.message.setText(_("This film has no subtitles, so there is no transcript."))
            self.message.show()
        elif self._track is not None and len(self._track.cues) > MAX_LINES:
            self.message.setText(_("The transcript shows the first {shown} of {total} lines.").format(
                shown=format_number(MAX_LINES), total=format_number(len(self._track.cues))))
            self.message.show()
        else:
            self.message.hide()

    def _clicked(self, item: QListWidgetItem) -> None:
        self.seek_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
