"""A small, realistic session for the report, printout and closing tests, built through
the models; and a way to answer the modal dialogs those actions open.

    name (as written)        case     household  sex     born  nat  languages   status      destination
    أمل الحسن                SYR-001  SYR-001    female  1990  SY   ar          present     jena
    Omar Al-Hassan           SYR-002  SYR-001    male    2021  SY   ar          present     jena
    فرشته احمدی              AFG-001  AFG-001    female  1985  AF   fa_AF       late        jena
    Mariam Tesfay            ERI-001  ERI-001    female  2010  ER   ti, ar      left_early  jena
    Jean Mukendi             COD-001  COD-001    male    1958  CD   fr          present     biella
    Yusuf Haidari            AFG-002  AFG-001    male    1999  AF   (none)      absent      jena

Attended: 5 (female 3, male 2); absent: 1.  Modules covered: housing, work-and-money,
health-and-wellbeing (school-and-childcare recorded as not covered).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from co_app.core.bootstrap import Services
from co_app.core.db.models import AttendanceRecord, CoSession, Household, ModuleCoverage, Participant

SESSION_DAY = date(2025, 3, 10)
PEOPLE = [
    # given, family, case, household, sex, born, nationality, languages, status, destination
    ("أمل", "الحسن", "SYR-001", "SYR-001", "female", 1990, "SY", ["ar"], "present", "jena"),
    ("Omar", "Al-Hassan", "SYR-002", "SYR-001", "male", 2021, "SY", ["ar"], "present", "jena"),
    ("فرشته", "احمدی", "AFG-001", "AFG-001", "female", 1985, "AF", ["fa_AF"], "late", "jena"),
    ("Mariam", "Tesfay", "ERI-001", "ERI-001", "female", 2010, "ER", ["ti", "ar"], "left_early", "jena"),
    ("Jean", "Mukendi", "COD-001", "COD-001", "male", 1958, "CD", ["fr"], "present", "biella"),
    ("Yusuf", "Haidari", "AFG-002", "AFG-001", "male", 1999, "AF", [], "absent", "jena"),
]
COVERED = ["housing", "work-and-money", "health-and-wellbeing"]


@dataclass
class Seeded:
    session_id: str
    ids: dict[str, str]  # "given family" → participant id


def seed_session(services: Services, *, extra_expected: int = 0, day: date = SESSION_DAY,
                 place: str = "Transit Centre, Timișoara") -> Seeded:
    """The session above; ``extra_expected`` more people on the list, not yet arrived."""
    ids: dict[str, str] = {}
    with services.db.session() as db:
        session = CoSession(session_date=day, place=place, facilitator="Maria Popescu",
                            interpreter="Ahmad Karimi", language="ar", destination_towns=["germany-jena"])
        db.add(session)
        households: dict[str, Household] = {}
        for given, family, case, hh, sex, born, nat, langs, status, dest in PEOPLE:
            household = households.setdefault(hh, Household(case_number=hh, destination=dest))
            person = Participant(case_number=case, given_name=given, family_name=family, sex=sex, birth_year=born,
                                 nationality=nat, languages=langs, destination=dest, household=household)
            db.add(person)
            db.flush()
            ids[f"{given} {family}"] = person.id
            db.add(AttendanceRecord(session_id=session.id, participant_id=person.id, status=status))
        for n in range(extra_expected):
            person = Participant(case_number=f"XTR-{n:03d}", given_name=f"Extra{n:03d}", family_name="Person",
                                 sex="unknown", destination="jena")
            db.add(person)
            db.flush()
            db.add(AttendanceRecord(session_id=session.id, participant_id=person.id, status="absent"))
        for module_id in COVERED:
            db.add(ModuleCoverage(session_id=session.id, module_id=module_id, covered=True))
        db.add(ModuleCoverage(session_id=session.id, module_id="school-and-childcare", covered=False))
        db.commit()
        return Seeded(session.id, ids)


#: The certificate in Arabic, as a translator would give it (the shipped catalog may not
#: have it yet; tests add it to a copy so the holder's language is seen on the page).
ARABIC_CERTIFICATE = {
    "Welcoming Communities — pre-departure cultural orientation": "مجتمعات مرحّبة — التوجيه الثقافي قبل السفر",
    "Certificate of attendance": "شهادة حضور",
    "This is to certify that": "نشهد بأنّ",
    "took part in the cultural orientation session on {date} in {place}.":
        "شارك في جلسة التوجيه الثقافي يوم {date} في {place}.",
    "Destination: {town}": "الوجهة: {town}",
    "Topics covered": "المواضيع التي تمّت تغطيتها",
    "Facilitator": "الميسّر",
    "Facilitator: {name}": "الميسّر: {name}",
}


def locales_with_arabic_certificate(locale_dir, out_dir):  # paths
    """A copy of the compiled catalogs in ``locale_dir`` whose Arabic catalog also
    translates the certificate (the other languages are left as they are)."""
    import shutil
    from babel.messages.mofile import read_mo, write_mo

    shutil.copytree(locale_dir, out_dir)
    mo = out_dir / "ar" / "LC_MESSAGES" / "co_app.mo"
    with mo.open("rb") as fh:
        catalog = read_mo(fh)
    for message in catalog:  # read_mo leaves contexts as bytes, write_mo wants text
        if isinstance(message.context, bytes):
            message.context = message.context.decode("utf-8")
    for source, arabic in ARABIC_CERTIFICATE.items():
        catalog.add(source, arabic)
    with mo.open("wb") as fh:
        write_mo(fh, catalog)
    return out_dir


def answer_modal(kind: type, act):  # returns the QTimer (keep a reference)
    """Call ``act(dialog)`` once a modal dialog of ``kind`` is on screen, as a user would
    answer it.  Polls (rather than a single-shot timer) because the dialog may open only
    after an earlier one has closed."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    timer = QTimer()
    timer.setInterval(20)

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            timer.stop()
            act(dialog)

    timer.timeout.connect(check)
    timer.start()
    return timer
