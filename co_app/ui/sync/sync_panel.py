"""The Settings card "Export and sync": which laptop this is (its name, role and key
fingerprint, read aloud to the office when it enrols), its office, and the buttons for
export, import, conflicts, held changes and the attendance spreadsheet.

The keys and enrolment are the core's (co_app/core/sync/keys.py); ``sync status``,
``sync name``, ``sync enrol`` and ``sync office-key`` do the same from the command line."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget,
)

from co_app.core.foundation.errors import CoError
from co_app.core.foundation.i18n import _, format_number, isolate, ngettext
from co_app.ui.shell.flow_layout import FlowLayout
from co_app.ui.shell.widgets import settings_card
from co_app.ui.sync.sync_dialogs import AttendanceExportDialog, SyncExportDialog, SyncImportDialog, pending_text

KEY_FILTER = "*.cokey"


def role_word(role: str) -> str:
    return _("Programme office") if role == "office" else _("Laptop")


class SyncPanel(QWidget):
    """The Settings card: this laptop, its office, export, import, conflicts, held changes."""

    def __init__(self, services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        layout, self.heading = settings_card(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addLayout(self._identity_form())
        layout.addSpacing(12)
        layout.addWidget(self.status)
        self.export_button, self.import_button = QPushButton(), QPushButton()
        self.conflicts_button, self.held_button, self.attendance_button = QPushButton(), QPushButton(), QPushButton()
        self.export_button.clicked.connect(lambda: self._open(SyncExportDialog(self.services, self)))
        self.import_button.clicked.connect(lambda: self._open(SyncImportDialog(self.services, parent=self)))
        self.conflicts_button.clicked.connect(self._open_conflicts)
        self.held_button.clicked.connect(self._open_held)
        self.attendance_button.clicked.connect(lambda: self._open(AttendanceExportDialog(self.services, self)))
        # Each button whole, in every language and text size: the row wraps where they do not
        # fit (three on a row made Settings scroll sideways at 1024 px with larger text).
        buttons = FlowLayout(spacing=8, line_spacing=6)
        for button in (self.export_button, self.import_button, self.attendance_button, self.conflicts_button,
                       self.held_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.pending = self.conflicts = self.held = 0
        self.name = ""
        self.role = "laptop"
        self.fingerprint_text = ""
        self.office = None  # PublicKeys of the enrolled office
        self.dialog: QDialog | None = None

    def _identity_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(80)
        self.name_save = QPushButton()
        self.name_edit.returnPressed.connect(self.save_name)
        self.name_save.clicked.connect(self.save_name)
        name_row = QHBoxLayout()
        name_row.addWidget(self.name_edit, 1)
        name_row.addWidget(self.name_save)
        self.name_hint = QLabel()
        self.name_hint.setObjectName("muted")
        self.name_hint.setWordWrap(True)
        self.role_label = QLabel()
        self.fingerprint = QLabel()
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                                 | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        # Read aloud over the phone and compared on two screens: large, fixed-width, never mirrored.
        self.fingerprint.setStyleSheet("font-family: 'DejaVu Sans Mono', monospace; font-size: 15pt;")
        self.fingerprint.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.fingerprint.setWordWrap(True)
        self.office_label = QLabel()
        self.office_label.setWordWrap(True)
        self.enrol_button = QPushButton()
        self.enrol_button.clicked.connect(self.enrol)
        self.office_key_button = QPushButton()
        self.office_key_button.clicked.connect(self.save_office_key)
        office_row = QHBoxLayout()
        office_row.addWidget(self.office_label, 1)
        office_row.addWidget(self.enrol_button)
        office_row.addWidget(self.office_key_button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        self._captions = [QLabel() for _ in range(4)]
        self._captions[0].setBuddy(self.name_edit)
        form.addRow(self._captions[0], name_row)
        form.addRow("", self.name_hint)
        form.addRow(self._captions[1], self.role_label)
        form.addRow(self._captions[2], self.fingerprint)
        form.addRow(self._captions[3], office_row)
        form.addRow(self.message)
        return form

    def refresh(self) -> None:
        from co_app.core.db import identity
        from co_app.core.sync import review
        from co_app.core.sync.conflicts import unreviewed_count
        from co_app.core.sync.keys import enrolled_office, own_keys
        from co_app.core.sync.package import pending_changes

        with self.services.db.session() as db:
            self.pending, self.conflicts = pending_changes(db), unreviewed_count(db)
            self.held = len(review.list_held(db))
        with self.services.db.engine.begin() as conn:
            self.name, self.role = identity.device_name(conn), identity.role(conn)
            self.fingerprint_text = own_keys(conn).public.fingerprint  # made the first time
            self.office = enrolled_office(conn)
        self.name_edit.setText(self.name)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Export and sync"))
        conflicts = ngettext("{count} conflict to review.", "{count} conflicts to review.",
                             self.conflicts).format(count=format_number(self.conflicts)) if self.conflicts else ""
        self.status.setText(" ".join(part for part in (pending_text(self.pending), conflicts) if part))
        office = self.role == "office"
        for caption, text in zip(self._captions, (_("This laptop's name") if not office else _("This office's name"),
                                                  _("Role"), _("Key fingerprint"), _("Office"))):
            caption.setText(text)
        self.name_save.setText(_("Save name"))
        self.name_edit.setAccessibleName(self._captions[0].text())
        self.name_edit.setPlaceholderText(_("e.g. Amman laptop 2"))
        self.name_hint.setText(_("Give this laptop a name the office will recognise, e.g. Amman laptop 2"))
        self.name_hint.setVisible(not self.name)
        self.role_label.setText(role_word(self.role))
        self.fingerprint.setText(self.fingerprint_text)
        if office:
            self.office_label.setText(_("Laptops enrol with this office's key file."))
        elif self.office is not None:
            self.office_label.setText(_("Enrolled with {office} (fingerprint {fingerprint})").format(
                office=isolate(self.office.name or _("the office")), fingerprint=isolate(self.office.fingerprint)))
        else:
            self.office_label.setText(_("Not enrolled with an office"))
        self.enrol_button.setText(_("Enrol with the office…"))
        self.enrol_button.setVisible(not office and self.office is None)
        self.office_key_button.setText(_("Save the office key file…"))
        self.office_key_button.setVisible(office)
        self.export_button.setText(_("Export for the office…") if not office else _("Export for the laptops…"))
        self.import_button.setText(_("Import a sync package…"))
        self.conflicts_button.setText(_("Conflicts…"))
        self.held_button.setText(_("Review held changes ({count})…").format(count=format_number(self.held)))
        self.held_button.setEnabled(self.held > 0)
        self.attendance_button.setText(_("Attendance spreadsheet…"))

    def _say(self, text: str, *, warning: bool = False) -> None:
        self.message.setText(text)
        self.message.setObjectName("warning" if warning else "")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.show()

    def save_name(self) -> None:
        from co_app.core.db import identity

        try:
            with self.services.db.engine.begin() as conn:
                identity.set_name(conn, self.name_edit.text())
        except ValueError:
            self._say(_("A name has 1 to 80 letters, digits or spaces; type one the office will recognise."),
                      warning=True)
            return
        self.refresh()
        self._say(_("Saved: the office sees this name from the next package on."))

    # Both open a file dialog; a test replaces them.
    def choose_key_file(self) -> Path | None:
        chosen, _filter = QFileDialog.getOpenFileName(self, _("Open the office key file"), "",
                                                      _("Office key files ({pattern});;All files (*)")
                                                      .format(pattern=KEY_FILTER))
        return Path(chosen) if chosen else None

    def choose_key_destination(self) -> Path | None:
        suggested = str(self.services.paths.exports / "office.cokey")
        chosen, _filter = QFileDialog.getSaveFileName(self, _("Save the office key file"), suggested,
                                                      _("Office key files ({pattern})").format(pattern=KEY_FILTER))
        return Path(chosen) if chosen else None

    def enrol(self) -> None:
        from co_app.core.sync.keys import enrol_with_office

        path = self.choose_key_file()
        if path is None:
            return
        try:
            with self.services.db.engine.begin() as conn:
                office = enrol_with_office(conn, path)
        except CoError:
            self._say(_("{file} is not an office key file that can be read: ask the office for the file it saved "
                        "with “Save the office key file…”.").format(file=isolate(path.name)), warning=True)
            return
        self.refresh()
        self._say(_("Enrolled: packages from this laptop are now sealed for {office} and signed.").format(
            office=isolate(office.name or _("the office"))))

    def save_office_key(self) -> None:
        from co_app.core.sync.keys import write_office_key

        path = self.choose_key_destination()
        if path is None:
            return
        try:
            with self.services.db.engine.begin() as conn:
                write_office_key(conn, path)
        except CoError as exc:
            self._say(str(exc), warning=True)
            return
        self._say(_("Saved {file}: copy it to each laptop and choose “Enrol with the office…” there.").format(
            file=isolate(str(path))))

    def _open_conflicts(self) -> None:
        from co_app.ui.sync.conflicts_dialog import ConflictsDialog

        self._open(ConflictsDialog(self.services, self))

    def _open_held(self) -> None:
        from co_app.ui.sync.held_dialog import HeldDialog

        self._open(HeldDialog(self.services, self))

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(self.refresh)
        dialog.open()
