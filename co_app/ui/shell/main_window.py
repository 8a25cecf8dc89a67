"""The main window: a navigation column and one page at a time.

Only Home is built before the first paint; every other page is built the first time it
is shown, so start-up pays for what the facilitator sees and nothing more.  The database
opens right after the first paint (``finish_startup``) unless it had to open earlier.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication, QComboBox, QHBoxLayout, QLabel, QListWidget, QPushButton, QStackedWidget, QVBoxLayout,
    QWidget,
)

from co_app import APP_NAME
from co_app.core.foundation import i18n
from co_app.core.bootstrap import Services
from co_app.core.foundation.errors import CoError, Notice
from co_app.core.foundation.i18n import N_, _
from co_app.ui.safety import viewer_guard
from co_app.ui.shell import office_pages
from co_app.ui.shell.keyboard import DeliberateChoice, return_presses_buttons
from co_app.ui.shell.language import LanguageSwitcher, listen_while_alive
from co_app.ui.shell.theme import apply_theme
from co_app.ui.shell.page import View, text_size_changed
from co_app.ui.shell.home import HomeView
from co_app.ui.shell.widgets import NoticeBar

if TYPE_CHECKING:
    from co_app.player.protocol import PlayerFactory

log = logging.getLogger(__name__)


def _qt():
    """Qt's enum namespace, fetched when first needed: its first touch costs start-up time."""
    from PySide6.QtCore import Qt

    return Qt


@dataclass(frozen=True)
class Page:
    key: str
    title: str  # marked with N_, translated where shown
    build: Callable[["MainWindow"], View]


def _films(w: "MainWindow") -> View:
    from co_app.ui.media.films import FilmsView

    return FilmsView(w.services, w.player_factory, kiosk=w.kiosk)


def _content_page(module: str, class_name: str) -> Callable[["MainWindow"], View]:
    """Towns and Modules: content pages whose film moment links open the player."""

    def build(w: "MainWindow") -> View:
        import importlib

        view = getattr(importlib.import_module(module), class_name)(w.services)
        view.moment_requested.connect(w.play_moment)
        return view

    return build


_towns = _content_page("co_app.ui.content.towns", "TownsView")
_modules = _content_page("co_app.ui.content.modules", "ModulesView")


def _attendance(w: "MainWindow") -> View:
    from co_app.ui.attendance.page import AttendanceView

    view = AttendanceView(w.services)
    view.film_requested.connect(lambda film_id: w.play_film(film_id, on_end=view.film_finished, runner=view.runner))
    office_pages.name_laptops(w, view)
    return view


def _settings(w: "MainWindow") -> View:
    from co_app.ui.shell.settings_view import SettingsView

    view = SettingsView(w.services)
    view.larger_text_changed.connect(w.larger_text_changed)
    view.data_restored.connect(w.data_restored)
    return view


def _kiosk_start(w: "MainWindow") -> View:
    from co_app.ui.safety.kiosk_start import KioskStartView

    view = KioskStartView(w.services)
    view.language_chosen.connect(w.viewer_language_chosen)
    return view


def _feedback(w: "MainWindow") -> View:
    from co_app.ui.learning.feedback_view import FeedbackView  # the faces at a session's end (issue 21)

    return FeedbackView(w.services)


PAGES = (
    Page("welcome", N_("Language"), _kiosk_start),
    Page("office", N_("Office"), office_pages.build_office),
    Page("home", N_("Home"), lambda w: w.home),
    Page("films", N_("Films"), _films),
    Page("towns", N_("Towns"), _towns),
    Page("modules", N_("Modules"), _modules),
    Page("attendance", N_("Attendance"), _attendance),
    Page("settings", N_("Settings"), _settings),
    Page("feedback", N_("Your opinion"), _feedback),
)
#: What the viewer (kiosk) mode may show: its language page, films, towns and the
#: participants' anonymous feedback faces — nothing about people, no exports, no settings.
KIOSK_PAGES = ("welcome", "films", "towns", "feedback")
#: The facilitator's pages (the viewer's language page is not one of them).
FULL_PAGES = ("home", "films", "towns", "modules", "attendance", "settings")


class MainWindow(QWidget):
    """A plain top-level widget: no menus, toolbars or status bar are used, and subclassing
    QMainWindow in Python makes PySide build its enums at start-up."""

    #: Emitted once the database is open and the first page shows its data.
    ready = Signal()
    #: Emitted when start-up failed after the window appeared (message); the app exits.
    startup_failed = Signal(str)

    def __init__(self, services: Services, switcher: LanguageSwitcher, player_factory: PlayerFactory,
                 *, kiosk: bool = False) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.services = services
        self.switcher = switcher
        self.player_factory = player_factory
        self.kiosk = kiosk
        self.setProperty("kiosk", kiosk)  # the theme gives the viewer bigger touch targets
        #: The language the facilitator started with: leaving the viewer returns to it.
        self.facilitator_language = i18n.current_language()
        self.is_ready = False
        self.pages = self.pages_for(kiosk)
        self._built: dict[str, View] = {}
        self.home = HomeView(services, self)  # parented: kiosk mode never puts it in the stack
        self.home.navigate.connect(self.show_view)
        self.home.start_session_requested.connect(self.start_session)
        self.home.open_session_requested.connect(self.open_session)
        self.home.run_session_requested.connect(self.run_session)
        self.home.hand_over_requested.connect(self.enter_viewer)
        self._build()
        listen_while_alive(self, self._language_changed)
        self.retranslate()
        self.show_notices(services.warnings)
        self.nav.setCurrentRow(0)
        self.resize(1200, 780)

    def pages_for(self, kiosk: bool) -> list[Page]:
        keys = KIOSK_PAGES if kiosk else office_pages.OFFICE_PAGES if self.services.is_office else FULL_PAGES
        return [p for key in keys for p in PAGES if p.key == key]  # in the order of ``keys``

    @property
    def view_keys(self) -> list[str]:
        return [p.key for p in self.pages]

    def _build(self) -> None:
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.stack = QStackedWidget()
        for _page in self.pages:
            self.nav.addItem("")
        self.nav.currentRowChanged.connect(self._nav_changed)
        self._may_close = False  # the viewer refuses to close (closeEvent) unless told
        self.leave_button = QPushButton()
        self.leave_button.setObjectName("sidebarButton")
        self.leave_button.clicked.connect(self.ask_to_leave_viewer)
        self.leave_button.setVisible(self.kiosk)

        self.sidebar_title = QLabel()
        self.sidebar_title.setObjectName("sidebarTitle")
        self.sidebar_title.setWordWrap(True)
        self.language_caption = QLabel()
        self.language_caption.setObjectName("sidebarCaption")
        self.language_picker = QComboBox()
        DeliberateChoice(self.language_picker)
        for lang in i18n.available_languages(self.services.locale_dir):
            self.language_picker.addItem(lang.native_name, lang.code)
        self.language_caption.setBuddy(self.language_picker)
        self.language_picker.activated.connect(self._language_picked)

        sidebar = QWidget()
        sidebar.setObjectName("appSidebar")
        sidebar.setFixedWidth(190)
        self.sidebar = sidebar  # narrower on a 1024 px netbook (resizeEvent)
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(0, 0, 0, 12)
        side.addWidget(self.sidebar_title)
        side.addWidget(self.nav, 1)
        leave_row = QHBoxLayout()
        leave_row.setContentsMargins(12, 0, 12, 8)
        leave_row.addWidget(self.leave_button)
        side.addLayout(leave_row)
        side.addWidget(self.language_caption)
        picker_row = QHBoxLayout()
        picker_row.setContentsMargins(12, 0, 12, 0)
        picker_row.addWidget(self.language_picker)
        side.addLayout(picker_row)

        self.notice_bar = NoticeBar()
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.notice_bar)
        column.addWidget(self.stack, 1)

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(sidebar)
        row.addWidget(content, 1)
        for index in range(len(PAGES)):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self)
            shortcut.activated.connect(functools.partial(self._go_to_row, index))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.text_size_changed(event.size())

    def text_size_changed(self, size=None) -> None:
        """The sidebar's width for the window's size and the text size (again when Settings
        → Larger text changes: at 160 px the larger app name was cut and the pages' list scrolled)."""
        size = size or self.size()
        # Narrower on a netbook: the pages get the room (not with larger text: the names need it).
        narrow = size.width() < 1200 and QApplication.font().pointSizeF() < 14
        self.sidebar.setFixedWidth(160 if narrow else 190)
        # Low (600 px): less padding in the page list, so that every page's name shows.
        low = size.height() < 700
        self.nav.setStyleSheet("QListWidget#nav::item { padding: 5px 14px; }" if low else "")

    def _go_to_row(self, row: int) -> None:
        """Ctrl+1…: the page at that place in the column, when this mode has one there."""
        if row < self.nav.count():
            self.nav.setCurrentRow(row)

    # -- start-up ---------------------------------------------------------------------
    def finish_startup(self) -> bool:
        """Check the database can be read (if start-up left it closed) and show the first page's data."""
        if self.is_ready:
            return True
        from co_app.ui.shell.fonts import load_all

        load_all()  # the other scripts' fonts: names in the language list, slides, printouts
        self._add_review_notes()
        try:
            self.services.check_database()  # with sqlite3: the ORM waits for a page that needs it
        except CoError as exc:
            log.error("start-up failed: %s", exc)
            self.startup_failed.emit(str(exc))
            return False
        self.is_ready = True
        self.current_view().refresh()
        from co_app.core.bootstrap import freeze_long_lived

        freeze_long_lived()  # what start-up built lives as long as the window
        self.ready.emit()
        return True

    def _add_review_notes(self) -> None:
        """Each language's entry says, in that language, how far its translation is
        reviewed (after the first paint: it reads every catalog)."""
        role = _qt().ItemDataRole.ToolTipRole
        for index in range(self.language_picker.count()):
            note = i18n.review_note(self.language_picker.itemData(index), self.services.locale_dir)
            if note:
                self.language_picker.setItemData(index, note, role)

    # -- navigation -------------------------------------------------------------------
    def view(self, key: str) -> View | None:
        """The page for ``key``, built on first use; None when this mode does not offer it."""
        if key in self._built:  # (a page built before a hand-over to the viewer is not the viewer's)
            return self._built[key] if key in self.view_keys else None
        page = next((p for p in self.pages if p.key == key), None)
        if page is None:
            return None
        view = page.build(self)
        self._built[key] = view
        self.stack.addWidget(view)
        return_presses_buttons(view)
        view.retranslate()
        return view

    def show_view(self, key: str) -> None:
        if key in self.view_keys:
            self.nav.setCurrentRow(self.view_keys.index(key))

    def current_view(self) -> View:
        return self.view(self.pages[max(0, self.nav.currentRow())].key)  # type: ignore[return-value]

    # -- the viewer (kiosk) mode --------------------------------------------------------
    def viewer_language_chosen(self, code: str) -> None:
        """A participant picked a language: use it (without saving it) and show the films."""
        i18n.set_language(code, self.services.locale_dir)
        self.show_view("films")
        films = self.view("films")
        if films is not None:
            films.follow_viewer_language()  # type: ignore[attr-defined]

    def ask_to_leave_viewer(self):  # returns the dialog (for tests), or None
        """The PIN, then the facilitator's window (co_app/ui/safety/viewer_guard.py)."""
        return viewer_guard.ask_to_leave(self)

    def leave_viewer(self) -> None:
        """After the right PIN: every page of the facilitator's window, on the same screen."""
        self._switch_mode(False)
        self.showNormal()

    def enter_viewer(self) -> bool:
        """*Hand to a participant* (Home), once a PIN is set: the viewer until the PIN leads back."""
        if self.kiosk or not viewer_guard.may_hand_over(self.services):
            return False
        self.facilitator_language = i18n.current_language()
        self._switch_mode(True)
        self.show_viewer_full_screen()
        return True

    def _switch_mode(self, kiosk: bool) -> None:
        """The facilitator's window and the viewer, one into the other (viewer_guard.switch_mode)."""
        viewer_guard.switch_mode(self, kiosk, films=self._built.get("films"))

    def show_viewer_full_screen(self) -> None:
        """The viewer as the whole screen, and kept so (co_app/ui/safety/viewer_guard.py)."""
        viewer_guard.show_full_screen(self)

    def play_moment(self, film_id: str, moment_id: str) -> bool:
        """A moment link in a town profile or a module: go to Films and play that part."""
        film = self.services.manifest.film(film_id) if self.services.manifest else None
        moment = film.moment(moment_id) if film else None
        films = self.view("films")
        if moment is None or films is None:
            return False
        self.show_view("films")
        return films.open_moment(film_id, moment.start_ms, moment.end_ms)  # type: ignore[attr-defined]

    def open_session(self, session_id: str, page: str = "checkin") -> None:
        """Attendance, on that session's page (after "Start a session": the check-in)."""
        view = self.view("attendance")
        if view is None:
            return
        self.show_view("attendance")
        view.session_id = session_id  # type: ignore[attr-defined]
        view.refresh()
        view.show_page(page)  # type: ignore[attr-defined]

    def run_session(self, session_id: str):  # the runner window (for tests)
        view = self.view("attendance")
        return view.run_session(session_id) if view is not None else None  # type: ignore[attr-defined]

    def play_film(self, film_id: str, on_end: Callable[[], None] | None = None, runner=None) -> bool:
        """A film step of the session runner: go to Films and play it (F sends it to the
        projector from there); ``on_end`` is called once when the film ends (the runner
        comes back).  With the ``runner``, the runner shows it: on the projector, its keys."""
        films = self.view("films")
        if films is None:
            return False
        if runner is not None:
            return runner.play_film_with(films)
        if on_end is not None:
            from co_app.player.protocol import PlayerState

            panel = films.player_panel  # type: ignore[attr-defined]

            def ended(state: object) -> None:
                if state is PlayerState.ENDED:
                    panel.state_changed.disconnect(ended)
                    if panel.projecting:
                        panel.leave_projector()
                    on_end()

            panel.state_changed.connect(ended)
        self.show_view("films")
        self.raise_()
        self.activateWindow()
        films.select_film(film_id)  # type: ignore[attr-defined]
        return films.play_selected()  # type: ignore[attr-defined]

    def _nav_changed(self, row: int) -> None:
        if not 0 <= row < len(self.pages):
            return
        key = self.pages[row].key
        # A page's first visit builds it, and the first page that edits sessions or people
        # loads the ORM (~0.2 s on the development machine): say so with the busy cursor.
        busy = self.is_ready and key not in self._built  # (not before the first paint: it costs)
        if busy:
            QApplication.setOverrideCursor(_qt().CursorShape.WaitCursor)
        try:
            view = self.view(key)
            assert view is not None
            if self.is_ready or self._built.get("home") is not view:
                self.finish_startup()  # a click before the first paint finished: open now
                view.refresh()
            self.stack.setCurrentWidget(view)
        finally:
            if busy:
                QApplication.restoreOverrideCursor()

    def start_session(self):  # returns the dialog (for tests)
        from co_app.ui.sessions.start_session import StartSessionDialog

        dialog = StartSessionDialog(self.services, self)
        dialog.setAttribute(_qt().WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.home.refresh)
        dialog.accepted.connect(lambda: self.open_session(dialog.created.id) if dialog.created else None)
        dialog.open()
        return dialog

    # -- language ---------------------------------------------------------------------
    def _language_picked(self, _index: int) -> None:
        code = self.language_picker.currentData()
        i18n.set_language(code, self.services.locale_dir)  # listeners retranslate
        if not self.kiosk:  # a participant's choice in the viewer is not the facilitator's language
            self.services.settings.language = code
            self.services.save_settings()

    def _language_changed(self, code: str) -> None:
        self.switcher.apply(code)
        self.retranslate()

    def retranslate(self) -> None:
        office = _("{app} — office: {hub}").format(app=APP_NAME, hub=self.services.hub_label)
        self.setWindowTitle(_("{app} — viewer mode").format(app=APP_NAME) if self.kiosk
                            else office if self.services.is_office else APP_NAME)
        self.sidebar_title.setText(_("Welcoming Communities"))
        self.language_caption.setText(_("Language"))
        # The sign in the sidebar's own light colour (the style's close icon was dark on dark).
        self.leave_button.setText("\u2715  " + _("Exit"))
        self.leave_button.setToolTip(_("Leave the viewer (facilitator)"))
        self.leave_button.setAccessibleName(_("Leave the viewer (facilitator)"))
        self.language_picker.setAccessibleName(_("Language"))
        self.nav.setAccessibleName(_("Sections"))
        index = self.language_picker.findData(i18n.current_language())
        self.language_picker.setCurrentIndex(max(0, index))
        for row, page in enumerate(self.pages):
            self.nav.item(row).setText(_(page.title))
        for view in self._built.values():
            view.retranslate()
        self.notice_bar.retranslate()

    def larger_text_changed(self, larger: bool) -> None:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, larger_text=larger)
            text_size_changed(self)  # each page's small-screen form, chosen again as at start-up

    def show_notices(self, notices: list[Notice]) -> None:
        self.notice_bar.show_notices(notices)

    def data_restored(self, _backup: object) -> None:
        """A backup replaced the database: every page built so far shows the restored data."""
        for view in self._built.values():
            view.refresh()

    def close_for_good(self) -> bool:
        """Close even the viewer, without the PIN (tests, and whoever holds the process)."""
        self._may_close = True
        return self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.kiosk and not self._may_close:
            # Alt+F4 or the window's close button must not end the viewer: only the PIN does,
            # and the PIN leads back to the facilitator's window, as the Exit button does.
            event.ignore()
            viewer_guard.ask_to_leave_once(self)
            return
        i18n.remove_language_listener(self._language_changed)
        for view in self._built.values():
            view.shutdown()
        super().closeEvent(event)
