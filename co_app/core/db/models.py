"""The data model.  Synced records carry ``SyncMixin``; local-only state does not.

Schema changes go through Alembic (``co_app/core/db/migrations``); a test proves the
migrations produce exactly these models.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from co_app.core.db.base import Base, ShortText, SyncMixin, UTCDateTime, utcnow


class AppMeta(Base):
    """Small facts about this installation (the device id, …).  Never synced."""

    __tablename__ = "app_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


class CoSession(SyncMixin, Base):
    """One cultural-orientation session: a day, a room, a group."""

    __tablename__ = "co_sessions"

    session_date: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    #: 1 for the first session of the day at this place, 2 for the second, …
    number_of_day: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    place: Mapped[str] = mapped_column(ShortText, nullable=False, default="")
    facilitator: Mapped[str] = mapped_column(ShortText, nullable=False, default="")
    interpreter: Mapped[str] = mapped_column(ShortText, nullable=False, default="")
    #: The group's language (gettext code): chooses the subtitles and content.
    language: Mapped[str] = mapped_column(String(16), nullable=False, default="en")
    #: Town ids of DESIGN.md's films ("germany-jena", …).
    destination_towns: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    #: Ordered steps: [{"kind": "module"|"film"|"town"|"break", "ref": "...", "minutes": 20}, …]
    agenda: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    #: "open" while it runs, "closed" once the facilitator closes it (then edits need the PIN).
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: The device (laptop or office) that created the session: write-once, it travels with the
    #: record (else derived from its dots), so every database names the same laptop
    #: (co_app/core/db/origins.py).
    origin_device: Mapped[str | None] = mapped_column(String(36), default=None, index=True)

    attendance: Mapped[list["AttendanceRecord"]] = relationship(back_populates="session")
    coverage: Mapped[list["ModuleCoverage"]] = relationship(back_populates="session")


class Household(SyncMixin, Base):
    """A resettlement case: the people who travel together."""

    __tablename__ = "households"

    case_number: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    destination: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")

    members: Mapped[list["Participant"]] = relationship(back_populates="household")


class Participant(SyncMixin, Base):
    __tablename__ = "participants"

    household_id: Mapped[str | None] = mapped_column(ForeignKey("households.id"), index=True)
    case_number: Mapped[str] = mapped_column(String(64), nullable=False, default="", index=True)
    given_name: Mapped[str] = mapped_column(ShortText, nullable=False, default="")
    family_name: Mapped[str] = mapped_column(ShortText, nullable=False, default="")
    #: "female", "male", "other" or "unknown"
    sex: Mapped[str] = mapped_column(String(16), nullable=False, default="unknown")
    birth_year: Mapped[int | None] = mapped_column(Integer, default=None)
    #: When the birth year is not known: "0-4", "5-11", "12-17", "18-59", "60+".
    age_group: Mapped[str | None] = mapped_column(String(8), default=None)
    #: ISO 3166 alpha-2 country code.
    nationality: Mapped[str] = mapped_column(String(8), nullable=False, default="")
    languages: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    destination: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    #: e.g. ["literacy", "mobility", "hearing", "vision"]
    needs: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    consent: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    consent_date: Mapped[date | None] = mapped_column(Date, default=None)
    #: The person this one was found to be (a duplicate registered on another laptop): a
    #: synced field, set and cleared by the office (co_app/core/office/duplicates.py).  A
    #: report counts ``COALESCE(merged_into, id)`` as the person.
    merged_into: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    #: The device that registered the person: travels, like ``CoSession.origin_device``.
    origin_device: Mapped[str | None] = mapped_column(String(36), default=None, index=True)

    household: Mapped[Household | None] = relationship(back_populates="members")


class AttendanceRecord(SyncMixin, Base):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("session_id", "participant_id", name="uq_attendance_session_participant"),)

    session_id: Mapped[str] = mapped_column(ForeignKey("co_sessions.id"), nullable=False, index=True)
    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"), nullable=False, index=True)
    #: "present", "late", "left_early" or "absent"
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="present")
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")

    session: Mapped[CoSession] = relationship(back_populates="attendance")
    participant: Mapped[Participant] = relationship()


class ModuleCoverage(SyncMixin, Base):
    __tablename__ = "module_coverage"
    __table_args__ = (UniqueConstraint("session_id", "module_id", name="uq_module_coverage_session_module"),)

    session_id: Mapped[str] = mapped_column(ForeignKey("co_sessions.id"), nullable=False, index=True)
    module_id: Mapped[str] = mapped_column(String(64), nullable=False)
    covered: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    session: Mapped[CoSession] = relationship(back_populates="coverage")


class LearningAnswer(SyncMixin, Base):
    """One answer to a module's check question (issue 21), asked before or after the module:
    a person's (``participant_id``, ``count`` 1) or a group tally's (how many chose one
    answer, ``count`` of ``present``).  ``slot`` is the person's id or ``tally-<answer>``:
    with session, module, question and phase it is the natural key, so a person's changed
    answer is an edit of one record and two laptops recording the same answer record one."""

    __tablename__ = "learning_answers"
    __table_args__ = (UniqueConstraint("session_id", "module_id", "question_id", "phase", "slot",
                                       name="uq_learning_answers_slot"),)

    session_id: Mapped[str] = mapped_column(ForeignKey("co_sessions.id"), nullable=False, index=True)
    module_id: Mapped[str] = mapped_column(String(64), nullable=False)
    #: The question's ``id`` in the module's content (co_app/core/content/checks.py).
    question_id: Mapped[str] = mapped_column(String(64), nullable=False)
    #: "before" or "after" the module.
    phase: Mapped[str] = mapped_column(String(8), nullable=False)
    slot: Mapped[str] = mapped_column(String(40), nullable=False)
    participant_id: Mapped[str | None] = mapped_column(ForeignKey("participants.id"), default=None, index=True)
    #: The option chosen, from 0 (shown as 1), and whether it was the right one then.
    answer: Mapped[int] = mapped_column(Integer, nullable=False)
    correct: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    #: How many chose it: 1 for a person's answer.
    count: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    #: A tally's "of how many present" (None for a person's answer).
    present: Mapped[int | None] = mapped_column(Integer, default=None)
    #: Who recorded it (the facilitator's name on the laptop).
    recorded_by: Mapped[str] = mapped_column(ShortText, nullable=False, default="")


class PlaybackPosition(Base):
    """Where each film was left on this laptop, to resume there.  Never synced."""

    __tablename__ = "playback_positions"

    film_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position_ms: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)



class MediaFile(Base):
    """What was last verified about each film's file on this laptop.  Never synced: it
    describes this machine's disk.  ``size`` and ``mtime_ns`` let the library trust the
    recorded status without hashing again; ``sha256`` is the checksum the file must have."""

    __tablename__ = "media_files"

    film_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    file_name: Mapped[str] = mapped_column(String(200), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    mtime_ns: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    #: Where ``sha256`` came from: "manifest", "pack" (SHA256SUMS), "demo" or "first-use".
    sha256_source: Mapped[str | None] = mapped_column(String(16), default=None)
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    #: "present" or "corrupt" (FilmStatus values), as found at ``verified_at``.
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    #: Why it is corrupt, in no language: {"code": …, "params": {…}} (co_app/core/media/problems.py).
    problem: Mapped[str | None] = mapped_column(Text, default=None)


class AuditEntry(Base):
    """What was done that the programme office may need to account for: exports, imports,
    PIN changes, edits of closed sessions, restores.  Never personal data: ``subject`` is a
    record id, ``detail`` says what changed in words without names or case numbers.
    Local to this laptop (never synced)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow, index=True)
    #: "export", "import", "pin_set", "pin_changed", "closed_session_edit", "session_closed", "restore", …
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    #: A record id (a session's UUID, …) or "" — never a name.
    subject: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="")
    device_id: Mapped[str] = mapped_column(String(36), nullable=False, default="")


class SyncConflict(Base):
    """The losing version of a record when a sync import found two edits of it; the UI
    lists them so the programme office can check the winner.  Never synced."""

    __tablename__ = "sync_conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow, index=True)
    table_name: Mapped[str] = mapped_column(String(64), nullable=False)
    record_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    #: Which side won: "local" or "incoming".
    winner: Mapped[str] = mapped_column(String(16), nullable=False)
    winner_updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    winner_device_id: Mapped[str] = mapped_column(String(36), nullable=False)
    loser_updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    loser_device_id: Mapped[str] = mapped_column(String(36), nullable=False)
    #: The losing version, every column, as JSON.
    loser_data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    #: The package's file name and device, to trace it back.
    package: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    reviewed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    #: The field two laptops changed at once (None: a whole-record conflict logged before
    #: field-level sync, schema 0005); ``loser_data`` then holds {field: lost value}.
    field: Mapped[str | None] = mapped_column(String(64), default=None)
    #: The kept value of ``field`` when the conflict was found.
    winner_value: Mapped[Any] = mapped_column(JSON, nullable=True, default=None)
    #: The dots of both versions ([device, counter, hlc]), to tell them apart exactly.
    winner_dot: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    loser_dot: Mapped[list[Any] | None] = mapped_column(JSON, default=None)


class SyncSeen(Base):
    """What this database holds of each device's changes: every change of ``device_id`` up
    to ``counter`` (its own device included).  Never synced; packages carry it as a vector."""

    __tablename__ = "sync_seen"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    counter: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class SyncContext(Base):
    """What a device had seen of the others when it made its changes from ``first_counter``
    on: the vector {device: counter} that tells whether one change came after another
    (co_app/core/sync/causality.py).  A device starts a new one after each import."""

    __tablename__ = "sync_contexts"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    first_counter: Mapped[int] = mapped_column(Integer, primary_key=True)
    vector: Mapped[dict[str, int]] = mapped_column(JSON, nullable=False, default=dict)


class SyncPeer(Base):
    """Every other database this one exchanged packages with: its name and role, and what
    it said it held (``seen``) in its newest package — the base of the next export to it."""

    __tablename__ = "sync_peers"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    role: Mapped[str] = mapped_column(String(16), nullable=False, default="laptop")
    seen: Mapped[dict[str, int]] = mapped_column(JSON, nullable=False, default=dict)
    #: The highest sync_seq of our exports that it is known to hold.
    acked_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_package_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_package: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    #: The device ids it used before (a copied or restored data folder becomes a new device).
    predecessors: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    #: Its public keys (base64; co_app/core/sync/keys.py), once enrolled: its packages must
    #: be signed with ``sign_key``; the office's packages are encrypted to ``box_key``.
    sign_key: Mapped[str | None] = mapped_column(String(64), default=None)
    box_key: Mapped[str | None] = mapped_column(String(64), default=None)


class SyncExport(Base):
    """Each package this database wrote: up to which sync_seq, and the vector it held then,
    so an answer from the office tells which exports arrived."""

    __tablename__ = "sync_exports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    seq_max: Mapped[int] = mapped_column(Integer, nullable=False)
    vector: Mapped[dict[str, int]] = mapped_column(JSON, nullable=False, default=dict)
    file_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")


class SyncHeld(Base):
    """A change dated more than a day ahead of this computer when it was imported: not
    applied (it would win over every later change until that date) until the office
    accepts it, which then makes it the office's own change."""

    __tablename__ = "sync_held"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    held_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    table_name: Mapped[str] = mapped_column(String(64), nullable=False)
    record_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    field: Mapped[str] = mapped_column(String(64), nullable=False)
    value: Mapped[Any] = mapped_column(JSON, nullable=True, default=None)
    dot: Mapped[list[Any]] = mapped_column(JSON, nullable=False)
    #: The whole incoming record (a new record is held whole: it cannot exist without it).
    record: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    package: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    #: "held", "accepted" or "rejected".
    state: Mapped[str] = mapped_column(String(16), nullable=False, default="held")


class SyncReceived(Base):
    """Every package this database imported: from which device, when it was written and
    imported, the dates of the sessions it held records of, and what it changed.  Never
    synced; the office's list of laptops reads it (co_app/core/office/laptops.py)."""

    __tablename__ = "sync_received"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    package: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    first_date: Mapped[date | None] = mapped_column(Date, default=None)
    last_date: Mapped[date | None] = mapped_column(Date, default=None)
    #: The sender's own change counter when it wrote the package (its place among its packages).
    counter: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    inserted: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    updated: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


SYNCED_MODELS: tuple[type[SyncMixin], ...] = (CoSession, Household, Participant, AttendanceRecord, ModuleCoverage,
                                                LearningAnswer)

#: "What did this laptop change since its last export" (``glance.pending_changes``, on Home
#: and in the export dialog) reads only this index: without it the count read every row —
#: 17 ms on the GUI thread for 137,000 records, 7 ms with it (issue 9).
for _model in SYNCED_MODELS:
    Index(f"ix_{_model.__tablename__}_device_id_updated_at", _model.device_id, _model.updated_at)
del _model

