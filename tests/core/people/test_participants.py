"""Participants and households on a real SQLite file: add, edit, validate, soft-delete."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from co_app.core.people import participants as people
from co_app.core.db.engine import Database, open_database
from co_app.core.db.models import AttendanceRecord, Household, Participant
from co_app.core.people.participants import InvalidParticipantError, ParticipantData
from co_app.core.sessions.service import create_session

TODAY = date(2025, 3, 10)
TOWNS = ["jena", "biella"]


@pytest.fixture
def db(tmp_path: Path):
    database = open_database(tmp_path / "co_app.sqlite3")
    yield database
    database.dispose()


def amina(**changes) -> ParticipantData:
    base = dict(case_number=" SYR-24C00012 ", given_name="  Amina ", family_name="Haddad", sex="female",
                birth_year=1988, nationality="sy", languages=("ar",), destination="jena", needs=("literacy",),
                consent=True)
    base.update(changes)
    return ParticipantData(**base)


def test_add_creates_the_household_and_cleans_the_data(db: Database) -> None:
    with db.session() as s:
        view = people.add_participant(s, amina(), today=TODAY, towns=TOWNS)
        son = people.add_participant(s, amina(given_name="Omar", sex="male", birth_year=2015, consent=False),
                                     today=TODAY, towns=TOWNS)
    assert view.full_name == "Amina Haddad"
    assert view.case_number == "SYR-24C00012" and view.nationality == "SY"
    assert view.consent_date == TODAY  # consent given without a date: dated today
    assert son.consent_date is None
    assert view.household_id == son.household_id
    with db.session() as s:
        households = s.scalars(select(Household)).all()
        assert [h.case_number for h in households] == ["SYR-24C00012"]
        assert households[0].destination == "jena"
        assert people.get_participant(s, view.id).household_size == 2


def test_every_problem_is_named_with_its_field(db: Database) -> None:
    bad = amina(given_name="", family_name="", sex="f", birth_year=1890, nationality="Syria",
                destination="atlantis", needs=("telepathy",), consent_date=date(2030, 1, 1))
    with db.session() as s, pytest.raises(InvalidParticipantError) as caught:
        people.add_participant(s, bad, today=TODAY, towns=TOWNS)
    fields = {p.field for p in caught.value.problems}
    assert fields == {"given_name", "sex", "birth_year", "nationality", "destination", "needs", "consent_date"}
    assert "between 1915 and 2025" in str(caught.value)
    with db.session() as s:
        assert s.scalars(select(Participant)).all() == []  # nothing half-saved


def test_birth_year_wins_over_an_age_group_and_age_groups_follow_the_date() -> None:
    data = people.clean(amina(age_group="60+"), today=TODAY)
    assert data.birth_year == 1988 and data.age_group is None
    assert people.age_group_on(2021, None, TODAY) == "0-4"
    assert people.age_group_on(2013, None, TODAY) == "12-17"
    assert people.age_group_on(2007, None, TODAY) == "18-59"
    assert people.age_group_on(1965, None, TODAY) == "60+"
    assert people.age_group_on(None, "5-11", TODAY) == "5-11"


def test_changing_the_case_number_moves_to_another_household(db: Database) -> None:
    with db.session() as s:
        view = people.add_participant(s, amina(), today=TODAY, towns=TOWNS)
        old_household = view.household_id
        moved = people.update_participant(s, view.id, amina(case_number="SYR-24C00099"), today=TODAY, towns=TOWNS)
    assert moved.household_id != old_household
    with db.session() as s:
        emptied = s.get(Household, old_household)
        assert emptied is not None and emptied.deleted_at is not None  # a tombstone, for sync
        assert s.get(Participant, view.id).case_number == "SYR-24C00099"


def test_delete_is_soft_and_takes_the_attendance_with_it(db: Database) -> None:
    with db.session() as s:
        session = create_session(s, day=TODAY, place="Amman", facilitator="Leila", language="ar",
                                 destination_towns=[])
        view = people.add_participant(s, amina(), session_id=session.id, today=TODAY, towns=TOWNS)
        assert [p.id for p in people.list_participants(s, session.id)] == [view.id]
        people.delete_participant(s, view.id)
    with db.session() as s:
        row = s.get(Participant, view.id)
        assert row is not None and row.deleted_at is not None
        record = s.scalars(select(AttendanceRecord)).one()
        assert record.status == "absent" and record.deleted_at is not None
        assert people.list_participants(s) == []
        assert people.list_participants(s, session.id) == []
        with pytest.raises(people.ParticipantNotFoundError):
            people.get_participant(s, view.id)


def test_adding_to_a_session_expects_the_person_there(db: Database) -> None:
    with db.session() as s:
        session = create_session(s, day=TODAY, place="Amman", facilitator="Leila", language="ar",
                                 destination_towns=[])
        view = people.add_participant(s, amina(), session_id=session.id, today=TODAY, towns=TOWNS)
    with db.session() as s:
        record = s.scalars(select(AttendanceRecord)).one()
        assert (record.session_id, record.participant_id, record.status) == (session.id, view.id, "absent")
