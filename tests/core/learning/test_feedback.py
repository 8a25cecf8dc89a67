"""Participants' feedback (issue 21, point 5): faces counted per session, anonymous (no
person on the record), left out of the learning figures, and carried by sync."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from co_app.core.db.models import LearningAnswer
from co_app.core.learning import feedback, report
from co_app.core.sync.package import export_package
from co_app.core.sync.service import import_package
from tests.core.sync_helpers import PASSPHRASE, laptop, populate


def test_faces_are_counted_per_session_anonymously_and_travel(tmp_path: Path) -> None:
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    ids = populate(a, sessions=2)
    first, second = ids["sessions"]
    with a.session() as s, s.begin():
        for face in (0, 0, 1, 0, 2):
            feedback.add_face(s, first, "useful", face)
        feedback.add_face(s, first, "clear", 1)
        feedback.add_face(s, second, "next", 2)
        with pytest.raises(ValueError):
            feedback.add_face(s, first, "age", 0)
    with a.session() as s:
        assert feedback.counts(s, first) == {"useful": {0: 3, 1: 1, 2: 1}, "clear": {0: 0, 1: 1, 2: 0},
                                             "next": {0: 0, 1: 0, 2: 0}}
        assert feedback.counts(s, second)["next"] == {0: 0, 1: 0, 2: 1}
        rows = s.scalars(select(LearningAnswer)).all()
        assert len(rows) == 5 and all(r.participant_id is None and r.recorded_by == "" for r in rows)
        assert report.for_session(s, first).modules == ()  # feedback is not a check
        assert feedback.todays_session(s) in (first, second)
    export_package(a.engine, a.device_id, tmp_path / "a.cosync", passphrase=PASSPHRASE)
    import_package(b.engine, tmp_path / "a.cosync", PASSPHRASE)
    with b.session() as s:
        assert feedback.counts(s, first)["useful"] == {0: 3, 1: 1, 2: 1}


def test_two_laptops_feedback_for_one_session_adds_up_at_the_office(tmp_path: Path) -> None:
    """Each laptop's faces are records of its own (the slot names the laptop): at the office
    the session's count is the sum, and back on a laptop too — nothing overwritten."""
    from co_app.core.db.models import SyncConflict
    from co_app.core.learning.answers import BEFORE, Where, record_tally
    from co_app.core.learning.answers import recorded
    from tests.core.learning.test_answers import WHO_CHOOSES
    from tests.core.sync_helpers import enrol, office

    hub, a, b = office(tmp_path), laptop(tmp_path, "a"), laptop(tmp_path, "b")
    enrol(hub, a, b)
    session = populate(a, sessions=1)["sessions"][0]
    export_package(a.engine, a.device_id, tmp_path / "base.cosync", passphrase=PASSPHRASE)
    import_package(b.engine, tmp_path / "base.cosync", PASSPHRASE)
    before = Where(session, "housing", WHO_CHOOSES, BEFORE)
    with a.session() as s, s.begin():
        for face in (0, 0, 1):
            feedback.add_face(s, session, "useful", face)
        feedback.add_face(s, session, "next", 2)
        record_tally(s, before, {0: 4, 1: 2}, present=6, recorded_by="R. Nasser")
    with b.session() as s, s.begin():  # the second room, later: its own count, its own tally
        for face in (0, 2):
            feedback.add_face(s, session, "useful", face)
        feedback.add_face(s, session, "clear", 1)
        record_tally(s, before, {0: 1, 1: 5}, present=6, recorded_by="M. Saleh")
    with b.session() as s:
        assert feedback.counts(s, session)["useful"] == {0: 1, 1: 0, 2: 1}  # b's own, a's not here yet
    for db, name in ((a, "a"), (b, "b")):
        export_package(db.engine, db.device_id, tmp_path / f"{name}.cosync", passphrase=None, full=True)
    import_package(hub.engine, tmp_path / "a.cosync", None, trust_new=True)
    import_package(hub.engine, tmp_path / "b.cosync", None, trust_new=True)
    expected = {"useful": {0: 3, 1: 1, 2: 1}, "clear": {0: 0, 1: 1, 2: 0}, "next": {0: 0, 1: 0, 2: 1}}
    with hub.session() as s:
        assert feedback.counts(s, session) == expected
        # A group tally is one answer of the group: one survives, the later (b's), the other
        # laptop's values logged as conflicts for the office to review.
        tally = recorded(s, session, "housing", WHO_CHOOSES.id, BEFORE)
        assert (tally.tally, tally.present) == ({0: 1, 1: 5, 2: 0}, 6)
        logged = s.scalars(select(SyncConflict).where(SyncConflict.table_name == "learning_answers")).all()
        assert {c.field for c in logged} >= {"count", "recorded_by"}
    export_package(hub.engine, hub.device_id, tmp_path / "hub.cosync", passphrase=None, full=True)
    import_package(a.engine, tmp_path / "hub.cosync", None)
    with a.session() as s:
        assert feedback.counts(s, session) == expected
