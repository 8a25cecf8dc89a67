"""Laptops with realistic attendance data, for the export and sync tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from co_app.core.db.engine import Database, open_database
from co_app.core.db.models import AttendanceRecord, CoSession, Household, ModuleCoverage, Participant
from co_app.core.sync import records

PASSPHRASE = "correct horse battery staple"

PEOPLE = [  # given, family, sex, birth year, nationality, languages
    ("Amina", "Haddad", "female", 1988, "SY", ["ar"]),
    ("Yusuf", "Haddad", "male", 1985, "SY", ["ar", "en"]),
    ("Layla", "Haddad", "female", 2016, "SY", ["ar"]),
    ("Farid", "Karimi", "male", 1979, "AF", ["fa"]),
    ("Zahra", "Karimi", "female", 1982, "AF", ["fa"]),
    ("Senait", "Tesfaye", "female", 1995, "ER", ["ti"]),
]


def laptop(tmp_path: Path, name: str) -> Database:
    folder = tmp_path / name
    folder.mkdir(parents=True, exist_ok=True)
    return open_database(folder / "co_app.sqlite3")


def populate(db: Database, *, sessions: int = 2, town: str = "germany-jena") -> dict[str, list[str]]:
    """Two households of people and ``sessions`` sessions everyone attended; returns the ids."""
    ids: dict[str, list[str]] = {"households": [], "participants": [], "sessions": []}
    with db.session() as s, s.begin():
        homes = {family: Household(case_number=f"CASE-{family[:3].upper()}-01", destination=town)
                 for family in {p[1] for p in PEOPLE}}
        s.add_all(homes.values())
        people = [Participant(household=homes[family], case_number=homes[family].case_number, given_name=given,
                              family_name=family, sex=sex, birth_year=year, nationality=nat, languages=langs,
                              destination=town, needs=["literacy"] if year < 1980 else [], consent=True,
                              consent_date=date(2026, 11, 1))
                  for given, family, sex, year, nat, langs in PEOPLE]
        s.add_all(people)
        days = [CoSession(session_date=date(2026, 11, 20 + n), place="Amman, IOM centre", facilitator="R. Nasser",
                          interpreter="M. Saleh", language="ar", destination_towns=[town],
                          agenda=[{"kind": "module", "ref": "housing", "minutes": 30}])
                for n in range(sessions)]
        s.add_all(days)
        for day in days:
            for person in people:
                s.add(AttendanceRecord(session=day, participant=person,
                                       status="late" if person.given_name == "Farid" else "present"))
            s.add(ModuleCoverage(session=day, module_id="housing"))
        s.flush()
        ids["households"] = [h.id for h in homes.values()]
        ids["participants"] = [p.id for p in people]
        ids["sessions"] = [d.id for d in days]
    return ids


def snapshot(db: Database) -> dict[str, dict[str, dict]]:
    """Every synced record of the database, canonical, by table and id."""
    out: dict[str, dict[str, dict]] = {}
    with db.engine.connect() as conn:
        for table in records.TABLES:
            codec = records.CODECS[table.name]
            out[table.name] = {row["id"]: codec.canonical(row) for row in conn.execute(select(table)).mappings()}
    return out


def office(tmp_path: Path, name: str = "hub") -> Database:
    """The office's hub: a database whose role is "office"."""
    from co_app.core.db import identity

    db = laptop(tmp_path, name)
    with db.engine.begin() as conn:
        identity.set_role(conn, "office")
        identity.set_name(conn, "Office")
    return db


def enrol(hub: Database, *laptops: Database, folder: Path | None = None) -> None:
    """Each laptop enrolled with the hub's key file, as an office does with a USB stick
    (the hub enrols each laptop's key the first time it imports one of its packages)."""
    from co_app.core.sync.keys import enrol_with_office, write_office_key

    key_file = (folder or Path(str(hub.engine.url.database)).parent) / "office.key"
    with hub.engine.begin() as conn:
        write_office_key(conn, key_file)
    for db in laptops:
        with db.engine.begin() as conn:
            enrol_with_office(conn, key_file)
