"""What the facilitator sees when the USB stick is full or write-protected: the sign-in
sheet (PDF), the sync package and the attendance spreadsheet each say which file could not
be written and why, and leave no file behind (tests/core/destinations.py: real disks)."""

from __future__ import annotations

import errno
import gc
from contextlib import nullcontext
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from co_app.ui.attendance.session_actions import SessionActions
from co_app.ui.attendance.printouts import write_sign_in_sheet
from co_app.ui.sync.sync_dialogs import AttendanceExportDialog, SyncExportDialog
from tests.core.destinations import PRIVILEGED, Destination, file_size_limit, full_disk, read_only_disk
from tests.core.sync_helpers import PASSPHRASE, populate
from tests.ui.attendance_data import seed_session


@pytest.fixture(params=["full", "read-only"])
def destination(request: pytest.FixtureRequest, tmp_path: Path):
    make = full_disk if request.param == "full" else read_only_disk
    with make(tmp_path) as place:
        yield place


def limits(place: Destination):
    """Without root a "full" disk is a file-size limit; the interface writes in this process."""
    return file_size_limit() if place.in_subprocess else nullcontext()


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_into(qtbot, field, text: str) -> None:
    field.clear()
    qtbot.keyClicks(field, text)


def test_the_sign_in_sheet_is_not_written_and_the_error_names_the_file(qapp, services, destination) -> None:
    seeded = seed_session(services)
    target = destination.folder / "sign-in-sheet.pdf"
    with limits(destination), pytest.raises(OSError) as caught:
        write_sign_in_sheet(services, seeded.session_id, target)
    assert caught.value.errno in destination.errnos
    assert destination.leftovers() == []


def test_the_print_button_says_what_went_wrong(qtbot, services, destination) -> None:
    seeded = seed_session(services)
    actions = SessionActions(services)
    qtbot.addWidget(actions)
    actions.set_session(seeded.session_id)
    actions.show()
    target = destination.folder / "sign-in-sheet.pdf"
    actions.choose_path = lambda title, name: target  # stands in for the file dialog
    with limits(destination):
        click(qtbot, actions.sign_in_button)
    assert actions.message.isVisible() and actions.message.objectName() == "warning"
    reason = destination.reasons[1]  # the system's words: "No space left on device", …
    assert actions.message.text().replace("\u2068", "").replace("\u2069", "") == (
        f"Could not save {target}: {reason}. Choose another folder or free some space, then try again.")
    assert destination.leftovers() == []


def test_the_sync_export_dialog_says_the_disk_is_full_or_read_only(qtbot, services, destination) -> None:
    populate(services.db)
    dialog = SyncExportDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    target = destination.folder / "for-the-office.cosync"
    type_into(qtbot, dialog.destination.edit, str(target))
    type_into(qtbot, dialog.passphrase, PASSPHRASE)
    type_into(qtbot, dialog.passphrase_again, PASSPHRASE)
    with limits(destination):
        click(qtbot, dialog.action)
        qtbot.waitUntil(lambda: dialog.status.objectName() == "warning", timeout=20000)
    assert dialog.status.text() == f"Cannot write {target}: {destination.reasons[0]}."
    assert dialog.result is None and dialog.action.isVisible() and dialog.action.isEnabled()  # can try again
    assert destination.leftovers() == []


#: Without root the "full" disk is this process's file-size limit, which also stops openpyxl's
#: own temporary sheet files; the generators it leaves behind complain when collected.
_OPENPYXL_LEFTOVERS = [] if PRIVILEGED else [
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]


@pytest.mark.parametrize("fmt", [pytest.param("xlsx", marks=_OPENPYXL_LEFTOVERS), "csv"])
def test_the_attendance_export_dialog_says_the_disk_is_full_or_read_only(qtbot, services, destination,
                                                                         fmt: str) -> None:
    seed_session(services)
    dialog = AttendanceExportDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format.setCurrentIndex(dialog.format.findData(fmt))
    target = destination.folder / f"attendance.{fmt}"
    type_into(qtbot, dialog.destination.edit, str(target))
    with limits(destination):
        click(qtbot, dialog.action)
        qtbot.waitUntil(lambda: dialog.status.objectName() == "warning", timeout=20000)
    assert dialog.status.text() == f"Cannot write {target}: {destination.reasons[0]}."
    assert dialog.summary is None and dialog.action.isEnabled()
    assert destination.leftovers() == []
    gc.collect()  # what the export left for the collector is collected under this test's filters


def test_the_errnos_are_the_ones_a_usb_stick_gives(destination) -> None:
    """The fixtures are what they claim: writing a byte there fails as the disk would."""
    with limits(destination), pytest.raises(OSError) as caught:
        with (destination.folder / "probe.txt").open("wb") as fh:
            fh.write(b"x" * 8192)
    assert caught.value.errno in destination.errnos
    assert caught.value.errno in (errno.ENOSPC, errno.EROFS, errno.EFBIG, errno.EACCES)
