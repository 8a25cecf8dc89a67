"""Keyed sync as a facilitator and a programme officer meet it in the window: naming the
laptop, enrolling it with the office's key file, exporting sealed without a passphrase,
the office's question about a laptop it has not enrolled, and the held changes."""

from __future__ import annotations

import time
from pathlib import Path
from unittest import mock

from PySide6.QtCore import Qt
from sqlalchemy import select

from co_app.core.db import identity, versions
from co_app.core.db.models import Participant
from co_app.core.sync.keys import own_keys
from co_app.core.sync.package import export_package
from co_app.core.sync.service import import_package
from co_app.ui.sync.held_dialog import HeldDialog
from co_app.ui.sync.sync_dialogs import SyncExportDialog, SyncImportDialog
from co_app.ui.sync.sync_panel import SyncPanel
from tests.core.sync_helpers import enrol, laptop, office, populate


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def plain(text: str) -> str:
    return text.replace("\u2068", "").replace("\u2069", "")


def open_panel(qtbot, services) -> SyncPanel:
    panel = SyncPanel(services)
    qtbot.addWidget(panel)
    panel.refresh()
    panel.show()
    return panel


def make_office(services) -> None:
    """The window's own database is the office's."""
    with services.db.engine.begin() as conn:
        identity.set_role(conn, "office")
        identity.set_name(conn, "Amman office")


def fingerprint_of(db) -> str:
    with db.engine.begin() as conn:
        return own_keys(conn).public.fingerprint


def test_a_facilitator_names_the_laptop_and_reads_its_fingerprint(qtbot, services):
    import platform

    panel = open_panel(qtbot, services)
    # Until someone names it, a laptop is called after its computer.
    assert panel.name_edit.text() == " ".join(platform.node().split()) and not panel.name_hint.isVisible()
    panel.name_edit.clear()
    assert panel.role_label.text() == "Laptop"
    assert panel.fingerprint.text() == fingerprint_of(services.db) and len(panel.fingerprint.text()) == 39
    assert panel.fingerprint.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert panel.office_label.text() == "Not enrolled with an office"
    assert panel.enrol_button.isVisible() and not panel.office_key_button.isVisible()

    click(qtbot, panel.name_save)  # an empty name: a sentence, nothing saved
    assert panel.message.objectName() == "warning" and "1 to 80" in panel.message.text()
    with services.db.engine.begin() as conn:
        assert identity.device_name(conn) == " ".join(platform.node().split())

    qtbot.keyClicks(panel.name_edit, "Amman laptop 2")
    click(qtbot, panel.name_save)
    with services.db.engine.begin() as conn:
        assert identity.device_name(conn) == "Amman laptop 2"
    assert not panel.name_hint.isVisible() and panel.message.objectName() == ""
    assert panel.message.text() == "Saved: the office sees this name from the next package on."


def test_a_laptop_enrols_with_the_key_file_the_office_saved(qtbot, services, tmp_path):
    hub = office(tmp_path)
    key_file = tmp_path / "usb" / "office.cokey"
    key_file.parent.mkdir()
    # The office saves its key file from its own Settings page.
    hub_services = mock.Mock(db=hub, paths=services.paths)  # the office's Settings, on its database
    office_panel = SyncPanel(hub_services)
    qtbot.addWidget(office_panel)
    office_panel.refresh()
    office_panel.show()
    assert office_panel.role_label.text() == "Programme office"
    assert office_panel.office_key_button.isVisible() and not office_panel.enrol_button.isVisible()
    office_panel.choose_key_destination = lambda: key_file
    click(qtbot, office_panel.office_key_button)
    assert key_file.exists() and "copy it to each laptop" in office_panel.message.text()

    panel = open_panel(qtbot, services)
    wrong = tmp_path / "notes.txt"
    wrong.write_text("not a key\n")
    panel.choose_key_file = lambda: wrong
    click(qtbot, panel.enrol_button)
    assert plain(panel.message.text()).startswith("notes.txt is not an office key file that can be read")
    assert panel.message.objectName() == "warning" and panel.enrol_button.isVisible()

    panel.choose_key_file = lambda: key_file
    click(qtbot, panel.enrol_button)
    assert plain(panel.office_label.text()) == f"Enrolled with Office (fingerprint {fingerprint_of(hub)})"
    assert not panel.enrol_button.isVisible()
    assert plain(panel.message.text()) == "Enrolled: packages from this laptop are now sealed for Office and signed."
    hub.dispose()


def test_an_enrolled_laptop_exports_sealed_without_a_passphrase(qtbot, services, tmp_path):
    hub = office(tmp_path)
    enrol(hub, services.db, folder=tmp_path)
    populate(services.db)
    dialog = SyncExportDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.state is not None, timeout=5000)
    assert plain(dialog.sealing.text()).startswith("The package is sealed for “Office” and signed by this laptop")
    assert not dialog.passphrase.isVisible() and not dialog.passphrase_again.isVisible()
    # A hand-over to another laptop is still one tick away.
    assert dialog.handover.isVisible() and not dialog.handover.isChecked()
    click(qtbot, dialog.handover)
    assert dialog.passphrase.isVisible() and dialog.passphrase_again.isVisible()
    click(qtbot, dialog.handover)
    assert not dialog.passphrase.isVisible()

    target = tmp_path / "for-the-office.cosync"
    dialog.destination.edit.clear()
    qtbot.keyClicks(dialog.destination.edit, str(target))
    click(qtbot, dialog.action)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    assert dialog.status.text().startswith("Done: 25 records written to")
    assert import_package(hub.engine, target, None, trust_new=True).inserted == 25  # only the office opens it
    hub.dispose()


def test_a_laptop_not_enrolled_offers_only_the_hand_over(qtbot, services):
    dialog = SyncExportDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.state is not None, timeout=5000)
    assert "not enrolled with an office" in dialog.sealing.text()
    assert "Settings → Enrol with the office…" in dialog.sealing.text()
    assert not dialog.handover.isVisible() and dialog.passphrase.isVisible()


def _laptop_package(tmp_path: Path, services, name: str = "Amman laptop 2"):
    """A laptop enrolled with the window's (office) database, its records and its package."""
    other = laptop(tmp_path, "other-laptop")
    with other.engine.begin() as conn:
        identity.set_name(conn, name)
    enrol(services.db, other, folder=tmp_path)
    ids = populate(other)
    package = tmp_path / "from-the-laptop.cosync"
    export_package(other.engine, other.device_id, package, passphrase=None)
    return other, ids, package


def test_the_office_asks_before_it_enrols_a_new_laptop(qtbot, services, tmp_path):
    make_office(services)
    other, _ids, package = _laptop_package(tmp_path, services)
    dialog = SyncImportDialog(services, package)
    qtbot.addWidget(dialog)
    dialog.show()
    assert any(label.text() == "Passphrase (only for a package handed over from another laptop)"
               for label in dialog.findChildren(type(dialog.status)))
    click(qtbot, dialog.action)
    qtbot.waitUntil(dialog.question.isVisible, timeout=20000)
    assert "“Amman laptop 2”, a laptop this office has not enrolled" in plain(dialog.question_text.text())
    assert dialog.sender_fingerprint.text() == fingerprint_of(other)
    assert dialog.question_ask.text() == "Enrol this laptop and import?" and not dialog.action.isEnabled()
    assert dialog.enrol_yes.text() == "Yes, the fingerprints match"
    assert dialog.preview is None

    click(qtbot, dialog.enrol_yes)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)
    assert not dialog.question.isVisible()
    assert "Importing also enrols this laptop" in dialog.status.text()
    assert "25 new" in dialog.status.text() and dialog.action.text() == "Import"
    click(qtbot, dialog.action)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    assert dialog.status.text() == "Imported: 25 new, 0 updated, 0 unchanged; 0 conflicts logged."
    # Enrolled now: its next package is imported without the question.
    export_package(other.engine, other.device_id, tmp_path / "next.cosync", passphrase=None, full=True)
    assert import_package(services.db.engine, tmp_path / "next.cosync", None).unchanged == 25
    other.dispose()


def test_the_officer_can_refuse_to_enrol_a_laptop(qtbot, services, tmp_path):
    make_office(services)
    other, _ids, package = _laptop_package(tmp_path, services)
    dialog = SyncImportDialog(services, package)
    qtbot.addWidget(dialog)
    dialog.show()
    click(qtbot, dialog.action)
    qtbot.waitUntil(dialog.question.isVisible, timeout=20000)
    click(qtbot, dialog.enrol_no)
    assert dialog.status.text() == "Not imported: the laptop was not enrolled."
    assert dialog.action.isEnabled() and dialog.preview is None
    with services.db.session() as db:
        assert db.scalar(select(Participant).limit(1)) is None
    other.dispose()


def test_the_officer_accepts_a_held_change(qtbot, services, tmp_path):
    make_office(services)
    other, ids, package = _laptop_package(tmp_path, services)
    import_package(services.db.engine, package, None, trust_new=True)
    pid = ids["participants"][0]
    ahead = 30 * versions.DAY_MS
    with mock.patch.object(versions, "now_ms", lambda: time.time_ns() // 1_000_000 + ahead):
        with other.session() as s, s.begin():
            s.get(Participant, pid).nationality = "JO"  # the laptop's clock is a month ahead
    ahead_package = tmp_path / "ahead.cosync"
    export_package(other.engine, other.device_id, ahead_package, passphrase=None)

    importing = SyncImportDialog(services, ahead_package)
    qtbot.addWidget(importing)
    importing.show()
    click(qtbot, importing.action)
    qtbot.waitUntil(lambda: importing.preview is not None, timeout=20000)
    assert ("1 change is held for review instead of overwriting later edits: accept or reject it in Settings → "
            "Review held changes.") in importing.status.text()
    assert importing.status.objectName() == "warning"
    click(qtbot, importing.action)
    qtbot.waitUntil(lambda: importing.report is not None, timeout=20000)

    panel = open_panel(qtbot, services)
    assert panel.held_button.text() == "Review held changes (1)…" and panel.held_button.isEnabled()
    click(qtbot, panel.held_button)
    qtbot.waitUntil(lambda: isinstance(panel.dialog, HeldDialog) and panel.dialog.isVisible(), timeout=3000)
    dialog = panel.dialog
    assert dialog.table.rowCount() == 1
    assert plain(dialog.table.item(0, 0).text()).startswith("Amina Haddad")
    assert plain(dialog.table.item(0, 1).text()) == "Nationality: “JO”"
    assert plain(dialog.table.item(0, 3).text()) == "Amman laptop 2"
    assert not dialog.accept_button.isEnabled()  # nothing chosen yet
    dialog.table.selectRow(0)
    click(qtbot, dialog.accept_button)
    assert dialog.table.rowCount() == 0
    assert dialog.message.text() == "Accepted. The laptops get this decision with the office's next package."
    with services.db.session() as db:
        assert db.get(Participant, pid).nationality == "JO"
    click(qtbot, dialog.close_button)
    qtbot.waitUntil(lambda: panel.held_button.text() == "Review held changes (0)…", timeout=3000)
    other.dispose()
