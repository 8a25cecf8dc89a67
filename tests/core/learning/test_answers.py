"""Learning check answers (issue 21, point 3): recorded per person and as a group tally on
a real SQLite file, a changed answer edits the same record, a wrong one is refused in one
sentence; and the answers travel laptop → laptop → office in sync packages and merge
without loss (two laptops recording the same tally record one)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from co_app.core.content.library import load_content
from co_app.core.db.models import LearningAnswer
from co_app.core.db.versions import natural_id
from co_app.core.learning.answers import AFTER, BEFORE, AnswerError, Where, clear_person, record_person, \
    record_tally, recorded
from co_app.core.sync.package import export_package
from co_app.core.sync.service import import_package
from tests.core.sync_helpers import PASSPHRASE, enrol, laptop, office, populate, snapshot

HOUSING = load_content().module("housing")
WHO_CHOOSES = HOUSING.self_check[0]  # three options, the second (1) right


def test_a_persons_answer_and_a_tally_are_recorded_and_changed_in_place(tmp_path: Path) -> None:
    db = laptop(tmp_path, "a")
    ids = populate(db, sessions=1)
    session, people = ids["sessions"][0], ids["participants"]
    before, after = (Where(session, "housing", WHO_CHOOSES, phase) for phase in (BEFORE, AFTER))
    with db.session() as s, s.begin():
        record_tally(s, before, {0: 3, 1: 2}, present=6, recorded_by="R. Nasser")
        record_person(s, after, people[0], 1, "R. Nasser")
        record_person(s, after, people[1], 2, "R. Nasser")
    with db.session() as s, s.begin():
        record_person(s, after, people[1], 1, "R. Nasser")  # changed her mind: the same record
        clear_person(s, after, people[2])  # nothing to clear: nothing happens
    with db.session() as s:
        assert recorded(s, session, "housing", WHO_CHOOSES.id, BEFORE) == recorded(
            s, session, "housing", WHO_CHOOSES.id, BEFORE)
        tally = recorded(s, session, "housing", WHO_CHOOSES.id, BEFORE)
        assert (tally.tally, tally.present, tally.people) == ({0: 3, 1: 2, 2: 0}, 6, {})
        assert recorded(s, session, "housing", WHO_CHOOSES.id, AFTER).people == {people[0]: 1, people[1]: 1}
        rows = s.scalars(select(LearningAnswer).where(LearningAnswer.phase == AFTER)).all()
        assert len(rows) == 2 and all(r.correct and r.count == 1 and r.present is None for r in rows)
        assert {r.id for r in rows} == {natural_id("learning_answers", session, f"housing/who-chooses/after/{p}")
                                        for p in people[:2]}
        right = s.scalars(select(LearningAnswer).where(LearningAnswer.slot == "tally-1")).one()
        assert (right.correct, right.count, right.present, right.recorded_by) == (True, 2, 6, "R. Nasser")
    with db.session() as s, s.begin():
        clear_person(s, after, people[0])
    with db.session() as s:
        assert recorded(s, session, "housing", WHO_CHOOSES.id, AFTER).people == {people[1]: 1}


def test_an_answer_the_question_does_not_have_or_a_tally_above_the_group_is_refused(tmp_path: Path) -> None:
    db = laptop(tmp_path, "a")
    ids = populate(db, sessions=1)
    where = Where(ids["sessions"][0], "housing", WHO_CHOOSES, BEFORE)
    with db.session() as s, s.begin():
        with pytest.raises(AnswerError, match=r"^Answer 4 is not one of this question's 3 answers\.$"):
            record_person(s, where, ids["participants"][0], 3, "R. Nasser")
        with pytest.raises(AnswerError, match=r"^The answers add up to 7, more than the 6 people present\.$"):
            record_tally(s, where, {0: 4, 1: 3}, present=6, recorded_by="R. Nasser")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(LearningAnswer)) == 0


def test_a_closed_sessions_answers_change_only_once_the_pin_was_given(tmp_path: Path) -> None:
    """A closed session is locked (as its attendance is): recording a person's answer, a
    tally or taking an answer back is refused in one sentence, nothing written, unless the
    interface says the facilitator gave the PIN (``unlocked``)."""
    from co_app.core.sessions.service import close_session

    db = laptop(tmp_path, "a")
    ids = populate(db, sessions=1)
    session, person = ids["sessions"][0], ids["participants"][0]
    where = Where(session, "housing", WHO_CHOOSES, AFTER)
    with db.session() as s:
        close_session(s, session)
    refused = r"^This session is closed: recording answers needs the facilitator PIN\.$"
    with db.session() as s, s.begin():
        with pytest.raises(AnswerError, match=refused):
            record_person(s, where, person, 1, "R. Nasser")
        with pytest.raises(AnswerError, match=refused):
            record_tally(s, where, {1: 4}, present=6, recorded_by="R. Nasser")
        with pytest.raises(AnswerError, match=refused):
            clear_person(s, where, person)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(LearningAnswer)) == 0
    with db.session() as s, s.begin():
        record_person(s, where, person, 1, "R. Nasser", unlocked=True)
        record_tally(s, Where(session, "housing", WHO_CHOOSES, BEFORE), {1: 4}, 6, "R. Nasser", unlocked=True)
    with db.session() as s:
        assert recorded(s, session, "housing", WHO_CHOOSES.id, AFTER).people == {person: 1}
        assert recorded(s, session, "housing", WHO_CHOOSES.id, BEFORE).tally == {0: 0, 1: 4, 2: 0}
    with db.session() as s, s.begin():
        clear_person(s, where, person, unlocked=True)
    with db.session() as s:
        assert recorded(s, session, "housing", WHO_CHOOSES.id, AFTER).people == {}


def test_answers_travel_to_another_laptop_and_the_office_and_merge(tmp_path: Path) -> None:
    hub, a, b = office(tmp_path), laptop(tmp_path, "a"), laptop(tmp_path, "b")
    enrol(hub, a, b)
    ids = populate(a, sessions=1)
    session, people = ids["sessions"][0], ids["participants"]
    export_package(a.engine, a.device_id, tmp_path / "base.cosync", passphrase=PASSPHRASE)
    import_package(b.engine, tmp_path / "base.cosync", PASSPHRASE)
    before, after = (Where(session, "housing", WHO_CHOOSES, phase) for phase in (BEFORE, AFTER))
    with a.session() as s, s.begin():  # the facilitator's laptop: the tally before, people after
        record_tally(s, before, {0: 4, 1: 2}, present=6, recorded_by="R. Nasser")
        for person, answer in zip(people, (1, 1, 1, 0, 1, 2)):
            record_person(s, after, person, answer, "R. Nasser")
    with b.session() as s, s.begin():  # the co-facilitator typed the same tally, and one person
        record_tally(s, before, {0: 4, 1: 2}, present=6, recorded_by="M. Saleh")
        record_person(s, after, people[5], 1, "M. Saleh")
    for db, name in ((a, "a"), (b, "b")):
        export_package(db.engine, db.device_id, tmp_path / f"{name}.cosync", passphrase=None, full=True)
    report_a = import_package(hub.engine, tmp_path / "a.cosync", None, trust_new=True)
    assert report_a.tables["learning_answers"].inserted == 3 + 6
    report_b = import_package(hub.engine, tmp_path / "b.cosync", None, trust_new=True)
    assert report_b.tables["learning_answers"].inserted == 0  # the same records, by their natural ids
    with hub.session() as s:
        assert s.scalar(select(func.count()).select_from(LearningAnswer)) == 9
        tally = recorded(s, session, "housing", WHO_CHOOSES.id, BEFORE)
        assert (tally.tally, tally.present) == ({0: 4, 1: 2, 2: 0}, 6)
        after_answers = recorded(s, session, "housing", WHO_CHOOSES.id, AFTER).people
        assert len(after_answers) == 6 and after_answers[people[0]] == 1
        assert after_answers[people[5]] in (1, 2)  # one of the two recorded, never both
    # The office's package back to laptop A: the laptop and the office hold the same answers.
    export_package(hub.engine, hub.device_id, tmp_path / "hub.cosync", passphrase=None, full=True)
    import_package(a.engine, tmp_path / "hub.cosync", None)
    assert snapshot(a)["learning_answers"] == snapshot(hub)["learning_answers"]
