"""The text of an error report: what went wrong and where, with no personal data in it.

A facilitator may hand the report to the programme office on a USB stick, so it holds the
traceback (code locations), the versions and the end of the log — and no participant's
name or case number.  Two things could carry them: an exception's message (a value that
was being written, SQLAlchemy's ``[parameters: …]``) and, in principle, the log.  Both are
scrubbed (``co_app.core.foundation.logs.scrub``) and every name and case number the database holds
is replaced with ``[hidden]``; when those could not be read, exception messages are left
out altogether rather than risked.
"""

from __future__ import annotations

import platform
import re
import sys
import traceback
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from co_app import APP_NAME, __version__
from co_app.core.foundation.logs import LOG_FILE, scrub

HIDDEN = "[hidden]"
MESSAGE_LEFT_OUT = "(message left out: it could not be checked for personal data)"
LOG_LINES = 40


def personal_values(db) -> set[str]:  # a SQLAlchemy Session
    """Every name and case number in the database (the strings a report must not contain)."""
    from sqlalchemy import select

    from co_app.core.db.models import Household, Participant

    values: set[str] = set()
    for given, family, case in db.execute(select(Participant.given_name, Participant.family_name,
                                                 Participant.case_number)):
        values.update((given, family, case, f"{given} {family}"))
    values.update(db.scalars(select(Household.case_number)))
    return {v.strip() for v in values if v and len(v.strip()) >= 2}


class Redactor:
    """Replaces known personal values (longest first, whole words) and SQL parameters."""

    def __init__(self, values: Iterable[str] | None) -> None:
        self.known = values is not None
        words = sorted({v for v in values or () if v}, key=len, reverse=True)
        self._pattern = (re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in words), re.IGNORECASE)
                         if words else None)

    def __call__(self, text: str) -> str:
        text = scrub(text)
        return self._pattern.sub(HIDDEN, text) if self._pattern else text


def describe_exception(exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None,
                       redact: Redactor) -> str:
    """The traceback, chained causes included; messages redacted (or left out)."""
    lines: list[str] = []
    for part in traceback.TracebackException(exc_type, exc, tb).format():
        if part.startswith("  "):  # a code location or its source line: no data in it
            lines.append(part)
        elif part.startswith(("Traceback", "\nThe above", "\nDuring handling")):
            lines.append(part)
        else:  # "SomeError: message" (possibly several lines)
            name, sep, message = part.partition(": ")
            if sep and not redact.known:
                lines.append(f"{name}: {MESSAGE_LEFT_OUT}\n")
            else:
                lines.append(redact(part))
    return "".join(lines)


def versions() -> dict[str, str]:
    """Application, Python, system, and — when already loaded — Qt and libVLC versions."""
    found = {APP_NAME: __version__, "Python": sys.version.split()[0], "System": platform.platform()}
    pyside = sys.modules.get("PySide6")
    if pyside is not None:
        found["PySide6"] = getattr(pyside, "__version__", "?")
        core = sys.modules.get("PySide6.QtCore")
        if core is not None:
            found["Qt"] = core.qVersion()
    vlc = sys.modules.get("vlc")  # never load libVLC just to describe an error
    if vlc is not None:
        try:
            found["libVLC"] = vlc.libvlc_get_version().decode("utf-8", "replace")
        except Exception:  # noqa: BLE001 - a report must always be written
            pass
    return found


def _log_tail(logs_dir: Path | None, redact: Redactor, count: int = LOG_LINES) -> list[str]:
    if logs_dir is None:
        return []
    try:
        lines = (logs_dir / LOG_FILE).read_text("utf-8", errors="replace").splitlines()[-count:]
    except OSError:
        return []
    return [redact(line) for line in lines]


def build_report(exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None, *,
                 redact: Redactor, logs_dir: Path | None = None, now: datetime | None = None) -> str:
    """The whole report as text (English: it is read by whoever supports the application)."""
    now = now or datetime.now(timezone.utc)
    parts = [f"{APP_NAME} — error report", f"Time (UTC): {now:%Y-%m-%d %H:%M:%S}", ""]
    parts += [f"{name}: {value}" for name, value in versions().items()]
    parts += ["", "What happened:", describe_exception(exc_type, exc, tb, redact).rstrip()]
    tail = _log_tail(logs_dir, redact)
    if tail:
        parts += ["", f"The last {len(tail)} lines of the log:", *tail]
    parts += ["", "This report holds no participant's name or case number.", ""]
    return "\n".join(parts)


#: Reports kept in the data folder (the viewer keeps each error's report there, with no
#: file dialog a participant could use): the newest so many stay.
KEEP_REPORTS = 20


def keep_report(folder: Path, report: str, *, now: datetime | None = None, keep: int = KEEP_REPORTS) -> Path:
    """Write ``report`` as ``folder/error-report-<UTC stamp>.txt`` (owner-only, the folder
    made if needed) and remove the oldest reports beyond ``keep``; returns the file.
    OSError passes through (the caller logs it: a report must never become a second error)."""
    from co_app.core.foundation.fileio import atomic_write_text, make_private_dirs

    now = now or datetime.now(timezone.utc)
    make_private_dirs(folder)
    path = folder / f"error-report-{now:%Y%m%d-%H%M%S}-{now.microsecond:06d}.txt"
    atomic_write_text(path, report)
    reports = sorted(folder.glob("error-report-*.txt"))
    for old in reports[:-keep] if keep > 0 else ():
        try:
            old.unlink()
        except OSError:
            pass
    return path
