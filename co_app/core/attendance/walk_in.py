"""A walk-in registered at the door: someone nobody expected, whom no search finds, is added
from the check-in box with the name that was typed (given and family name, nothing else
asked) and checked in at once, as one action the facilitator can undo.

Their destination is the session's when the session has one town (the group is going
there), else "not decided yet"; everything else is filled in later under Participants.
Undo takes them off the session (the desk's undo deletes the record it created); the person
stays registered on this computer, found by the next search.
"""

from __future__ import annotations

from co_app.core.attendance.checkin import Action, CheckInDesk
from co_app.core.db.models import CoSession
from co_app.core.people import participants as people
from co_app.core.people.names import words


def split_name(typed: str) -> tuple[str, str]:
    """The typed query as (given, family): the first word, then the rest ("Amina Al Haddad"
    → "Amina", "Al Haddad").  Spacing and punctuation between words are kept as typed."""
    text = " ".join(typed.split())
    if not words(text):
        return "", ""
    given, _, family = text.partition(" ")
    return given, family


def register_walk_in(desk: CheckInDesk, given: str, family: str, status: str = "present") -> Action:
    """Add a new participant (validated like the form: names without control characters,
    at least one name) and check them in to the desk's session; the desk learns of them."""
    with desk.open_db() as db:
        session = db.get(CoSession, desk.session_id)
        towns = list(session.destination_towns or ()) if session is not None else []
        data = people.ParticipantData(given_name=given, family_name=family,
                                      destination=towns[0] if len(towns) == 1 else "")
        person = people.add_participant(db, data)
    desk.reload()
    return desk.check_in([person.id], status)
