"""Attendance for people: a CSV file or an XLSX workbook the programme office can open.

What is in it (README.md, "Export and sync"):

* **By default no names**: a participant is shown by the record id, with sex, age group,
  nationality, destination, languages and needs — enough to report numbers — but no
  name, case number, birth year or free-text note.
* ``with_names``: adds case number, given and family name, birth year and the check-in note.
* ``pseudonymise``: participants and households appear as stable pseudonyms
  (``P-…``/``H-…``), HMAC-SHA256 of the record id keyed with the programme secret, so
  the same person has the same pseudonym in every export made with that secret.  The
  secret is ``pseudonym-secret.key`` in the data folder (made on first use) or the file
  given; the programme office gives the same file to every laptop.

**One row per person per session** (co_app/core/attendance/definitions.py): a duplicate
merged into another person is that person, and where both have a record at one session the
stronger one is the row (an attendance, else an absence), so the rows count what the screen
counts.  Every session names the **laptop** it was made on, as this database knows it, and
the XLSX summary starts with the **period**: the first and last session date exported.

CSV is UTF-8 with a byte-order mark, so spreadsheet programs read Arabic correctly.  A text
cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed
with ``'`` so no spreadsheet runs it as a formula.  Files are written to a temporary name
and renamed.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from co_app.core.safety import audit
from co_app.core.attendance import definitions
from co_app.core.db import origins
from co_app.core.db.models import AttendanceRecord, CoSession, Household, ModuleCoverage, Participant
from co_app.core.foundation.errors import CoError, sentence
from co_app.core.people.participants import AGE_GROUPS, SEXES
from co_app.core.foundation.fileio import atomic_output, describe
from co_app.core.foundation.i18n import N_

FORMATS = ("csv", "xlsx")
SECRET_NAME = "pseudonym-secret.key"
ATTENDED = ("present", "late", "left_early")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


class ExportError(CoError):
    """The attendance export cannot be made as asked."""


def neutralise(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula, made inert with a leading '."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


#: The order of the summary's groups: the forms' order, not the alphabet ("0-4, 5-11, 12-17…").
STATUS_ORDER = ("present", "late", "left_early", "absent", "not here yet (open session)")


def age_group(birth_year: int | None, known_group: str | None, on: date) -> str:
    """The same rule as the reports (co_app/core/attendance/reports.py): the birth year first, then
    the group recorded at registration — so the spreadsheet and the window agree."""
    from co_app.core.attendance.reports import age_group as report_age_group

    return report_age_group(birth_year, known_group, on)


# --- the programme secret and pseudonyms -------------------------------------------------

def programme_secret(data_dir: Path, secret_file: Path | None = None) -> bytes:
    """The secret pseudonyms are derived from: ``secret_file``, else the data folder's own
    (made on first use, readable by the owner only)."""
    path = Path(secret_file) if secret_file else Path(data_dir) / SECRET_NAME
    if not path.exists() and secret_file is None:
        from co_app.core.foundation.fileio import atomic_write_text

        atomic_write_text(path, os.urandom(32).hex() + "\n")
    try:
        secret = path.read_bytes().strip()
    except OSError as exc:
        raise ExportError(sentence(N_("Cannot read the programme secret {path}: {problem}."),
                                   path=path, problem=describe(exc))) from exc
    if len(secret) < 16:
        raise ExportError(sentence(N_("The programme secret {path} is too short: it needs at least 16 characters."),
                                   path=path))
    return secret


def pseudonym(secret: bytes, kind: str, record_id: str) -> str:
    digest = hmac.new(secret, f"{kind}:{record_id}".encode(), hashlib.sha256).hexdigest()
    return f"{'H' if kind == 'household' else 'P'}-{digest[:12].upper()}"


# --- what goes into the export ---------------------------------------------------------

@dataclass(frozen=True)
class ExportOptions:
    with_names: bool = False
    #: When set, participants and households are pseudonymised with this secret.
    secret: bytes | None = None

    def __post_init__(self) -> None:
        if self.with_names and self.secret is not None:
            raise ExportError(sentence(N_("Choose names or pseudonyms, not both.")))

    @property
    def mode(self) -> str:
        return "with names" if self.with_names else "pseudonymised" if self.secret else "without names"


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    format: str
    sessions: int
    #: The participants sheet's rows: everyone registered, a merged duplicate not apart from its person.
    participants: int
    attendance: int
    mode: str
    #: The file was written but its audit entry was not (a sentence; the file stays).
    warning: str | None = None
    #: People who attended (definitions.py): the report's "people".
    people: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "format": self.format, "sessions": self.sessions,
                "participants": self.participants, "people": self.people, "attendance": self.attendance,
                "names": self.mode,
                "warning": self.warning}


class _Data:
    """Everything the export shows, read with a few Core selects (no ORM object per row)."""

    def __init__(self, db: Session, options: ExportOptions) -> None:
        self.options = options
        s, p, a, m = (CoSession.__table__, Participant.__table__, AttendanceRecord.__table__,
                      ModuleCoverage.__table__)
        self.sessions = [dict(r) for r in db.execute(select(s).where(s.c.deleted_at.is_(None))
                                                     .order_by(s.c.session_date, s.c.number_of_day)).mappings()]
        self.people = {r["id"]: dict(r) for r in db.execute(select(p).where(p.c.deleted_at.is_(None))).mappings()}
        self.modules: dict[str, list[str]] = defaultdict(list)
        for row in db.execute(select(m.c.session_id, m.c.module_id).where(m.c.deleted_at.is_(None), m.c.covered)
                              .order_by(m.c.module_id)):
            self.modules[row.session_id].append(row.module_id)
        h = Household.__table__
        live = select(h.c.id, h.c.destination).where(h.c.deleted_at.is_(None))
        self.households: dict[str, str] = {row.id: row.destination for row in db.execute(live)}
        laptops = origins.creator_names(db.connection())  # the laptop each session was made on
        for session in self.sessions:
            device = session.get("origin_device") or ""
            session["laptop"] = laptops.get(device) or device
        by_session = {row["id"]: row for row in self.sessions}
        records = []
        query = select(a).where(a.c.deleted_at.is_(None)).order_by(a.c.session_id, a.c.checked_in_at)
        for row in db.execute(query).mappings():
            if row["session_id"] in by_session and row["participant_id"] in self.people:
                records.append((by_session[row["session_id"]], self.people[row["participant_id"]], row))
        # One row per person per session: a merged duplicate's record and the kept person's
        # at one session are one visit, the stronger (definitions.fold_visits), as on screen.
        self.attendance = definitions.fold_visits(
            records, lambda v: (v[0]["id"], self.person_of(v[1])["id"]),
            lambda v: definitions.counts_as(v[2]["status"], v[0]["status"]))

    def who(self, person: dict[str, Any]) -> list[Any]:
        secret = self.options.secret
        household = person["household_id"] or ""
        if secret is not None:
            return [pseudonym(secret, "participant", person["id"]),
                    pseudonym(secret, "household", household) if household else ""]
        return [person["id"], household]

    def names(self, person: dict[str, Any]) -> list[Any]:
        if not self.options.with_names:
            return []
        return [person["case_number"], person["given_name"], person["family_name"], person["birth_year"]]

    def name_headers(self) -> list[str]:
        return ["case_number", "given_name", "family_name", "birth_year"] if self.options.with_names else []

    # --- the sheets ---

    def attendance_headers(self) -> list[str]:
        return (["session_id", "session_date", "session_number", "place", "laptop", "language", "participant",
                 "household",
                 *self.name_headers(), "sex", "age_group", "nationality", "destination", "languages", "needs",
                 "status", "counts_as", "checked_in_at_utc", "modules_covered"]
                + (["note"] if self.options.with_names else []))

    def attendance_rows(self) -> Iterator[list[Any]]:
        for session, recorded, record in self.attendance:
            on = session["session_date"]
            person = self.person_of(recorded)  # a merged duplicate's record is the kept person's
            row = [session["id"], on, session["number_of_day"], session["place"], session["laptop"],
                   session["language"],
                   *self.who(person), *self.names(person), person["sex"],
                   age_group(person["birth_year"], person["age_group"], on), person["nationality"],
                   person["destination"], "; ".join(person["languages"]), "; ".join(person["needs"]),
                   record["status"], definitions.counts_as(record["status"], session["status"]),
                   # An arrival time only for someone who came: an absent row's would read as one.
                   _utc(record["checked_in_at"]) if record["status"] in ATTENDED else "",
                   "; ".join(self.modules.get(session["id"], []))]
            if self.options.with_names:
                row.append(record["note"])
            yield row

    def session_rows(self) -> Iterator[list[Any]]:
        attended = Counter(s["id"] for s, _, r in self.attendance if r["status"] in ATTENDED)
        for s in self.sessions:
            yield [s["id"], s["session_date"], s["number_of_day"], s["place"], s["laptop"], s["facilitator"],
                   s["interpreter"],
                   s["language"], "; ".join(s["destination_towns"]), s["status"],
                   "; ".join(self.modules.get(s["id"], [])), attended[s["id"]]]

    def listed(self) -> list[dict[str, Any]]:
        """The participants sheet's people: a duplicate merged into a person is that person
        (its records are theirs), not a participant of its own."""
        return [person for person in self.people.values() if self.person_of(person) is person]

    def people_attending(self) -> int:
        """People (definitions.py): different persons with at least one attendance."""
        return len({self.person_of(person)["id"] for session, person, record in self.attendance
                    if definitions.counts_as(record["status"], session["status"]) == definitions.ATTENDANCE})

    def participant_rows(self) -> Iterator[list[Any]]:
        today = date.today()
        for person in self.listed():
            yield [*self.who(person), *self.names(person), person["sex"],
                   age_group(person["birth_year"], person["age_group"], today), person["nationality"],
                   person["destination"], "; ".join(person["languages"]), "; ".join(person["needs"]),
                   person["consent"]]

    def summary_rows(self) -> Iterator[list[Any]]:
        """The figures of co_app/core/attendance/definitions.py, as the reports count them:
        people who attended (disaggregated; age at their first session attended),
        attendances, absences, not here (yet), expected, records by status, people reached
        by each module."""
        reached: dict[str, tuple[dict, date]] = {}
        module_people: dict[str, set[str]] = defaultdict(set)
        statuses: Counter[str] = Counter()
        visits: dict[tuple[str, str], str] = {}  # (session, person) → what it counts as, once
        for session, person, record in sorted(self.attendance, key=lambda v: (v[0]["session_date"],
                                                                               v[0]["number_of_day"])):
            counted = definitions.counts_as(record["status"], session["status"])
            statuses["not here yet (open session)" if counted == definitions.NOT_HERE_YET
                     else record["status"]] += 1
            who = self.person_of(person)
            visits[(session["id"], who["id"])] = definitions.strongest(visits.get((session["id"], who["id"])),
                                                                       counted)
            if counted == definitions.ATTENDANCE:
                reached.setdefault(who["id"], (who, session["session_date"]))
                for module in self.modules.get(session["id"], []):
                    module_people[module].add(who["id"])
        figures: Counter[str] = Counter(visits.values())
        days = [s["session_date"] for s in self.sessions]
        yield ["period", "from", min(days) if days else ""]  # the dates of the sessions exported
        yield ["period", "to", max(days) if days else ""]
        yield ["sessions", "all", len(self.sessions)]
        yield ["participants attending", "all", len(reached)]
        dimensions = {
            "sex": lambda p, on: definitions.sex(p["sex"]),
            "age group": lambda p, on: definitions.age_group(p["birth_year"], p["age_group"], on),
            "nationality": lambda p, on: definitions.nationality(p["nationality"]),
            "destination": lambda p, on: definitions.destination(p["destination"],
                                                                 self.households.get(p["household_id"] or "")),
        }
        order = {group: index for index, group in enumerate((*SEXES, *AGE_GROUPS, *STATUS_ORDER))}
        for label, key in dimensions.items():
            counts = Counter(key(person, on) for person, on in reached.values())
            for group, count in sorted(counts.items(), key=lambda item: (order.get(item[0], len(order)), item[0])):
                yield [f"participants attending by {label}", group, count]
        yield ["attendances", "all", figures[definitions.ATTENDANCE]]
        yield ["absences", "all", figures[definitions.ABSENCE]]
        yield ["not here yet (open session)", "all", figures[definitions.NOT_HERE_YET]]
        yield ["expected", "all", sum(figures.values())]
        for status, count in sorted(statuses.items(), key=lambda item: (order.get(item[0], len(order)), item[0])):
            yield ["records by status", status, count]
        for module, people in sorted(module_people.items()):
            yield ["participants reached by module", module, len(people)]

    def person_of(self, person: dict[str, Any]) -> dict[str, Any]:
        """The person a record is (a merged duplicate is the one it was merged into)."""
        target = definitions.person(person["id"], person.get("merged_into"))
        return self.people.get(target, person)


SESSION_HEADERS = ["session_id", "session_date", "session_number", "place", "laptop", "facilitator", "interpreter",
                   "language", "destination_towns", "status", "modules_covered", "attended"]
SUMMARY_HEADERS = ["measure", "group", "count"]


def _utc(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _participant_headers(data: _Data) -> list[str]:
    return ["participant", "household", *data.name_headers(), "sex", "age_group", "nationality", "destination",
            "languages", "needs", "consent"]


def _text(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    return neutralise(value)


def _write_csv(out: io.BufferedWriter, headers: list[str], rows: Iterable[list[Any]]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")  # type: ignore[arg-type]
    writer = csv.writer(text)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_text(value) for value in row])
    text.flush()
    text.detach()  # the atomic writer closes the file itself


def _write_xlsx(out: io.BufferedWriter, data: _Data) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheets = (("sessions", SESSION_HEADERS, data.session_rows()),
              ("participants", _participant_headers(data), data.participant_rows()),
              ("attendance", data.attendance_headers(), data.attendance_rows()),
              ("summary", SUMMARY_HEADERS, data.summary_rows()))
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(headers)
        for row in rows:
            sheet.append(["" if value is None else neutralise(value) for value in row])
    # Finished in memory, then written: openpyxl stages the sheets in temporary files of its
    # own, and a full disk in the middle of its save leaves them half-written and complaining.
    finished = io.BytesIO()
    book.save(finished)
    out.write(finished.getbuffer())


def export_attendance(engine: Engine, out: Path, fmt: str, options: ExportOptions = ExportOptions()) -> ExportSummary:
    """Write the attendance export ``out`` (csv: the attendance table; xlsx: four sheets)."""
    if fmt not in FORMATS:
        raise ExportError(sentence(N_("Unknown export format '{fmt}': choose csv or xlsx."), fmt=fmt))
    out = Path(out)
    other = next((f for f in FORMATS if f != fmt and out.suffix.lower() == f".{f}"), None)
    if other is not None:  # an .xlsx workbook under a .csv name opens as garbage, and would replace a CSV
        raise ExportError(sentence(N_("{out} ends in .{other}, but the format asked for is {fmt}: give the file a "
                                      ".{fmt} name, or ask for {other}."), out=out, other=other, fmt=fmt))
    with Session(engine) as db:
        data = _Data(db, options)
    data_dir = Path(engine.url.database).parent if engine.dialect.name == "sqlite" and engine.url.database else None
    with atomic_output(out, data_dir=data_dir) as fh:
        if fmt == "csv":
            _write_csv(fh, data.attendance_headers(), data.attendance_rows())  # type: ignore[arg-type]
        else:
            _write_xlsx(fh, data)  # type: ignore[arg-type]
    summary = ExportSummary(out, fmt, len(data.sessions), len(data.listed()), len(data.attendance), options.mode,
                            people=data.people_attending())

    def write_audit() -> None:
        with Session(engine) as db, db.begin():
            db.info["device_id"] = _device_id(db)
            audit.record(db, "export", detail=(f"attendance {fmt} {out.name}: {summary.attendance} check-ins, "
                                               f"{summary.mode}"), commit=False)

    warning = audit.after_written(out, write_audit)
    return replace(summary, warning=warning) if warning else summary


def _device_id(db: Session) -> str:
    from co_app.core.db.engine import DEVICE_ID_KEY
    from co_app.core.db.models import AppMeta

    return db.scalar(select(AppMeta.value).where(AppMeta.key == DEVICE_ID_KEY)) or ""
