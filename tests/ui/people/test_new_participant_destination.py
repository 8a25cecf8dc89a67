"""A new participant added at a session goes where the session's group goes (issue 20, 8):
the form's destination starts at the session's town, not at "Not decided yet"; editing
someone keeps their own destination, and without a session nothing is guessed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from co_app.core.db.models import Participant
from co_app.core.sessions.service import create_session
from co_app.ui.people.participants import ParticipantDialog


def _session(services, towns: list[str]) -> str:
    with services.db.session() as db:
        return create_session(db, day=date.today(), place="Amman", facilitator="Leila", language="ar",
                              destination_towns=towns).id


def _open(qtbot, services, **kwargs) -> ParticipantDialog:
    dialog = ParticipantDialog(services, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_new_participant_goes_to_the_sessions_town(qtbot, services) -> None:
    session_id = _session(services, ["germany-jena"])
    dialog = _open(qtbot, services, session_id=session_id)
    assert dialog.destination.currentData() == "jena"
    assert dialog.destination.currentText() != "Not decided yet"
    qtbot.keyClicks(dialog.given_name, "Amina")
    qtbot.keyClicks(dialog.family_name, "Haddad")
    box = dialog.findChild(QDialogButtonBox)
    ok = next(b for b in box.buttons() if box.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.problems.text()
    with services.db.session() as db:
        assert db.scalars(select(Participant.destination)).one() == "jena"


def test_no_session_or_no_destination_leaves_it_not_decided(qtbot, services) -> None:
    assert _open(qtbot, services).destination.currentData() == ""
    assert _open(qtbot, services, session_id=_session(services, [])).destination.currentData() == ""


def test_editing_someone_keeps_their_own_destination(qtbot, services) -> None:
    session_id = _session(services, ["germany-jena"])
    first = _open(qtbot, services, session_id=session_id)
    first.destination.setCurrentIndex(first.destination.findData("biella"))
    qtbot.keyClicks(first.given_name, "Jean")
    first.findChild(QDialogButtonBox).accepted.emit()
    assert first.saved is not None, first.problems.text()
    edit = _open(qtbot, services, existing=first.saved, session_id=session_id)
    assert edit.destination.currentData() == "biella"
