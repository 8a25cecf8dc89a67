"""The office's list of laptops, on a SQLite hub and on the real PostgreSQL server: every
laptop that sent a package, its facilitators, its last package and that package's dates,
what it holds, the silent ones; and the laptop each session was created on."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select

from co_app.core.db.models import CoSession, Participant
from co_app.core.db.origins import fill, origin_of
from co_app.core.office import laptops
from co_app.core.sync.service import import_package
from tests.core.office.world import World
from tests.core.sync_helpers import populate


def _by_name(rows: list[laptops.Laptop]) -> dict[str, laptops.Laptop]:
    return {row.name: row for row in rows}


def test_every_laptop_that_sent_a_package_is_listed_with_what_it_holds(world: World) -> None:
    amman, irbid = world.laptop("Amman 1"), world.laptop("Irbid 2")
    populate(amman, sessions=2)
    populate(irbid, sessions=3, town="italy-biella")
    with irbid.session() as s, s.begin():
        s.scalars(select(CoSession)).first().facilitator = "H.  Omar"
    world.to_hub(amman, "amman.cosync")
    world.to_hub(irbid, "irbid.cosync")

    rows = laptops.list_laptops(world.hub.engine, silent_after=14)
    assert [row.name for row in rows] == ["Amman 1", "Irbid 2"]
    by_name = _by_name(rows)
    a, i = by_name["Amman 1"], by_name["Irbid 2"]
    assert (a.device_id, a.sessions, a.people, a.facilitators) == (amman.device_id, 2, 6, ("R. Nasser",))
    assert (i.sessions, i.people, i.facilitators) == (3, 6, ("H. Omar", "R. Nasser"))
    assert (a.last_package, a.first_date, a.last_date) == ("amman.cosync", date(2026, 11, 20), date(2026, 11, 21))
    assert (i.first_date, i.last_date) == (date(2026, 11, 20), date(2026, 11, 22))
    assert a.last_imported is not None and a.last_written is not None
    assert (a.silent, a.silent_days) == (False, 0)
    assert a.as_dict()["first_date"] == "2026-11-20"


def test_a_laptop_silent_for_more_than_the_set_days_stands_out(world: World) -> None:
    amman = world.laptop("Amman 1")
    populate(amman, sessions=1)
    world.to_hub(amman)
    later = datetime.now(timezone.utc) + timedelta(days=15)
    [row] = laptops.list_laptops(world.hub.engine, silent_after=14, now=later)
    assert (row.silent, row.silent_days) == (True, 15)
    [row] = laptops.list_laptops(world.hub.engine, silent_after=20, now=later)
    assert row.silent is False


def test_the_last_package_is_the_last_one_the_laptop_wrote_whatever_the_import_order(world: World) -> None:
    amman = world.laptop("Amman 1")
    populate(amman, sessions=1)
    first = world.export(amman, "first.cosync")
    with amman.session() as s, s.begin():  # a later session, in the next package (everything again:
        # the office has not answered yet)
        s.add(CoSession(session_date=date(2026, 12, 3), place="Amman", facilitator="R. Nasser"))
    second = world.export(amman, "second.cosync")
    import_package(world.hub.engine, first, None, trust_new=True)
    import_package(world.hub.engine, second, None)
    import_package(world.hub.engine, first, None)  # an old package brought again
    [row] = laptops.list_laptops(world.hub.engine)
    assert (row.last_package, row.first_date, row.last_date) == ("second.cosync", date(2026, 11, 20),
                                                                  date(2026, 12, 3))
    assert row.sessions == 2


def test_every_session_shows_the_laptop_it_was_created_on_even_after_the_office_edits_it(world: World) -> None:
    amman, irbid = world.laptop("Amman 1"), world.laptop("Irbid 2")
    a_ids = populate(amman, sessions=2)
    b_ids = populate(irbid, sessions=1)
    world.to_hub(amman)
    world.to_hub(irbid)
    with world.hub.database().session() as s, s.begin():  # the office corrects the place of every field
        session = s.get(CoSession, a_ids["sessions"][0])
        session.place, session.facilitator, session.notes = "Amman, UNHCR", "R. Nasser-Ali", "moved"
    world.answer(irbid)
    where = laptops.session_laptops(world.hub.engine)
    assert {sid: where[sid].name for sid in a_ids["sessions"] + b_ids["sessions"]} == {
        **{sid: "Amman 1" for sid in a_ids["sessions"]}, b_ids["sessions"][0]: "Irbid 2"}
    # Irbid received Amman's sessions through the office: it knows where they were made too.
    on_irbid = laptops.session_laptops(irbid.engine, a_ids["sessions"])
    assert {row.device_id for row in on_irbid.values()} == {amman.device_id}
    with irbid.engine.connect() as conn:
        people = dict(conn.execute(select(Participant.id, Participant.origin_device)).all())
    assert {people[pid] for pid in a_ids["participants"]} == {amman.device_id}


def test_the_creating_device_is_read_from_the_dots() -> None:
    created = datetime(2026, 11, 20, 9, 0, 0, 123000, tzinfo=timezone.utc)
    hlc = int(created.timestamp() * 1000)
    assert origin_of({"": ["office", 9, hlc + 50], "language": ["laptop-a", 3, hlc]}, created) == "laptop-a"
    assert origin_of('{"": ["laptop-b", 1, %d]}' % hlc, "2026-11-20 09:00:00.123000") == "laptop-b"
    # Every field changed since (or dots from before counters): the oldest dot's device.
    assert origin_of({"": ["office", 9, hlc + 50], "notes": ["laptop-c", 0, hlc + 10]}, created) == "laptop-c"
    assert origin_of({}, created) is None


def test_records_without_their_creating_device_get_it(world: World) -> None:
    amman = world.laptop("Amman 1")
    ids = populate(amman, sessions=1)
    with amman.engine.begin() as conn:
        conn.execute(CoSession.__table__.update().values(origin_device=None))
        assert fill(conn) == 1
        assert conn.execute(select(CoSession.origin_device)).scalar() == amman.device_id
    assert ids["sessions"]


def test_a_database_of_schema_0005_learns_where_its_records_were_made(tmp_path) -> None:
    """Migration 0006 fills ``origin_device`` from the dots already there, and back down to
    0005 and up again loses nothing."""
    from alembic import command

    from co_app.core.db.engine import open_database
    from co_app.core.db.migrate import alembic_config
    from tests.core.sync_helpers import laptop

    db = laptop(tmp_path, "old")
    ids = populate(db, sessions=2)
    path = Path(str(db.engine.url.database))
    with db.engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0005_field_versions")
    db.dispose()
    again = open_database(path)  # upgrades to head
    try:
        with again.engine.connect() as conn:
            sessions = dict(conn.execute(select(CoSession.id, CoSession.origin_device)).all())
            people = dict(conn.execute(select(Participant.id, Participant.origin_device)).all())
            merged = conn.execute(select(Participant.merged_into).distinct()).scalars().all()
        assert sessions == {sid: again.device_id for sid in ids["sessions"]}
        assert set(people.values()) == {again.device_id} and merged == [None]
    finally:
        again.dispose()


def test_a_laptop_ahead_in_time_keeps_its_sessions_once_the_office_accepts_them(world: World) -> None:
    """A laptop whose clock runs 30 days ahead: the office holds its new sessions and people,
    accepts them (made again under the office's dots) — and the laptops list, the report by
    laptop and every laptop the office answers still name the laptop that created them."""
    from co_app.core.office import report
    from co_app.core.sync import review
    from tests.core.sync.test_field_sync import clock_ahead

    amman, irbid = world.laptop("Amman 1"), world.laptop("Irbid 2")
    with clock_ahead(30):
        ids = populate(amman, sessions=2)
        package = world.export(amman, "amman-ahead.cosync")
    import_package(world.hub.engine, package, None, trust_new=True)  # the office's clock is right
    populate(irbid, sessions=1, town="italy-biella")
    world.to_hub(irbid)
    hub_db = world.hub.database()
    with hub_db.session() as s:
        assert {h.device_id for h in review.list_held(s)} == {amman.device_id}
    assert _by_name(laptops.list_laptops(world.hub.engine))["Amman 1"].sessions == 0  # held: not counted yet

    with hub_db.session() as s:
        while held := review.list_held(s):
            review.accept_held(s, held[0].id)
    by_name = _by_name(laptops.list_laptops(world.hub.engine))
    assert (by_name["Amman 1"].sessions, by_name["Amman 1"].people) == (2, 6)
    assert (by_name["Irbid 2"].sessions, by_name["Irbid 2"].people) == (1, 6)
    figures = report.compute(world.hub.engine)
    assert {row.key: row.sessions for row in figures.breakdown("laptop").rows} == {
        amman.device_id: 2, irbid.device_id: 1}
    with world.hub.engine.connect() as conn:  # made here, under the office's dots, on Amman
        made = conn.execute(select(CoSession.origin_device, CoSession.device_id)
                            .where(CoSession.id.in_(ids["sessions"]))).all()
    assert made == [(amman.device_id, world.hub.device_id)] * 2

    world.answer(irbid, amman)  # the office's package: both laptops say Amman too
    for db in (irbid, amman):
        assert {row.device_id for row in laptops.session_laptops(db.engine, ids["sessions"]).values()} == {
            amman.device_id}
        with db.engine.connect() as conn:
            people = dict(conn.execute(select(Participant.id, Participant.origin_device)).all())
        assert {people[pid] for pid in ids["participants"]} == {amman.device_id}


def test_a_held_record_from_a_package_without_its_creating_device_still_names_its_laptop(world: World) -> None:
    """A package written before the creating device travelled: the office takes it from the
    held record's dots when it accepts."""
    from co_app.core.db.models import SyncHeld
    from co_app.core.sync import review
    from tests.core.sync.test_field_sync import clock_ahead

    amman = world.laptop("Amman 1")
    with clock_ahead(30):
        ids = populate(amman, sessions=1)
        package = world.export(amman, "amman-ahead.cosync")
    import_package(world.hub.engine, package, None, trust_new=True)
    hub_db = world.hub.database()
    with hub_db.session() as s, s.begin():
        for row in s.scalars(select(SyncHeld)):
            row.record = {name: value for name, value in row.record.items() if name != "origin_device"}
    with hub_db.session() as s:
        while held := review.list_held(s):
            review.accept_held(s, held[0].id)
    assert {row.device_id for row in laptops.session_laptops(world.hub.engine, ids["sessions"]).values()} == {
        amman.device_id}


def test_the_laptops_list_shows_held_changes_and_one_laptop_s_are_accepted_at_once(world: World) -> None:
    """``office laptops`` says how many changes of each laptop are held; ``sync held --accept
    all --from LAPTOP`` accepts that laptop's, and only them."""
    import json
    import subprocess
    import sys

    from tests.core.sync.test_field_sync import clock_ahead

    amman, irbid = world.laptop("Amman 1"), world.laptop("Irbid 2")
    with clock_ahead(30):
        ids = populate(amman, sessions=1)
        populate(irbid, sessions=1)
        packages = [world.export(db, f"{db.device_id}.cosync") for db in (amman, irbid)]
    for package in packages:
        import_package(world.hub.engine, package, None, trust_new=True)
    held = {row.name: row.held for row in laptops.list_laptops(world.hub.engine)}
    assert held["Amman 1"] == held["Irbid 2"] > 0
    url = world.hub.engine.url.render_as_string(hide_password=False)
    world.hub.dispose()
    repo = Path(__file__).resolve().parents[3]

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "main.py", "--data-dir", str(world.tmp / "home"), *args, "--db", url],
                              cwd=repo, capture_output=True, text=True, timeout=300)

    text = cli("office", "laptops").stdout
    assert f"  {held['Amman 1']} changes held for review, dated in the future " in text
    done = cli("sync", "held", "--accept", "all", "--from", "amman 1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Decided: ")
    listing = json.loads(cli("office", "laptops", "--json").stdout)["laptops"]
    assert [(row["name"], row["held"], row["sessions"]) for row in listing] == [
        ("Amman 1", 0, 1), ("Irbid 2", held["Irbid 2"], 0)]
    assert {row.device_id for row in laptops.session_laptops(world.hub.engine, ids["sessions"]).values()} == {
        amman.device_id}


def test_a_package_that_leaves_out_the_creating_device_is_read_and_the_device_derived(world: World) -> None:
    """Records without ``origin_device`` (a package written before it travelled: the field is
    read as null) or with it null: the office derives it from the dots, as before."""
    from co_app.core.sync import records

    amman = world.laptop("Amman 1")
    ids = populate(amman, sessions=1)
    with amman.engine.begin() as conn:  # sent as null
        conn.execute(CoSession.__table__.update().values(origin_device=None))
        conn.execute(Participant.__table__.update().values(origin_device=None))
    world.to_hub(amman)
    with world.hub.engine.connect() as conn:
        assert set(conn.execute(select(CoSession.origin_device)).scalars()) == {amman.device_id}
        assert set(conn.execute(select(Participant.origin_device)).scalars()) == {amman.device_id}
    with amman.engine.connect() as conn:
        row = conn.execute(select(CoSession).where(CoSession.id == ids["sessions"][0])).mappings().one()
    sent = records.CODECS["co_sessions"].canonical(dict(row))
    del sent["origin_device"]  # as an older application wrote it
    assert records.CODECS["co_sessions"].parse(sent)["origin_device"] is None
