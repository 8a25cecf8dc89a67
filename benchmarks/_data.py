"""Realistic attendance data for the benchmarks, written fast with plain SQL into a
database the application created (so the schema, indexes and migrations are ours).

Names are drawn from the groups the programme resettles — Syrian, Afghan, Eritrean,
Sudanese, Congolese — in Latin letters, and for about a third also in Arabic script as a
roster may give them; households of 1–8 people share a case number ("SYR-24C0012").
"""

from __future__ import annotations

import json
import random
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

GIVEN = ("Ahmad Mohammad Fatima Aisha Omar Ali Hassan Hussein Zainab Maryam Khadija Yusuf Ibrahim Abdul Rahman "
         "Mustafa Nour Layla Amina Samir Rania Hamid Farid Zahra Habiba Mahmoud Karim Salma Huda Tariq Bilal "
         "Abdullah Sara Rahima Gul Nazanin Shabnam Wahid Jawad Parwana Freshta Sediqa Mesfin Tesfaye Selam "
         "Yonas Helen Senait Mebrat Dawit Abrehet Semhar Kidane Awet Mussie Grace Esperance Jean Pierre "
         "Claudine Emmanuel Furaha Baraka Neema Aline Josephine Osman Adam Halima Hawa Idris Ismail "
         "Rukia Musa Suleiman Yasmin Lina Dana Rami Firas Hadi Walid Jamila Ghada Reem Noor").split()
FAMILY = ("Al-Hassan Haddad Khalil Mansour Nasser Saleh Aziz Hamdan Darwish Haidari Rahimi Ahmadi Karimi Sultani "
          "Noori Hashimi Popal Wardak Tesfay Gebremedhin Berhane Haile Ghebreyesus Tekle Woldemichael Abraha "
          "Osman Abdelrahman Ibrahim Musa Adam Elamin Babiker Mukendi Kabila Ilunga Tshibanda Mbuyi Kasongo "
          "Bahati Habimana Niyonzima Al-Ahmad Al-Khatib Al-Najjar Qasim Sabbagh Shami Halabi Homsi Idlibi").split()
ARABIC_GIVEN = ("أحمد محمد فاطمة عائشة عمر علي حسن حسين زينب مريم خديجة يوسف إبراهيم مصطفى نور ليلى آمنة سمير "
                "رانيا حامد زهراء محمود كريم سلمى هدى طارق بلال عبدالله سارة").split()
ARABIC_FAMILY = "الحسن حداد خليل منصور ناصر صالح عزيز حمدان درويش قاسم الخطيب النجار الأحمد شامي حلبي".split()
ORIGINS = (("SYR", "SY", ["ar"]), ("AFG", "AF", ["fa_AF", "ps"]), ("ERI", "ER", ["ti"]), ("SDN", "SD", ["ar"]),
           ("COD", "CD", ["fr", "sw"]))
TOWNS = ("austria-gaenserndorf", "netherlands-zaanstad", "belgium-merchtem", "germany-jena", "romania-somcuta-mare",
         "italy-biella", "portugal-caranguejeira")
MODULES = ("journey-and-arrival", "life-in-a-small-town", "housing", "work-and-money", "learning-the-language",
           "school-and-childcare", "health-and-wellbeing", "rights-and-responsibilities")
STAMP = "%Y-%m-%d %H:%M:%S.%f"


@dataclass(frozen=True)
class Sizes:
    participants: int = 20_000
    sessions: int = 2_500
    per_session: int = 40  # sessions × per_session attendance records (100,000)
    modules_per_session: int = 4

    @property
    def attendance(self) -> int:
        return self.sessions * self.per_session

    def scaled(self, factor: float) -> "Sizes":
        return Sizes(max(50, int(self.participants * factor)), max(5, int(self.sessions * factor)),
                     self.per_session, self.modules_per_session)


def create_database(path: Path) -> str:
    """A new database at ``path`` made by the application (migrated); returns its device id."""
    from co_app.core.db.engine import open_database

    db = open_database(path)
    device_id = db.device_id
    db.dispose()
    return device_id


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def fill(path: Path, sizes: Sizes, *, seed: int = 1, device_id: str | None = None) -> None:
    """Add households, participants, sessions, attendance and module coverage to ``path``."""
    rng = random.Random(seed)
    device = device_id or _uuid(rng)
    # Every record dated in the past, however many sessions: a record dated more than a day
    # ahead of the importing computer is held for review, not imported (co_app/core/sync/merge.py).
    span = timedelta(minutes=max(60 * 24 * 90, sizes.sessions * 480), days=2)
    base = (datetime.now(timezone.utc) - span).replace(tzinfo=None, hour=8, minute=0, second=0, microsecond=0)

    def stamp(minutes: float) -> str:
        return (base + timedelta(minutes=minutes)).strftime(STAMP)

    households, participants = [], []
    made = 0
    while made < sizes.participants:
        code, country, languages = rng.choice(ORIGINS)
        case = f"{code}-{rng.randint(20, 26)}C{rng.randint(0, 99999):05d}"
        household_id = _uuid(rng)
        town = rng.choice(TOWNS)
        family = rng.choice(FAMILY)
        arabic = code in ("SYR", "SDN") and rng.random() < 0.35
        at = stamp(rng.uniform(0, 60 * 24 * 90))
        households.append((household_id, at, at, device, None, case, town, ""))
        for _ in range(min(rng.randint(1, 8), sizes.participants - made)):
            given = rng.choice(ARABIC_GIVEN) if arabic else rng.choice(GIVEN)
            fam = rng.choice(ARABIC_FAMILY) if arabic else family
            year = rng.randint(1950, 2024)
            participants.append((
                _uuid(rng), at, at, device, None, household_id, case, given, fam,
                rng.choice(("female", "male")), year, None, country, json.dumps(languages), town,
                json.dumps(["literacy"] if rng.random() < 0.1 else []), 1, "2026-02-27"))
            made += 1
    sessions, attendance, coverage = [], [], []
    day0 = base + timedelta(days=1)
    for s in range(sizes.sessions):
        session_id = _uuid(rng)
        day = (day0 + timedelta(days=s // 3)).date().isoformat()
        at = stamp(s * 480)
        sessions.append((session_id, at, at, device, None, day, s % 3 + 1, "Amman, IOM transit centre",
                         "Facilitator " + rng.choice(GIVEN), "Interpreter " + rng.choice(GIVEN),
                         rng.choice(("ar", "fa_AF", "ti", "fr")), json.dumps(rng.sample(TOWNS, 2)),
                         json.dumps([{"kind": "module", "ref": m, "minutes": 20} for m in MODULES[:4]]),
                         "closed", at, ""))
        block = (s * sizes.per_session) % max(1, sizes.participants - sizes.per_session)
        for k in range(sizes.per_session):
            person = participants[block + k][0]
            status = rng.choices(("present", "late", "left_early", "absent"), (80, 8, 4, 8))[0]
            attendance.append((_uuid(rng), at, at, device, None, session_id, person, status, at, ""))
        for module in rng.sample(MODULES, sizes.modules_per_session):
            coverage.append((_uuid(rng), at, at, device, None, session_id, module, 1))
    con = sqlite3.connect(path)
    try:
        with con:
            con.executemany("INSERT INTO households (id, created_at, updated_at, device_id, deleted_at, case_number, "
                            "destination, notes) VALUES (?,?,?,?,?,?,?,?)", households)
            con.executemany("INSERT INTO participants (id, created_at, updated_at, device_id, deleted_at, household_id,"
                            " case_number, given_name, family_name, sex, birth_year, age_group, nationality, languages,"
                            " destination, needs, consent, consent_date) VALUES "
                            "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", participants)
            con.executemany("INSERT INTO co_sessions (id, created_at, updated_at, device_id, deleted_at, session_date, "
                            "number_of_day, place, facilitator, interpreter, language, destination_towns, agenda, "
                            "status, closed_at, notes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", sessions)
            con.executemany("INSERT INTO attendance (id, created_at, updated_at, device_id, deleted_at, session_id, "
                            "participant_id, status, checked_in_at, note) VALUES (?,?,?,?,?,?,?,?,?,?)", attendance)
            con.executemany("INSERT INTO module_coverage (id, created_at, updated_at, device_id, deleted_at, "
                            "session_id, module_id, covered) VALUES (?,?,?,?,?,?,?,?)", coverage)
            _stamp_versions(con)
    finally:
        con.close()


def _stamp_versions(con: sqlite3.Connection) -> None:
    """What the application's flush hook writes (co_app/core/db/versions.py): every field's
    dot [device, counter, hlc] and the arrival order — so the sync benchmarks carry the
    real bookkeeping.  One counter per record, across tables, as the hook gives."""
    from co_app.core.db.models import SYNCED_MODELS

    offset = int(con.execute("SELECT coalesce(max(CAST(value AS INTEGER)), 0) FROM app_meta "
                             "WHERE key = 'sync_seq'").fetchone()[0])
    for model in SYNCED_MODELS:
        table = model.__table__
        dot = f"json_array(device_id, rowid + {offset}, CAST(strftime('%s', updated_at) AS INTEGER) * 1000)"
        # The compact form the hook writes for a record made in one change: one dot for all.
        con.execute(f"UPDATE {table.name} SET versions = json_object('', {dot}), sync_seq = rowid + {offset}")  # noqa: S608 - our tables
        if "origin_device" in table.c:  # where the record was made (co_app/core/db/origins.py)
            con.execute(f"UPDATE {table.name} SET origin_device = device_id")  # noqa: S608 - our tables
        offset += int(con.execute(f"SELECT coalesce(max(rowid), 0) FROM {table.name}").fetchone()[0])  # noqa: S608 - our tables
    for key in ("sync_seq", "sync_counter"):
        con.execute("DELETE FROM app_meta WHERE key = ?", (key,))
        con.execute("INSERT INTO app_meta (key, value) VALUES (?, ?)", (key, str(offset)))


def build(path: Path, sizes: Sizes, *, seed: int = 1) -> str:
    """A migrated database at ``path`` filled with ``sizes``, every record written on this
    database's own laptop (none exported yet: the most "changes not yet exported" there can
    be); returns its device id."""
    device_id = create_database(path)
    fill(path, sizes, seed=seed, device_id=device_id)
    return device_id
