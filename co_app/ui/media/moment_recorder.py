"""Confirming a film's moments at the office: the film plays in the Films page's player, the
officer presses S where a moment starts and E where it ends, and Save writes the times —
marked confirmed — into the film manifest of the office's content folder, for the next
content pack (co_app/core/media/moment_times.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QPushButton, QVBoxLayout,
    QWidget,
)

from co_app.core.foundation.errors import CoError
from co_app.core.foundation.i18n import _, current_language, isolate
from co_app.core.media.moment_times import format_time
from co_app.ui.shell.keyboard import shortcut_key


class MomentRecorder(QDialog):
    """Marks the start and end of one moment at a time while the film plays."""

    # Longer than 60 lines on purpose: it builds one layout in reading order, top to bottom.
    def __init__(self, panel, film, manifest_path: Path, folder: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel, self.film, self.manifest_path = panel, film, Path(manifest_path)
        self.setWindowTitle(_("Set the moments' times: {film}").format(film=film.town))
        self.setModal(False)
        self.setMinimumWidth(480)
        #: moment id → [start ms, end ms], as marked (or as the manifest had them).
        self.times = {m.id: [m.start_ms, m.end_ms] for m in film.moments}
        self.marked: set[str] = set()
        self.folder = QLineEdit(str(folder) if folder else "")
        choose = QPushButton(_("Choose…"))
        choose.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        form = QFormLayout()
        form.addRow(_("Content folder"), folder_row)
        self.moments = QListWidget()
        self.moments.currentRowChanged.connect(lambda _row: self._show())
        self.help = QLabel(_("Choose a moment, play the film, and press S where the moment starts and E where it "
                             "ends. Save writes the times into the content folder for the next content pack."))
        self.help.setWordWrap(True)
        self.position = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.play_button, self.start_button = QPushButton(), QPushButton(_("Start here (S)"))
        self.end_button, self.save_button = QPushButton(_("End here (E)")), QPushButton(_("Save"))
        self.save_button.setObjectName("primary")
        self.play_button.clicked.connect(self.panel.toggle_play)
        self.start_button.clicked.connect(self.mark_start)
        self.end_button.clicked.connect(self.mark_end)
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        for button in (self.play_button, self.start_button, self.end_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.help)
        layout.addWidget(self.moments, 1)
        layout.addWidget(self.position)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.panel.position_changed.connect(self._position)
        self.panel.state_changed.connect(lambda _state: self._play_text())
        self._fill()
        self.moments.setCurrentRow(0)
        self._play_text()
        self._position(self.panel.position_ms())

    # -- what is shown ------------------------------------------------------------------
    def _fill(self) -> None:
        row = self.moments.currentRow()
        self.moments.clear()
        for moment in self.film.moments:
            start, end = self.times[moment.id]
            mark = " ✓" if moment.id in self.marked else ""
            self.moments.addItem(f"{moment.title_in(current_language())}: {format_time(start)} – "
                                 f"{format_time(end)}{mark}")
        self.moments.setCurrentRow(max(0, row))

    def _show(self) -> None:
        self.save_button.setEnabled(bool(self.marked))

    def _position(self, ms: int) -> None:
        self.position.setText(_("Film position: {time}").format(time=isolate(format_time(ms))))

    def _play_text(self) -> None:
        from co_app.player.protocol import PlayerState

        player = self.panel.player
        playing = player is not None and player.state() is PlayerState.PLAYING
        self.play_button.setText(_("Pause") if playing else _("Play"))

    def current_moment(self):  # Moment | None
        row = self.moments.currentRow()
        return self.film.moments[row] if 0 <= row < len(self.film.moments) else None

    # -- marking ------------------------------------------------------------------------
    def mark_start(self) -> None:
        self._mark(0)

    def mark_end(self) -> None:
        self._mark(1)

    def _mark(self, which: int) -> None:
        moment = self.current_moment()
        if moment is None:
            return
        self.times[moment.id][which] = self.panel.position_ms()
        self.marked.add(moment.id)
        self._fill()
        self._show()
        start, end = self.times[moment.id]
        self.status.setText(_("{moment}: from {start} to {end}; not saved yet.").format(
            moment=moment.title_in(current_language()), start=isolate(format_time(start)),
            end=isolate(format_time(end))))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = shortcut_key(event)  # S, E by their place on any keyboard layout
        if key == Qt.Key.Key_S:
            self.mark_start()
        elif key == Qt.Key.Key_E:
            self.mark_end()
        elif key == Qt.Key.Key_Space:
            self.panel.toggle_play()
        else:
            super().keyPressEvent(event)

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("The office's content folder"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def save(self) -> bool:
        """Write every marked moment into the content folder's film manifest."""
        from co_app.core.media.moment_times import save_moment_times

        text = self.folder.text().strip()
        if not text:
            self.status.setText(_("Choose the office's content folder first."))
            return False
        try:
            for moment_id in sorted(self.marked):
                start, end = self.times[moment_id]
                target = save_moment_times(Path(text).expanduser(), self.manifest_path, self.film.id, moment_id,
                                           start, end)
        except CoError as exc:
            notice = getattr(exc, "notice", None)
            self.status.setText(notice.translated() if notice is not None else str(exc))
            return False
        self.status.setText(_("Saved into {file}: the next content pack carries these times, marked as "
                              "confirmed.").format(file=isolate(str(target))))
        return True
