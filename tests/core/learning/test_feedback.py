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
