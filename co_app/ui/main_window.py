"""The main window: a navigation column and one page at a time."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QListWidget, QMainWindow, QStackedWidget, QVBoxLayout, QWidget,
)

from co_app import APP_NAME
from co_app.core import i18n
from co_app.core import sessions as session_service
from co_app.core.bootstrap import Services
from co_app.core.errors import Notice
from co_app.core.i18n import _
from co_app.player.protocol import PlayerFactory
from co_app.ui.language import LanguageSwitcher
from co_app.ui.start_session import StartSessionDialog
from co_app.ui.theme import apply_theme
from co_app.ui.views.attendance import AttendanceView
from co_app.ui.views.base import View
from co_app.ui.views.films import FilmsView
from co_app.ui.views.home import HomeView
from co_app.ui.views.modules import ModulesView
from co_app.ui.views.settings_view import SettingsView
from co_app.ui.views.towns import TownsView
from co_app.ui.widgets import NoticeBar

#: What the viewer (kiosk) mode may show: towns and films, nothing about people.
KIOSK_VIEWS = ("films", "towns")


class MainWindow(QMainWindow):
    def __init__(self, services: Services, switcher: LanguageSwitcher, player_factory: PlayerFactory,
                 *, kiosk: bool = False) -> None:
        super().__init__()
        self.services = services
        self.switcher = switcher
        self.kiosk = kiosk
        self.home = HomeView(services)
        self.films = FilmsView(services, player_factory)
        all_views: list[View] = [
            self.home, self.films, TownsView(services), ModulesView(services),
            AttendanceView(services), SettingsView(services),
        ]
        self.views = [v for v in all_views if not kiosk or v.key in KIOSK_VIEWS]
        self._build()
        self.home.navigate.connect(self.show_view)
        self.home.start_session_requested.connect(self.start_session)
        settings_view = self.view("settings")
        if isinstance(settings_view, SettingsView):
            settings_view.larger_text_changed.connect(self._larger_text_changed)
        i18n.add_language_listener(self._language_changed)
        self.retranslate()
        self.show_notices(services.warnings)
        self.nav.setCurrentRow(0)
        self.resize(1200, 780)

    def _build(self) -> None:
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.stack = QStackedWidget()
        for view in self.views:
            self.nav.addItem("")
            self.stack.addWidget(view)
        self.nav.currentRowChanged.connect(self._nav_changed)

        self.sidebar_title = QLabel()
        self.sidebar_title.setObjectName("sidebarTitle")
        self.sidebar_title.setWordWrap(True)
        self.language_caption = QLabel()
        self.language_caption.setObjectName("sidebarCaption")
        self.language_picker = QComboBox()
        for lang in i18n.available_languages(self.services.locale_dir):
            self.language_picker.addItem(lang.native_name, lang.code)
        self.language_caption.setBuddy(self.language_picker)
        self.language_picker.activated.connect(self._language_picked)

        sidebar = QWidget()
        sidebar.setObjectName("sidebar")
        sidebar.setFixedWidth(240)
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(0, 0, 0, 12)
        side.addWidget(self.sidebar_title)
        side.addWidget(self.nav, 1)
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

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(sidebar)
        row.addWidget(content, 1)
        self.setCentralWidget(central)
        for index in range(len(self.views)):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self)
            shortcut.activated.connect(lambda i=index: self.nav.setCurrentRow(i))

    # -- navigation -------------------------------------------------------------------
    def view(self, key: str) -> View | None:
        return next((v for v in self.views if v.key == key), None)

    def show_view(self, key: str) -> None:
        for index, view in enumerate(self.views):
            if view.key == key:
                self.nav.setCurrentRow(index)
                return

    def current_view(self) -> View:
        return self.views[self.stack.currentIndex()]

    def _nav_changed(self, row: int) -> None:
        if 0 <= row < len(self.views):
            view = self.views[row]
            if view is self.films:
                self.films.session_language = self._today_language()
            view.refresh()
            self.stack.setCurrentIndex(row)

    def _today_language(self) -> str | None:
        with self.services.db.session() as db:
            today = session_service.sessions_on(db, date.today())
        return today[-1].language if today else None

    def start_session(self) -> StartSessionDialog:
        dialog = StartSessionDialog(self.services, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.home.refresh)
        dialog.open()
        return dialog

    # -- language ---------------------------------------------------------------------
    def _language_picked(self, _index: int) -> None:
        code = self.language_picker.currentData()
        i18n.set_language(code, self.services.locale_dir)  # listeners retranslate
        self.services.settings.language = code
        self.services.save_settings()

    def _language_changed(self, code: str) -> None:
        self.switcher.apply(code)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("{app} — viewer mode").format(app=APP_NAME) if self.kiosk else APP_NAME)
        self.sidebar_title.setText(_("Welcoming Communities"))
        self.language_caption.setText(_("Language"))
        self.language_picker.setAccessibleName(_("Language"))
        self.nav.setAccessibleName(_("Sections"))
        index = self.language_picker.findData(i18n.current_language())
        self.language_picker.setCurrentIndex(max(0, index))
        for row, view in enumerate(self.views):
            self.nav.item(row).setText(_(view.nav_title))
            view.retranslate()
        self.notice_bar.retranslate()

    def _larger_text_changed(self, larger: bool) -> None:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, larger_text=larger)

    def show_notices(self, notices: list[Notice]) -> None:
        self.notice_bar.show_notices(notices)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        i18n.remove_language_listener(self._language_changed)
        for view in self.views:
            view.shutdown()
        super().closeEvent(event)
