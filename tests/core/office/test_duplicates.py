"""Possible duplicate people at the office, on a SQLite hub and on the real PostgreSQL server:
who is proposed, a merge that keeps every attendance under one person and counts them once,
that travels to the laptops as a change and can be undone."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import distinct, func, select

from co_app.core.db.models import AttendanceRecord, AuditEntry, CoSession, Participant, SyncConflict
from co_app.core.office import duplicates
from co_app.core.office.duplicates import PERSON_KEY_SQL, MergeError, person_key
from co_app.core.sync import records
from tests.core.office.world import World
from tests.core.sync_helpers import populate

REPO = Path(__file__).resolve().parents[3]


def _people_and_attendances(engine) -> tuple[int, int]:
    """As every report counts them (duplicates.py's rule): distinct people, distinct
    (session, person) attendances."""
    p, a = Participant.__table__, AttendanceRecord.__table__
    who = person_key(p)
    with engine.connect() as conn:
        people = conn.execute(select(func.count(distinct(who))).where(p.c.deleted_at.is_(None))).scalar_one()
        pairs = conn.execute(select(a.c.session_id, who).distinct().join(p, p.c.id == a.c.participant_id)
                             .where(a.c.deleted_at.is_(None), a.c.status != "absent")).all()
    return people, len(pairs)


def _two_laptops(world: World):
    """The same three families registered on Amman (first) and on Irbid."""
    amman, irbid = world.laptop("Amman 1"), world.laptop("Irbid 2")
    a_ids = populate(amman, sessions=2)
    b_ids = populate(irbid, sessions=1)
    world.to_hub(amman)
    world.to_hub(irbid)
    return amman, irbid, a_ids, b_ids


def test_the_same_people_registered_on_two_laptops_are_proposed_person_by_person(world: World) -> None:
    _amman, _irbid, a_ids, b_ids = _two_laptops(world)
    groups = duplicates.find(world.hub.engine)
    # Six people, each once on each laptop; a case number is a family's, so Amina is not Yusuf.
    assert len(groups) == 6
    assert {group.reason for group in groups} == {"case_number"}
    pairs = {(g.people[0].id, g.people[1].id) for g in groups}
    assert pairs == set(zip(a_ids["participants"], b_ids["participants"]))  # the first registered is kept
    amina = next(g for g in groups if g.people[0].given_name == "Amina")
    assert [(c.laptop_name, c.attendances) for c in amina.people] == [("Amman 1", 2), ("Irbid 2", 1)]
    assert amina.keep == a_ids["participants"][0]
    assert _people_and_attendances(world.hub.engine) == (12, 18)


def test_names_and_case_numbers_are_compared_in_their_normal_form(world: World) -> None:
    amman, irbid = world.laptop("Amman 1"), world.laptop("Irbid 2")
    with amman.session() as s, s.begin():
        s.add(Participant(case_number="JOR-24-C0012", given_name="Mohammad", family_name="Al-Amin", sex="male",
                          birth_year=1990))
        s.add(Participant(given_name="Ahmad", family_name="Rahimi", sex="male", birth_year=1970))
        s.add(Participant(given_name="Ahmad", family_name="Rahimi", sex="male", birth_year=1970))  # same laptop
        s.add(Participant(given_name="Sara", family_name="Noori", sex="female", birth_year=2001))
    with irbid.session() as s, s.begin():
        s.add(Participant(case_number="jor 24 c0012", given_name="Mohamad", family_name="Alamin", sex="male",
                          birth_year=1990))
        s.add(Participant(given_name="AHMAD", family_name="rahimi", sex="male", birth_year=1970))
        s.add(Participant(given_name="Sara", family_name="Noori", sex="female", birth_year=2002))  # another year
    world.to_hub(amman)
    world.to_hub(irbid)
    found = {(g.reason, g.people[0].given_name, len(g.people)) for g in duplicates.find(world.hub.engine)}
    # The two Rahimis of Amman were registered on one laptop: not proposed against each other,
    # but both against Irbid's.
    assert found == {("case_number", "Mohammad", 2), ("names", "Ahmad", 3)}


def test_twins_on_two_laptops_are_two_pairs_never_one_group(world: World) -> None:
    """Twins of one sex share a case number and a birth year: each matches both of the other
    laptop's, but a group never holds two people of one laptop with different given names —
    'Merge into the first' would make the twins one person."""
    amman, irbid = world.laptop("Amman 1"), world.laptop("Irbid 2")
    for db, case in ((amman, "SYR-26C12345"), (irbid, "syr 26c12345")):
        with db.session() as s, s.begin():
            for given in ("Hana", "Huda", "Rana"):
                s.add(Participant(case_number=case, given_name=given, family_name="Haddad", sex="female",
                                  birth_year=1985 if given == "Rana" else 2015))
    world.to_hub(amman)
    world.to_hub(irbid)
    groups = duplicates.find(world.hub.engine)
    assert sorted((g.people[0].given_name, g.people[1].given_name, len(g.people)) for g in groups) == [
        ("Hana", "Hana", 2), ("Huda", "Huda", 2), ("Rana", "Rana", 2)]
    assert all({c.laptop_name for c in g.people} == {"Amman 1", "Irbid 2"} for g in groups)


def test_a_merge_counts_the_person_once_and_keeps_every_attendance(world: World) -> None:
    _amman, _irbid, a_ids, b_ids = _two_laptops(world)
    for keep, dup in zip(a_ids["participants"], b_ids["participants"]):
        duplicates.merge(world.hub.database(), keep, dup)
    assert duplicates.find(world.hub.engine) == []
    assert _people_and_attendances(world.hub.engine) == (6, 18)  # 6 people; 2 + 1 sessions each
    with world.hub.engine.connect() as conn:
        sql = (f"SELECT {PERSON_KEY_SQL} AS person, COUNT(*) FROM attendance "  # noqa: S608 - the rule itself
               "JOIN participants ON participants.id = attendance.participant_id GROUP BY person")
        per_person = dict(conn.exec_driver_sql(sql).all())
        assert per_person == {pid: 3 for pid in a_ids["participants"]}
        actions = conn.execute(select(AuditEntry.action).where(AuditEntry.action == "person_merged")).all()
        assert len(actions) == 6
    assert {(m.merged, m.into) for m in duplicates.merged(world.hub.engine)} == set(
        zip(b_ids["participants"], a_ids["participants"]))


def test_a_merge_refuses_what_cannot_be_merged(world: World) -> None:
    _amman, _irbid, a_ids, b_ids = _two_laptops(world)
    db = world.hub.database()
    keep, dup, other = a_ids["participants"][0], b_ids["participants"][0], a_ids["participants"][1]
    with pytest.raises(MergeError, match="cannot be merged into themselves"):
        duplicates.merge(db, keep, keep)
    with pytest.raises(MergeError, match="There is no person with the id nobody"):
        duplicates.merge(db, keep, "nobody")
    duplicates.merge(db, keep, dup)
    with pytest.raises(MergeError, match=f"{dup} is already merged into {keep}: undo that merge first"):
        duplicates.merge(db, other, dup)
    with pytest.raises(MergeError, match=f"{dup} was itself merged into {keep}"):
        duplicates.merge(db, dup, other)
    # Merging the keeper into a third person moves the one merged into it along: no chain.
    duplicates.merge(db, other, keep)
    assert {(m.merged, m.into) for m in duplicates.merged(world.hub.engine)} == {(dup, other), (keep, other)}
    with pytest.raises(MergeError, match=f"{other} is not merged into anyone"):
        duplicates.unmerge(db, other)


def test_a_merge_travels_to_the_laptops_and_its_undo_too(world: World) -> None:
    amman, irbid, a_ids, b_ids = _two_laptops(world)
    keep, dup = a_ids["participants"][0], b_ids["participants"][0]
    # Irbid changes the duplicate's name while the office merges it: two fields, no conflict.
    with irbid.session() as s, s.begin():
        s.get(Participant, dup).family_name = "Haddad-Nour"
    duplicates.merge(world.hub.database(), keep, dup)
    world.to_hub(irbid)
    world.answer(amman, irbid)
    for db in (amman, irbid):
        with db.session() as s:
            person = s.get(Participant, dup)
            assert (person.merged_into, person.family_name) == (keep, "Haddad-Nour")
    # A laptop that still lists the old person checks it in at a new session: it counts once,
    # under the kept person, at the office.
    with irbid.session() as s, s.begin():
        day = CoSession(session_date=date(2026, 12, 2), place="Irbid", facilitator="H. Omar")
        s.add(day)
        s.add(AttendanceRecord(session=day, participant=s.get(Participant, dup), status="present"))
    world.to_hub(irbid)
    assert _people_and_attendances(world.hub.engine) == (11, 19)
    with world.hub.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(SyncConflict)).scalar_one() == 0

    duplicates.unmerge(world.hub.database(), dup)
    assert _people_and_attendances(world.hub.engine) == (12, 19)
    world.answer(amman, irbid)
    for db in (amman, irbid):
        with db.session() as s:
            assert s.get(Participant, dup).merged_into is None
    assert [g.people[1].id for g in duplicates.find(world.hub.engine) if g.keep == keep] == [dup]


def test_a_package_from_a_laptop_not_updated_yet_reads_as_not_merged() -> None:
    """A laptop on schema 0005 sends people without ``merged_into``: they are not merged."""
    person = {"id": "p-1", "created_at": "2026-11-20 09:00:00.000000", "updated_at": "2026-11-20 09:00:00.000000",
              "device_id": "laptop", "deleted_at": None, "versions": {"": ["laptop", 1, 1]}, "household_id": None,
              "case_number": "", "given_name": "Amina", "family_name": "Haddad", "sex": "female",
              "birth_year": 1988, "age_group": None, "nationality": "SY", "languages": ["ar"], "destination": "",
              "needs": [], "consent": True, "consent_date": None}
    for codec in (records.CODECS["participants"], records.STORED_CODECS["participants"]):
        [parsed] = codec.parse_batch([(1, dict(person))])
        assert parsed["merged_into"] is None


def _cli(*args: str, home) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "main.py", "--data-dir", str(home), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def test_duplicates_merge_and_unmerge_on_the_command_line(world: World) -> None:
    _amman, _irbid, a_ids, b_ids = _two_laptops(world)
    hub_url = world.hub.engine.url
    if hub_url.get_backend_name() == "postgresql":  # the test server trusts: a password is not checked
        hub_url = hub_url.set(password="s3cret@pw")
    url = hub_url.render_as_string(hide_password=False)
    shown = shlex.quote(hub_url.render_as_string(hide_password=True))  # the hint never shows a password
    home = world.tmp / "home"
    listed = json.loads(_cli("office", "duplicates", "--db", url, "--json", home=home).stdout)
    assert [(g["reason"], g["keep"], len(g["people"])) for g in listed["groups"]][0][0] == "case_number"
    assert {g["keep"] for g in listed["groups"]} == set(a_ids["participants"])
    text = _cli("office", "duplicates", "--db", url, home=home).stdout.splitlines()
    assert text[0] == "6 possible duplicates (the first of each is the one to keep: registered first):"
    assert text[-1] == f"Merge with: python main.py office merge KEEP_ID DUP_ID --db {shown}"

    keep, dup = a_ids["participants"][0], b_ids["participants"][0]
    merged = _cli("office", "merge", keep, dup, "--db", url, home=home)
    assert merged.returncode == 0, merged.stderr
    assert merged.stdout.startswith(f"Merged {dup} into {keep}: one person in every report;")
    assert merged.stdout.rstrip().endswith(f"Undo with: python main.py office unmerge {dup} --db {shown}")
    assert "s3cret" not in merged.stdout + text[-1]
    again = _cli("office", "merge", keep, dup, "--db", url, home=home)
    assert again.returncode == 1
    assert again.stderr == f"error: {dup} is already merged into {keep}: undo that merge first.\n"
    assert len(json.loads(_cli("office", "duplicates", "--db", url, "--json", home=home).stdout)["groups"]) == 5
    undone = _cli("office", "unmerge", dup, "--db", url, "--json", home=home)
    assert json.loads(undone.stdout) == {"ok": True, "unmerged": dup}
    assert len(json.loads(_cli("office", "duplicates", "--db", url, "--json", home=home).stdout)["groups"]) == 6
