"""Films: the library (what is here, what is missing, what to do) and the player."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from co_app.core.foundation.errors import CoError
from co_app.core.foundation.i18n import N_, _, country_name, current_language, isolate
from co_app.core.media.library import FilmStatus, LibraryEntry, scan_library
from co_app.player.protocol import PlayerFactory, PlayerState
from co_app.ui.shell.flow_layout import FlowLayout
from co_app.ui.media.film_card import POSTER_SIZE, FilmCard, WholeCardArea  # noqa: F401 - POSTER_SIZE: still importable here
from co_app.ui.media.media_dialog import MediaTaskDialog, status_word
from co_app.ui.media.player_panel import PlayerPanel, format_clock, language_label
from co_app.ui.media.transcript import TranscriptPanel
from co_app.ui.media.unfinished import UnfinishedImportBar
from co_app.ui.shell.page import View, page_layout
from co_app.ui.shell.tasks import BackgroundTask
from co_app.ui.shell.widgets import EmptyState, page_title

log = logging.getLogger(__name__)
THUMB_SIZE = QSize(64, 36)
INSTALL_HINT_LINUX = "sudo apt-get install libvlc5 vlc-plugin-base vlc-plugin-video-output"



#: How often the position of a playing film is saved (a power cut loses at most this much).
AUTOSAVE_MS = 5000

#: Below this page width the transcript hides and the video (and its seek bar) take its room.
NARROW_BELOW = 900

class FilmsView(View):
    key = "films"
    nav_title = N_("Films")

    # Longer than 60 lines on purpose: it builds one layout in reading order, top to bottom;
    # split up, the layout would be spread over several places.
    def __init__(self, services, player_factory: PlayerFactory, parent: QWidget | None = None,
                 *, kiosk: bool = False) -> None:
        super().__init__(services, parent)
        self.entries: list[LibraryEntry] = []
        #: The language of today's session: it chooses the subtitles unless the user chose.
        self.session_language: str | None = None
        layout = page_layout(self)
        self.title = page_title()
        self.import_button = QPushButton()
        self.import_button.clicked.connect(lambda: self.import_films())
        self.check_button = QPushButton()
        self.check_button.clicked.connect(self.check_films)
        self.moments_button = QPushButton()  # the office confirms moments' times (issue 22)
        self.moments_button.clicked.connect(self.record_moments)
        self.moment_recorder = None
        header = QHBoxLayout()
        header.addWidget(self.title)
        tools = QWidget()  # the buttons wrap, whole, on a netbook or with larger text
        tool_row = FlowLayout(tools, spacing=10, line_spacing=6)
        for button in (self.moments_button, self.check_button, self.import_button):
            tool_row.addWidget(button)
        header.addWidget(tools, 1)
        self.unfinished = UnfinishedImportBar(services.paths.media)  # a cut import: Resume, Discard
        self.unfinished.resume_requested.connect(lambda source: self.import_films(source))
        self.unfinished.discarded.connect(self.refresh)
        self.set_kiosk(kiosk)
        self.empty = EmptyState()
        self.empty.hide()
        self.film_list = QListWidget()
        self._narrow = False  # a 1024×600 netbook: the video takes the transcript's room (resizeEvent)
        self.film_list.setMinimumWidth(200)
        self.film_list.setMaximumWidth(300)
        self.film_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.film_list.setIconSize(THUMB_SIZE)
        self._thumbnails: dict[str, Path] = {}
        self._thumbnail_task: BackgroundTask | None = None
        self.film_list.currentRowChanged.connect(self._show_entry)
        self.film_list.itemActivated.connect(lambda _item: self.play_selected())

        self.details = FilmCard()
        # The card's widgets, by the names the page has always given them.
        self.poster, self.film_title = self.details.poster, self.details.film_title
        self.film_status, self.film_info = self.details.film_status, self.details.film_info
        self.moments_row, self.moments_caption = self.details.moments_row, self.details.moments_caption

        self.player_panel = PlayerPanel(player_factory)
        self.player_panel.subtitle_chosen.connect(self._remember_subtitle)
        self.player_panel.state_changed.connect(self._state_changed)
        #: While a film plays its position is saved every few seconds: after a power cut it
        #: resumes about there, not from the start.
        self._autosave = QTimer(self)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_position)
        self.transcript = TranscriptPanel()
        # Never what makes the window wider than a netbook's screen: below NARROW_BELOW it hides.
        self.transcript.setMinimumWidth(1)
        self.transcript.seek_requested.connect(self.player_panel.seek_to)
        self.player_panel.position_changed.connect(self.transcript.update_time)
        self.unavailable = EmptyState()
        self.unavailable.hide()
        self.player_area = QSplitter(Qt.Orientation.Horizontal)
        self.player_area.addWidget(self.player_panel)
        self.player_area.addWidget(self.transcript)
        self.player_area.setStretchFactor(0, 3)
        self.player_area.setStretchFactor(1, 2)
        self.player_area.setChildrenCollapsible(False)
        self.player_area.setMinimumHeight(self.player_area.minimumSizeHint().height())

        right = QVBoxLayout()
        # On a short screen (1366×768) the card scrolls rather than squeezing the video.
        self.details_area = WholeCardArea()
        self.details_area.setWidget(self.details)
        right.addWidget(self.details_area)
        right.addWidget(self.unavailable)
        right.addWidget(self.player_area, 1)
        body = QHBoxLayout()
        body.addWidget(self.film_list)
        body.addLayout(right, 1)
        layout.addLayout(header)
        layout.addWidget(self.unfinished)
        layout.addWidget(self.empty)
        layout.addLayout(body, 1)
        self.set_kiosk(kiosk)

    # -- data ------------------------------------------------------------------------
    def refresh(self) -> None:
        self.session_language = self._today_language()
        manifest = self.services.manifest
        current = self.film_list.currentRow()
        self.entries = self._scan() if manifest else []
        self.film_list.blockSignals(True)
        self.film_list.clear()
        # Two lines per film at whatever text size is in use (Qt's own size hint ignores the
        # line break once a style sheet styles the items).
        line = self.film_list.fontMetrics().lineSpacing()
        for entry in self.entries:
            item = QListWidgetItem(self._item_text(entry))
            item.setSizeHint(QSize(0, max(2 * line, THUMB_SIZE.height()) + 14))
            if entry.film.id in self._thumbnails:
                item.setIcon(QIcon(str(self._thumbnails[entry.film.id])))
            self.film_list.addItem(item)
        if self.entries:  # shown once, by retranslate() below
            self.film_list.setCurrentRow(current if 0 <= current < len(self.entries) else 0)
        self.film_list.blockSignals(False)
        reason = self.player_panel.ensure_player()
        self.unavailable.setVisible(reason is not None)
        self.player_area.setVisible(reason is None)
        self.unfinished.setVisible(self.unfinished.refresh() is not None and not self.kiosk)
        self.retranslate()
        self._make_thumbnails()

    def _make_thumbnails(self) -> None:
        """A picture from each film, taken by libVLC on a worker thread and kept on disk,
        so the list fills in without holding up the window."""
        wanted = [(e.film.id, e.video) for e in self.entries
                  if e.video is not None and e.status is not FilmStatus.CORRUPT]
        if not wanted or (self._thumbnail_task is not None and self._thumbnail_task.running):
            return
        cache = self.services.paths.thumbnails

        def work(progress, cancel):  # on the worker thread
            from co_app.player.protocol import PlayerUnavailable
            from co_app.player.thumbnails import cached_thumbnail

            for film_id, video in wanted:
                if cancel.is_set():
                    return
                try:
                    progress((film_id, cached_thumbnail(cache, video, width=THUMB_SIZE.width() * 2)))
                except PlayerUnavailable:
                    return  # the Films view already says what to install
                except CoError as exc:
                    log.info("no thumbnail: %s", exc)

        self._thumbnail_task = BackgroundTask(work, self, progress_every_s=0)  # each report is a thumbnail
        self._thumbnail_task.progress.connect(self._thumbnail_ready)
        self._thumbnail_task.start()

    def _thumbnail_ready(self, result: tuple[str, Path]) -> None:
        film_id, path = result
        self._thumbnails[film_id] = path
        for row, entry in enumerate(self.entries):
            if entry.film.id == film_id and self.film_list.item(row) is not None:
                self.film_list.item(row).setIcon(QIcon(str(path)))
        selected = self.selected_entry()
        if selected is not None and selected.film.id == film_id:
            self._show_poster(selected)

    def _show_poster(self, entry: LibraryEntry) -> None:
        self.details.show_poster(entry, self._thumbnails.get(entry.film.id))

    def preferred_subtitle(self, entry: LibraryEntry) -> str | None:
        """The remembered choice for this film, else the session's language, else the interface's.
        In the viewer, the language the participant picked, whatever the facilitator chose."""
        remembered = self.services.settings.subtitle_language.get(entry.film.id)
        if remembered is not None and not self.kiosk:
            return remembered or None  # "" = the user turned subtitles off
        codes = (current_language(),) if self.kiosk else (self.session_language, current_language())
        for code in codes:
            if code and code in entry.subtitles:
                return code
            if code and code.split("_")[0] in entry.subtitles:
                return code.split("_")[0]
        return None

    def selected_entry(self) -> LibraryEntry | None:
        row = self.film_list.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def select_film(self, film_id: str) -> None:
        for row, entry in enumerate(self.entries):
            if entry.film.id == film_id:
                self.film_list.setCurrentRow(row)
                return

    def open_selected(self) -> bool:
        """Load the selected film into the player (ready to play, not yet playing)."""
        entry = self.selected_entry()
        if entry is None or entry.video is None or entry.status is FilmStatus.CORRUPT:
            # Never leave the previous film loaded behind a missing one: Play would show it,
            # and its transcript would read as this film's.
            self.save_position()
            self.player_panel.unload()
            self.transcript.clear()
            return False
        if self.player_panel.film_id == entry.film.id:
            # Already loaded: a new session language still applies unless the user chose.
            if entry.film.id not in self.services.settings.subtitle_language:
                wanted = self.preferred_subtitle(entry)
                if wanted != self.player_panel.current_subtitle_choice():
                    self.player_panel.choose_subtitle(wanted)
            return True
        self.save_position()
        from co_app.core.media.playback import saved_position

        with self.services.plain() as conn:
            resume_at = saved_position(conn, entry.film.id)
        subtitle = self.preferred_subtitle(entry)
        from co_app.core.media.subtitles import for_player

        # libVLC reads every subtitle as UTF-8: one in another encoding goes as a UTF-8 copy,
        # one that cannot be read is not offered, and the facilitator is told which file.
        playable, problems = for_player(entry.subtitles, self.services.paths.subtitle_copies)
        if subtitle not in playable:
            subtitle = next(iter(playable), None) if subtitle is not None else None
        if not self.player_panel.open_film(entry.film.id, entry.video, playable, subtitle, start_ms=resume_at,
                                           length_ms=entry.duration_ms):
            return False
        self.transcript.set_tracks(entry.subtitles, subtitle or self._reading_language(entry))
        if problems:
            self.player_panel.show_message(" ".join(
                _("The {language} subtitles cannot be used: {problem}").format(
                    language=isolate(language_label(language)), problem=isolate(problem))
                for language, problem in problems.items()))
        return True

    def record_moments(self):  # MomentRecorder | None
        """The selected film in the player and, beside it, the window that marks its moments' times."""
        from co_app.ui.media.moment_recorder import MomentRecorder

        entry = self.selected_entry()
        if entry is None or not entry.film.moments or not self.open_selected():
            self.player_panel.show_message(_("Choose a film that is ready to play and has moments."))
            return None
        if self.moment_recorder is not None:
            self.moment_recorder.close()
        self.moment_recorder = MomentRecorder(self.player_panel, entry.film, self.services.manifest_path, parent=self)
        self.moment_recorder.show()
        return self.moment_recorder

    def open_moment(self, film_id: str, start_ms: int, end_ms: int) -> bool:
        """Play a linked moment ("Jena, 02:10–03:05"): from its start, pausing at its end."""
        self.select_film(film_id)
        if not self.open_selected():
            return False
        self.player_panel.play_range(start_ms, end_ms)
        self.player_panel.setFocus()
        return True

    def open_for_group(self, film_id: str, language: str) -> bool:
        """A session's film step: this film loaded with the group's subtitles (whatever the
        facilitator last chose while previewing), ready to play from wherever the caller says."""
        if film_id not in [entry.film.id for entry in self.entries]:
            self.refresh()  # the page not seen yet (or a film copied in since)
        self.select_film(film_id)
        if not self.open_selected():
            return False
        offered = self.player_panel.subtitle_languages()
        wanted = next((code for code in (language, language.split("_")[0]) if code in offered), None)
        if wanted is not None:  # none in the group's language: the film's usual choice stays
            self.player_panel.choose_subtitle(wanted)
        return True

    def save_position(self) -> None:
        """Remember where the current film is, to resume there (on switch, pause, close,
        and every AUTOSAVE_MS while it plays)."""
        panel = self.player_panel
        if panel.film_id is None or panel.player is None or not panel.length_ms():
            return
        from co_app.core.media.playback import save_position

        with self.services.plain() as conn:
            save_position(conn, panel.film_id, panel.position_ms(), panel.length_ms())

    def _state_changed(self, state: PlayerState) -> None:
        if state is PlayerState.PLAYING:
            self._autosave.start()
        else:
            self._autosave.stop()
        if state in (PlayerState.PAUSED, PlayerState.ENDED):
            if state is PlayerState.ENDED and self.player_panel.film_id:
                from co_app.core.media.playback import save_position

                with self.services.plain() as conn:
                    save_position(conn, self.player_panel.film_id, 0, 0)
            else:
                self.save_position()

    def _today_language(self) -> str | None:
        from datetime import date

        from co_app.core.db.glance import sessions_on

        with self.services.plain() as conn:
            today = sessions_on(conn, date.today())
        return today[-1].language if today else None

    def _reading_language(self, entry: LibraryEntry) -> str | None:
        """The transcript's language when subtitles are off: the interface's, else English."""
        for code in (current_language(), current_language().split("_")[0], "en"):
            if code in entry.subtitles:
                return code
        return None

    def play_selected(self) -> bool:
        if not self.open_selected():
            return False
        self.player_panel.play()
        self.player_panel.setFocus()
        return True

    def _remember_subtitle(self, film_id: str, language: str) -> None:
        if self.kiosk:
            return  # a participant's choice is not the facilitator's
        self.services.settings.subtitle_language[film_id] = language
        self.services.save_settings()

    # -- text ------------------------------------------------------------------------
    def follow_viewer_language(self) -> None:
        """The participant picked a language: the loaded film's subtitles follow it."""
        entry = self.selected_entry()
        if entry is not None and self.player_panel.film_id == entry.film.id:
            self.player_panel.choose_subtitle(self.preferred_subtitle(entry))

    def set_kiosk(self, kiosk: bool) -> None:
        self.kiosk = kiosk
        for button in (self.import_button, self.check_button, getattr(self, "moments_button", None)):
            if button is not None:
                button.setVisible(not kiosk)  # participants watch; facilitators manage the library
        if kiosk and hasattr(self, "unfinished"):
            self.unfinished.hide()
        if hasattr(self, "transcript"):
            # The viewer: the film and its subtitles, big, and nothing to study on the side —
            # no transcript, poster, partner or subtitle list: the card is the town and its moments.
            self.transcript.setVisible(not kiosk and not self._narrow)
            self.poster.setVisible(not kiosk)
            self.film_info.setVisible(not kiosk)
            self.film_list.setSpacing(6 if kiosk else 0)
            for row, entry in enumerate(self.entries):
                self.film_list.item(row).setText(self._item_text(entry))

    def _scan(self) -> list[LibraryEntry]:
        """The library as the database last recorded it (no hashing here: that is "Check")."""
        from co_app.core.media.library import load_records

        with self.services.plain() as conn:
            records = load_records(conn)
        return scan_library(self.services.paths.media, self.services.manifest, records)

    def import_films(self, source: Path | None = None) -> MediaTaskDialog | None:
        """Ask for the media pack's folder (a USB drive), then copy and check in the background."""
        if source is None:
            chosen = QFileDialog.getExistingDirectory(self, _("Choose the folder of the media pack (USB drive)"))
            if not chosen:
                return None
            source = Path(chosen)
        return self._run_media_task("import", source)

    def check_films(self) -> MediaTaskDialog:
        """Hash every film and read every subtitle, in the background."""
        return self._run_media_task("verify", None)

    def _run_media_task(self, kind: str, source: Path | None) -> MediaTaskDialog:
        # A film being imported must not be open in the player (its file may be replaced).
        self.save_position()
        self.player_panel.unload()
        dialog = MediaTaskDialog(self.services, kind, source, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.library_changed.connect(self.refresh)
        dialog.open()
        return dialog

    def _item_text(self, entry: LibraryEntry) -> str:
        film = entry.film
        town = film.town_name(current_language())
        if getattr(self, "kiosk", False):
            return f"{town}\n{country_name(film.country)}"  # no lengths or library states for viewers
        if entry.duration_ms:
            town += " · " + format_clock(entry.duration_ms)
        # Short lines, so large text (kiosk, projector) never has to wrap or cut a name.
        return f"{town}\n{country_name(film.country)} · {status_word(entry.status)}"

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        # Narrow (1024 px): no transcript beside the video, so the seek bar stays usable.
        self._narrow = event.size().width() < NARROW_BELOW
        self.transcript.setVisible(not self.kiosk and not self._narrow)
        QTimer.singleShot(0, self._fit_details)  # once the layout has placed the list

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        # A film shown while the page was hidden (the viewer picks a language first) was
        # fitted to a list that had no height yet: fit again once the page is on screen.
        QTimer.singleShot(0, self._fit_details)

    def _fit_details(self) -> None:
        """The film's card as tall as its text, the video below it as big as what is left."""
        self.details_area.fit(self.film_list.height() - self.player_area.minimumHeight() - 12)

    def _show_entry(self, row: int) -> None:
        if not 0 <= row < len(self.entries):
            return
        entry = self.entries[row]
        self.open_selected()
        self._show_poster(entry)
        self.details.show_film(entry, kiosk=self.kiosk, media_folder=self.services.paths.media)
        self.details.show_moments(entry, self.open_moment)
        self._fit_details()
        # Again once the new moment buttons are shown and styled (their size is known only then).
        QTimer.singleShot(0, self, self._fit_details)

    @property
    def moment_buttons(self) -> list[QPushButton]:
        """The selected film's moment buttons (on its card)."""
        return self.details.moment_buttons

    def retranslate(self) -> None:
        self.title.setText(_("Films"))
        self.film_list.setAccessibleName(_("Films"))
        self.unfinished.retranslate()
        self.import_button.setText(_("Import films…"))
        self.import_button.setToolTip(_("Copy the films from the programme's media pack (a folder or USB drive)"))
        self.check_button.setText(_("Check the films"))
        self.moments_button.setText(_("Set moment times…"))
        self.moments_button.setToolTip(_("At the office: play a film and mark where each moment starts and ends, "
                                         "for the next content pack"))
        self.check_button.setToolTip(_("Make sure every film is complete and undamaged before the session"))
        if self.services.manifest is None:
            self.empty.set_text(_("The film list could not be read"), self.services.manifest_error or "")
            self.empty.show()
        else:
            self.empty.hide()
        for row, entry in enumerate(self.entries):
            self.film_list.item(row).setText(self._item_text(entry))
        self._show_entry(self.film_list.currentRow())
        if sys.platform.startswith("linux"):
            how = _("Ask whoever looks after this computer to run this command:") + "\n" + INSTALL_HINT_LINUX
        else:
            how = _("Ask whoever looks after this computer to install VLC 3 from videolan.org.")
        self.unavailable.set_text(
            _("Films cannot be played on this computer"),
            _("The video player needs VLC (libVLC 3), which was not found on this computer. "
              "Everything else in the application works without it.") + "\n\n" + how,
        )
        self.player_panel.retranslate()
        self.transcript.retranslate()

    def shutdown(self) -> None:
        if self._thumbnail_task is not None:
            self._thumbnail_task.cancel()
            self._thumbnail_task.wait(5)
        self.save_position()
        self.player_panel.shutdown()
