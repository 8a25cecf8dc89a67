"""A closed session is locked: an edit needs the facilitator PIN and goes to the audit log."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from co_app.core.sessions import service as session_service
from co_app.core.bootstrap import Services
from co_app.core.foundation.i18n import _


def ensure_editable(parent: QWidget | None, services: Services, session_id: str, what: str) -> bool:
    """True when the session may be changed now.  An open session may; a closed one only
    after the facilitator gives the PIN, and then the edit is written to the audit log
    (``what`` says which kind of change, in English, with no personal data)."""
    from co_app.ui.safety.pin_dialogs import AskPinDialog

    with services.db.session() as db:
        if not session_service.is_closed(db, session_id):
            return True
    dialog = AskPinDialog(services, parent,
                          intro=_("This session is closed. Enter the facilitator PIN to change it; "
                                  "the change is written to the audit log."),
                          action=_("Change the closed session"))
    if dialog.exec() != dialog.DialogCode.Accepted:
        return False
    with services.db.session() as db:
        session_service.record_closed_edit(db, session_id, what)
    return True
