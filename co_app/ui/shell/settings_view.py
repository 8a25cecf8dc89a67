"""Settings: larger text, where this installation keeps its data, its backups, the content
version (and content packs from the office), export and sync."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from co_app import __version__
from co_app.core.foundation.i18n import N_, _
from co_app.player.protocol import PlayerUnavailable
from co_app.ui.shell.page import View, page_layout, scrolling
from co_app.ui.shell.widgets import page_title


def _libvlc_version() -> str | None:
    try:
        from co_app.player.vlc_backend import libvlc_version

        return libvlc_version()
    except PlayerUnavailable:
        return None


class SettingsView(View):
    key = "settings"
    nav_title = N_("Settings")

    larger_text_changed = Signal(bool)
    #: A backup replaced the database (BackupInfo): every page reloads its data.
    data_restored = Signal(object)

    def __init__(self, services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        # Three cards (settings, backups, export and sync) are taller than a 768-pixel screen: scroll.
        content = QWidget()
        layout = page_layout(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content))
        self.title = page_title()
        card = QFrame()
        card.setObjectName("card")
        self.form = QFormLayout(card)
        self.form.setContentsMargins(24, 20, 24, 20)
        self.larger_text = QCheckBox()
        self.larger_text.setChecked(services.settings.larger_text)
        self.larger_text.toggled.connect(self._larger_text_toggled)
        self.data_dir = QLabel(str(services.paths.root))
        self.data_dir.setWordWrap(True)
        self.open_folder = QPushButton()
        self.open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.services.paths.root)))
        )
        self.device = QLabel()
        self.version = QLabel()
        self._labels = [QLabel() for _ in range(5)]
        folder_row = QWidget()
        folder_layout = QHBoxLayout(folder_row)
        folder_layout.setContentsMargins(0, 0, 0, 0)
        folder_layout.addWidget(self.open_folder)
        folder_layout.addStretch(1)
        rows = [self.larger_text, self.data_dir, folder_row, self.device, self.version]
        for label, widget in zip(self._labels, rows):
            self.form.addRow(label, widget)
        # The facilitator PIN (it guards the viewer): changed with the current one first.
        self.pin_label = QLabel()
        self.pin_button = QPushButton()
        self.pin_button.clicked.connect(self.change_pin)
        if not services.is_office:  # the office's hub hands no laptop over
            pin_row = QWidget()
            pin_layout = QHBoxLayout(pin_row)
            pin_layout.setContentsMargins(0, 0, 0, 0)
            pin_layout.addWidget(self.pin_button)
            pin_layout.addStretch(1)
            self.form.addRow(self.pin_label, pin_row)
        from co_app.ui.safety.backup_view import BackupsPanel

        self.backups = BackupsPanel(services)
        self.backups.restored.connect(self.data_restored)
        # Over the office's hub the backups are its server's: this folder's copies are not the hub.
        self.backups.setVisible(not services.is_office)
        from co_app.ui.content.pack_panel import ContentPackPanel

        self.content_pack = ContentPackPanel(services, self._office_key)
        self.content_pack.content_changed.connect(lambda: self.data_restored.emit(None))
        layout.addWidget(self.title)
        layout.addWidget(card)
        layout.addWidget(self.content_pack)  # which content the sessions show: seen without scrolling
        layout.addWidget(self.backups)
        from co_app.ui.sync.sync_panel import SyncPanel

        self.sync = SyncPanel(services)
        layout.addWidget(self.sync)
        layout.addStretch(1)
        self._vlc: str | None = None
        self._pin_set = False

    def refresh(self) -> None:
        from co_app.core.db.glance import pin_is_set

        if not self.services.is_office:
            with self.services.plain() as conn:
                self._pin_set = pin_is_set(conn)
        if self._vlc is None:
            self._vlc = _libvlc_version() or ""
        self.device.setText(self.services.db.device_id)
        self.backups.refresh()
        self.sync.refresh()
        self.content_pack.refresh()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Settings"))
        captions = [_("Text size"), _("Data folder"), "", _("This computer's id"), _("Version")]
        for label, caption in zip(self._labels, captions):
            label.setText(caption)
        self.larger_text.setText(_("Larger text (easier to read on a projector)"))
        self.open_folder.setText(_("Open the data folder"))
        self.pin_label.setText(_("Facilitator PIN"))
        self.pin_button.setText(_("Change the PIN…") if self._pin_set else _("Set the PIN…"))
        vlc = self._vlc or _("not installed")
        self.version.setText(_("{version} · video player: libVLC {vlc}").format(version=__version__, vlc=vlc))
        self.backups.retranslate()
        self.sync.retranslate()
        self.content_pack.retranslate()

    def change_pin(self):  # returns the dialog (for tests)
        from co_app.ui.safety.pin_dialogs import ChangePinDialog, SetPinDialog

        dialog = (ChangePinDialog if self._pin_set else SetPinDialog)(self.services, self)
        dialog.accepted.connect(self.refresh)
        dialog.open()
        return dialog

    def _office_key(self) -> tuple[bytes, str] | None:
        """The office this laptop is enrolled with: its content packs are the ones accepted."""
        from co_app.core.sync.keys import enrolled_office

        with self.services.db.engine.begin() as conn:
            office = enrolled_office(conn)
        return (office.sign, office.name) if office is not None else None

    def _larger_text_toggled(self, checked: bool) -> None:
        self.services.settings.larger_text = checked
        self.services.save_settings()
        self.larger_text_changed.emit(checked)
