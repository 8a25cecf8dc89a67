"""Made-up sessions, households and participants, so every view has something to show.

Everything here is invented: the names are common given and family names of the
nationalities resettlement programmes serve most, combined at random.

**Several laptops for the office's demonstration.**  Each laptop makes people of its own:
drawn with its device id as the seed, with case numbers that carry its laptop number
(``demo seed --laptop N``, 1 to 8; by default one derived from the device id, which two
laptops may happen to share: give each its number for a demonstration) and birth years that
only that number's laptop uses — so no two laptops' made-up people look like one
person to the office's duplicate finder (same case number, or same names and birth year).
Except, deliberately, ``SHARED_FAMILIES`` families who are the same on every laptop (the
same family registered at two places, as happens): on the hub they are the possible
duplicates the office's *Duplicates* view shows, and nobody else is.

Sessions spread over the recent weeks in different places, with different facilitators,
languages and destinations; the past ones are closed with their attendance and module
coverage, and today's is open with its roster expected and a few people already checked
in — ready for a check-in demonstration.

A marker in ``app_meta`` (local, never synced) says the database holds demo data; seeding
again refuses unless forced.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Mapping, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from co_app.core.sessions.agenda import default_agenda
from co_app.core.db.glance import DEVICE_ID_KEY
from co_app.core.db.models import AppMeta, AttendanceRecord, CoSession, Household, ModuleCoverage, Participant
from co_app.core.foundation.errors import CoError, sentence
from co_app.core.foundation.i18n import N_

MARKER_KEY = "demo_seed"
#: Demo laptops whose made-up people never look alike (``--laptop N``).
LAPTOP_SLOTS = 8
#: Families registered on every demo laptop: the office demo's real duplicates.
SHARED_FAMILIES = 2


class AlreadySeededError(CoError):
    """The database already holds demo data (``--force`` adds another batch)."""

    exit_code = 1


@dataclass(frozen=True)
class Origin:
    nationality: str
    prefix: str  # of the case number
    languages: tuple[str, ...]
    given_female: tuple[str, ...]
    given_male: tuple[str, ...]
    family: tuple[str, ...]


ORIGINS = (
    Origin("SY", "SYR", ("ar",),
           ("Amina", "Fatima", "Rania", "Lina", "Yara", "Hiba", "Nour", "Rasha", "Salma", "Reem", "Maryam"),
           ("Ahmad", "Mohammad", "Khaled", "Omar", "Hassan", "Yousef", "Tarek", "Bilal", "Samer", "Ziad"),
           ("Haddad", "Al-Khatib", "Darwish", "Nasser", "Hamdan", "Khoury", "Mansour", "Al-Hamwi", "Sabbagh",
            "Qassem", "Al-Halabi")),
    # Written in Arabic script, as many rosters from the region are.
    Origin("SY", "SYR", ("ar", "ku"),
           ("آمنة", "فاطمة", "ريم", "سلمى", "هبة", "مريم", "نور"),
           ("محمد", "أحمد", "خالد", "يوسف", "عمر", "إبراهيم", "مصطفى"),
           ("الحسن", "حداد", "الخطيب", "درويش", "العلي", "الأحمد", "إسماعيل")),
    Origin("AF", "AFG", ("fa_AF", "ps"),
           ("Zahra", "Mariam", "Nasrin", "Sahar", "Parwana", "Fereshta", "Shabnam", "Roya", "Mursal"),
           ("Farid", "Ahmad Shah", "Hamid", "Mohammad Nabi", "Javid", "Sayed", "Rahmatullah", "Najib"),
           ("Ahmadi", "Rahimi", "Hakimi", "Sultani", "Karimi", "Noori", "Haidari", "Sadat", "Popal")),
    Origin("ER", "ERI", ("ti",),
           ("Selam", "Senait", "Helen", "Rahel", "Feven", "Saba", "Yordanos", "Lidya"),
           ("Yonas", "Tesfaye", "Dawit", "Mehari", "Kidane", "Filmon", "Biniam", "Robel"),
           ("Tesfamariam", "Ghebremedhin", "Haile", "Berhane", "Weldu", "Tekle", "Ghebreyesus", "Andemariam")),
    Origin("SO", "SOM", ("so",),
           ("Hodan", "Faadumo", "Ayaan", "Ubah", "Sahra", "Ilhan", "Hibo", "Nimco"),
           ("Abdi", "Mahad", "Cabdi", "Liban", "Abdirahman", "Mohamed", "Bashir", "Yusuf"),
           ("Warsame", "Farah", "Hassan", "Jama", "Nur", "Abdullahi", "Yusuf", "Ali", "Osman")),
    Origin("CD", "COD", ("fr", "sw", "ln"),
           ("Esperance", "Grace", "Chantal", "Divine", "Josephine", "Ruth", "Mireille", "Furaha"),
           ("Jean-Pierre", "Patrick", "Christian", "Emmanuel", "Olivier", "Didier", "Baraka", "Héritier"),
           ("Mukendi", "Mbuyi", "Ilunga", "Kalonji", "Nsimba", "Lukusa", "Mutombo", "Kasongo", "Bahati")),
    Origin("SD", "SDN", ("ar",),
           ("Asma", "Sara", "Huda", "Awadia", "Ikhlas"),
           ("Abdelrahman", "Osman", "Mubarak", "Hamza", "Elsadig"),
           ("Elamin", "Abdalla", "Babiker", "Elnour", "Adam")),
)
#: (place, session language, the origins of its groups)
PLACES = (
    ("Amman, IOM training room", "ar", (0, 1, 6)),
    ("Beirut, Hamra centre", "ar", (0, 1)),
    ("Islamabad, transit centre hall B", "fa_AF", (2,)),
    ("Khartoum, resettlement office", "ti", (3, 6)),
    ("Nairobi, Kakuma field office", "so", (4, 5)),
    ("Kampala, Nakivale centre", "fr", (5, 4)),
)
FACILITATORS = (("Leila Mansour", "Rami Saleh"), ("Daniel Okello", "Aisha Hussein"), ("Sofia Rossi", "Nadia Karimi"),
                ("Karim Benali", "Tesfay Gebru"), ("Marta Nowak", "Hamza Abdi"))
STATUS_WEIGHTS = (("present", 70), ("late", 12), ("left_early", 5), ("absent", 13))
NEED_CHOICES = ("literacy", "mobility", "hearing", "vision", "childcare", "health")


@dataclass(frozen=True)
class SeedReport:
    sessions: int
    households: int
    participants: int
    attendance: int


def is_seeded(db: Session) -> bool:
    return db.get(AppMeta, MARKER_KEY) is not None


def _birth_year(rng: random.Random, today: date, low: int, high: int, slot: int) -> int:
    """An age from ``low`` to ``high``, as a birth year that only laptop ``slot`` uses (its
    remainder by ``LAPTOP_SLOTS + 1``; 0 is the shared families')."""
    year = today.year - rng.randint(low, high)
    year -= (year - slot) % (LAPTOP_SLOTS + 1)
    return year if today.year - year <= high else year + LAPTOP_SLOTS + 1


def laptop_slot(device_id: str) -> int:
    """The demo laptop number (1 to ``LAPTOP_SLOTS``) a device takes when none is given."""
    return int(hashlib.sha256(device_id.encode()).hexdigest(), 16) % LAPTOP_SLOTS + 1


def _household(db: Session, rng: random.Random, origin: Origin, case: str, town: str, today: date,
               consent_day: date, taken: set[str], slot: int) -> list[Participant]:
    household = Household(case_number=case, destination=town)
    db.add(household)
    db.flush()
    # Two families of one name in one group would only confuse a demonstration.
    family = rng.choice([f for f in origin.family if f not in taken] or list(origin.family))
    taken.add(family)
    members: list[tuple[str, str, int | None, str | None]] = []  # sex, given, birth year, age group
    shape = rng.random()
    adults = 1 if shape < 0.25 else 2
    members.append(("female", rng.choice(origin.given_female), _birth_year(rng, today, 24, 52, slot), None))
    if adults == 2:
        members.append(("male", rng.choice(origin.given_male), _birth_year(rng, today, 26, 58, slot), None))
    for _ in range(rng.choice((0, 1, 2, 2, 3, 3, 4, 5))):
        sex = rng.choice(("female", "male"))
        given = rng.choice(origin.given_female if sex == "female" else origin.given_male)
        if rng.random() < 0.12:  # no birth date on file: an age group only
            members.append((sex, given, None, rng.choice(("0-4", "5-11", "12-17"))))
        else:
            members.append((sex, given, _birth_year(rng, today, 0, 17, slot), None))
    if rng.random() < 0.2:
        sex = rng.choice(("female", "male"))
        given = rng.choice(origin.given_female if sex == "female" else origin.given_male)
        members.append((sex, given, _birth_year(rng, today, 60, 78, slot) if rng.random() < 0.7 else None,
                        None if rng.random() < 0.7 else "60+"))
    used: set[str] = set()
    for i, (sex, given, birth_year, age_group) in enumerate(members):  # no two siblings share a name
        pool = [g for g in (origin.given_female if sex == "female" else origin.given_male) if g not in used]
        if given in used and pool:
            members[i] = (sex, rng.choice(pool), birth_year, age_group)
        used.add(members[i][1])
    rows = []
    for sex, given, birth_year, age_group in members:
        if birth_year is None and age_group is None:
            age_group = "60+"
        adult = birth_year is not None and today.year - birth_year >= 18 or age_group == "60+"
        needs = [rng.choice(NEED_CHOICES)] if rng.random() < 0.12 else []
        if adult and rng.random() < 0.15 and "literacy" not in needs:
            needs.append("literacy")
        consent = adult and rng.random() < 0.9
        row = Participant(
            household_id=household.id, case_number=case, given_name=given, family_name=family, sex=sex,
            birth_year=birth_year, age_group=age_group, nationality=origin.nationality,
            languages=list(origin.languages[: 1 + (rng.random() < 0.4)]), destination=town,
            needs=needs, consent=consent, consent_date=consent_day if consent else None)
        db.add(row)
        rows.append(row)
    return rows


def _status(rng: random.Random) -> str:
    return rng.choices([s for s, _ in STATUS_WEIGHTS], weights=[w for _, w in STATUS_WEIGHTS])[0]


def _add_session(db: Session, day: date, number: int, where: tuple, who: tuple[str, str],
                 chosen: list[tuple[str, str]], agenda: list, start: datetime, is_today: bool) -> CoSession:
    """One demo session: today's is open, the others closed four hours after they began."""
    (place, language, _origins), (facilitator, interpreter) = where, who
    session = CoSession(
        session_date=day, number_of_day=number, place=place, facilitator=facilitator,
        interpreter=interpreter, language=language, destination_towns=[film for _, film in chosen if film],
        agenda=[step.as_json() for step in agenda],
        status="open" if is_today else "closed",
        closed_at=None if is_today else start + timedelta(hours=4),
        notes="Demonstration session (made-up data).")
    db.add(session)
    db.flush()
    return session


def _attend(db: Session, rng: random.Random, session: CoSession, people: list[Participant], start: datetime,
            is_today: bool) -> int:
    """Everyone's attendance at ``session``: today's open session has most still to come."""
    for person in people:
        if is_today:
            status = "present" if rng.random() < 0.2 else "absent"  # the rest are still to come
        else:
            status = _status(rng)
        arrived = start + timedelta(minutes=rng.randint(-20, 5) if status != "late" else rng.randint(15, 50))
        db.add(AttendanceRecord(session_id=session.id, participant_id=person.id, status=status,
                                checked_in_at=arrived,
                                note="Left after the break for an appointment" if status == "left_early" else ""))
    return len(people)


def _device_id(db: Session) -> str:
    row = db.get(AppMeta, DEVICE_ID_KEY)
    return (row.value if row is not None else "") or ""


class _Maker:
    """One laptop's made-up households: its seed, its number (case numbers and birth years
    no other demo laptop uses), and the families every laptop shares."""

    def __init__(self, db: Session, device: str, laptop: int | None, today: date, batch: int) -> None:
        self.db, self.today = db, today
        self.slot = laptop or laptop_slot(device)
        self.code = hashlib.sha256(device.encode()).hexdigest()[:2].upper()  # two laptops of one number differ
        self.rng = random.Random(f"{batch}:{device}:{self.slot}")

    def people(self, day: date, origin_ids: Sequence[int], chosen: Sequence[tuple[str, str]], serial: int,
               counts: dict[str, int], shared: Sequence[tuple[str, str]] | None) -> tuple[list[Participant], int]:
        """A session's households (``shared``: the towns, for the first session of the first batch)."""
        people: list[Participant] = []
        families: set[str] = set()
        if shared is not None:
            people += _shared_families(self.db, shared, self.today, day, families)
            counts["households"] += SHARED_FAMILIES
            counts["participants"] += len(people)
        for _ in range(self.rng.randint(6, 9)):
            origin = ORIGINS[self.rng.choice(origin_ids)]
            serial += 1
            case = f"{origin.prefix}-{day:%y}C{self.slot}{self.code}{serial * 37 % 10000:04d}"
            town = self.rng.choice(chosen)[0]
            members = _household(self.db, self.rng, origin, case, town, self.today, day, families, self.slot)
            people.extend(members)
            counts["households"] += 1
            counts["participants"] += len(members)
        return people, serial


def _shared_families(db: Session, towns: Sequence[tuple[str, str]], today: date, consent_day: date,
                     taken: set[str]) -> list[Participant]:
    """The families registered on every demo laptop alike: same case numbers, names, birth
    years and town (a seed of their own, birth years of no laptop's)."""
    rng = random.Random("shared families")
    people: list[Participant] = []
    for number in range(1, SHARED_FAMILIES + 1):
        origin = ORIGINS[number - 1]
        people += _household(db, rng, origin, f"{origin.prefix}-{today:%y}C0{number * 37:04d}", towns[0][0],
                             today, consent_day, taken, 0)
    return people


def seed_demo(db: Session, *, towns: Sequence[tuple[str, str]], modules: Sequence[tuple[str, int]],
              sessions: int = 8, today: date | None = None, force: bool = False,
              openings: Mapping[str, str] | None = None, laptop: int | None = None) -> SeedReport:
    """Add ``sessions`` sessions (the last one today, open) with their people, in one
    transaction.  ``towns``: (town id, film id) pairs; ``modules``: (module id, minutes);
    ``openings``: module id → the film moment it opens with (a step of its own before it);
    ``laptop``: this laptop's demo number, 1 to ``LAPTOP_SLOTS`` (default: from its device id).
    The first batch's first session also has the ``SHARED_FAMILIES`` every laptop has."""
    if sessions < 1:
        raise CoError(sentence(N_("The number of demo sessions must be at least 1.")))
    if not towns or not modules:
        raise CoError(sentence(N_("Demo data needs the towns and modules of the content folder; none were found.")))
    marker = db.get(AppMeta, MARKER_KEY)
    if marker is not None and not force:
        raise AlreadySeededError(
            sentence(N_("This database already holds demo data (seeded {date}); use --force to add another batch."),
                     date=marker.value))
    if laptop is not None and not 1 <= laptop <= LAPTOP_SLOTS:
        raise CoError(sentence(N_("The demo laptop number must be from 1 to {most}."), most=LAPTOP_SLOTS))
    today = today or date.today()
    batch = int(marker.value.rsplit("#", 1)[-1]) + 1 if marker is not None and "#" in marker.value else 1
    made = _Maker(db, _device_id(db), laptop, today, batch)
    rng = made.rng
    serial = db.scalar(select(func.count()).select_from(Household)) or 0
    counts = {"households": 0, "participants": 0, "attendance": 0}
    try:
        for index in range(sessions):
            day = today - timedelta(days=7 * (sessions - 1 - index) // 2 + (0 if index == sessions - 1 else 1))
            origin_ids = PLACES[index % len(PLACES)][2]
            chosen = rng.sample(list(towns), k=min(len(towns), rng.choice((1, 1, 2))))
            number = (db.scalar(select(func.max(CoSession.number_of_day)).where(
                CoSession.session_date == day, CoSession.deleted_at.is_(None))) or 0) + 1
            is_today = index == sessions - 1
            agenda = default_agenda(modules[:4] if is_today else rng.sample(list(modules), k=4),
                                    chosen[0][1] or None, chosen[0][0], openings)
            start = datetime.combine(day, time(9, 0), tzinfo=timezone.utc)
            session = _add_session(db, day, number, PLACES[index % len(PLACES)],
                                   FACILITATORS[index % len(FACILITATORS)], chosen, agenda, start, is_today)
            people, serial = made.people(day, origin_ids, chosen, serial, counts,
                                         shared=towns if index == 0 and batch == 1 else None)
            db.flush()
            counts["attendance"] += _attend(db, rng, session, people, start, is_today)
            for step in agenda:
                if step.kind == "module" and (not is_today) and rng.random() < 0.85:
                    db.add(ModuleCoverage(session_id=session.id, module_id=step.ref, covered=True))
        stamp = f"{today.isoformat()} #{batch}"
        if marker is None:
            db.add(AppMeta(key=MARKER_KEY, value=stamp))
        else:
            marker.value = stamp
        db.commit()
    except BaseException:
        db.rollback()
        raise
    return SeedReport(sessions, counts["households"], counts["participants"], counts["attendance"])
