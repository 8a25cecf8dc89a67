"""The window over the office's hub (``main.py --db URL``): which pages it shows, the Office
page, and the laptop each session came from on the Attendance page."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from co_app.ui.shell.main_window import MainWindow
    from co_app.ui.shell.page import View

#: Over the office's hub: its console, the sessions of every laptop, the content to read and
#: the settings.  No Home (starting a session, the laptop's daily backup) and no Films (the
#: laptop's media library and projector): nothing is run in front of a group there.
OFFICE_PAGES = ("office", "attendance", "towns", "modules", "settings")


def build_office(w: "MainWindow") -> "View":
    from co_app.ui.office.page import OfficeView

    return OfficeView(w.services)


def name_laptops(w: "MainWindow", view) -> None:  # an AttendanceView
    """Over the hub, each session in the list and its header names the laptop it was
    created on (ui/attendance may not use the office's core, which sits above it)."""
    if w.services.is_office:
        from co_app.core.office.laptops import session_laptops

        view.laptops_for = lambda ids: session_laptops(w.services.db.engine, ids)
