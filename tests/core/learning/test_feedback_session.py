"""Which session the viewer's faces count for (fresh-eyes run of issue 21): the natural order
at the end of a day is close the session, print its report, then hand the laptop round — so
once today's sessions are closed, feedback counts for the one closed most recently, and an
open session of today still comes first."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from co_app.core.learning import feedback
from co_app.core.sessions.service import close_session, create_session
from tests.core.sync_helpers import laptop

TODAY = date(2026, 12, 7)


def test_feedback_counts_for_todays_open_session_then_the_one_closed_last(tmp_path: Path) -> None:
    db = laptop(tmp_path, "a")
    with db.session() as s:
        assert feedback.todays_session(s, TODAY) is None
        earlier = create_session(s, day=TODAY - timedelta(days=3), place="Irbid", facilitator="Sami",
                                 language="ar", destination_towns=[]).id
        assert feedback.todays_session(s, TODAY) == earlier  # no session today: the latest open one
        first = create_session(s, day=TODAY, place="Amman", facilitator="Sami", language="ar",
                               destination_towns=[]).id
        second = create_session(s, day=TODAY, place="Amman", facilitator="Sami", language="ar",
                                destination_towns=[]).id
        assert feedback.todays_session(s, TODAY) == second  # the latest open session of today
        close_session(s, second)
        assert feedback.todays_session(s, TODAY) == first  # still open: it is the one going on
        close_session(s, first)
        assert feedback.todays_session(s, TODAY) == first  # all closed: the one closed last
        feedback.add_face(s, feedback.todays_session(s, TODAY), "useful", 0)
        s.commit()
        assert feedback.counts(s, first)["useful"] == {0: 1, 1: 0, 2: 0}
        assert feedback.counts(s, second)["useful"] == {0: 0, 1: 0, 2: 0}
