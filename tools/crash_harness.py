"""Crash safety (issue 8): kill the real check-in with SIGKILL at random moments and prove
that nothing the screen had confirmed is lost.

    python -m tools.crash_harness --runs 50 --participants 200      # the full run (README)
    python -m tools.crash_harness --runs 5 --participants 40 --json report.json

One run:

1. *Parent*: opens the database as the application does and makes a new session at which
   every participant is expected (the participants are seeded once, before the first run).
2. *Child*: a separate Python process starts the application's services (``bootstrap``) and
   the real check-in panel (``CheckInPanel``) on an X display (Xvfb: the one in
   ``DISPLAY``, else one started here) and checks everyone in, in a random order, with key
   events into the panel's search field: the case number as a scanner types it, or the
   name as a facilitator types it, then Enter (↓ first when the person is not the first
   result).  Once the banner says "✓ <name> — present" and has been painted, the child
   appends ``confirmed <participant id>`` to a file and fsyncs it — never before.
3. *Parent*: SIGKILL at a random moment — during start-up, or after a random number of
   confirmed check-ins plus a random part of the time one check-in takes — then opens the
   database file: ``PRAGMA integrity_check`` must say ``ok``, every confirmed participant
   must be checked in, and at most one more may be (committed, killed before its banner).

Exit status 0 when every run passed, 1 otherwise; the figures are printed (and written as
JSON with ``--json``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ATTENDED = ("present", "late", "left_early")
READY, CONFIRMED, ERROR, DONE = "ready", "confirmed", "error", "done"

# Given and family names (every pair is a different person); a few in Arabic script and
# with Latin accents, so the key events carry text a keyboard layout would.
GIVEN = ["Amina", "Omar", "Lina", "Yusuf", "Zahra", "Farid", "Senait", "Mariam", "Jean", "Ahmad", "Fatima", "Karim",
         "Nour", "Samir", "Hana", "Bilal", "Ștefan", "Éloïse", "Abdi", "Layla", "أحمد", "فاطمة", "Tesfay", "Rahim"]
FAMILY = ["Haddad", "Karimi", "Tesfaye", "Mukendi", "Nasser", "Rahimi", "Popescu", "Khoury", "Haidari", "Osman",
          "Yilmaz", "Abebe", "Hussein", "Mansour", "Darwish", "Saleh", "Bakr", "Jaber", "Sultani", "الحسن",
          "العلي", "Nkurunziza", "Mohamud", "Ayoubi"]


# --- the parent ------------------------------------------------------------------------


@dataclass
class RunResult:
    run: int
    phase: str                      # where the kill landed: "start-up", "check-in" or "after the last check-in"
    killed: bool
    confirmed: int = 0              # check-ins the screen had confirmed before the kill
    verified: int = 0               # of those, found checked in afterwards
    unconfirmed_in_db: int = 0      # checked in but not (yet) confirmed: killed between commit and banner
    integrity: str = ""
    failures: list[str] = field(default_factory=list)


@dataclass
class Report:
    runs: int
    participants: int
    seed: int
    kills: int = 0
    kills_in_startup: int = 0
    kills_in_checkin: int = 0
    kills_after_last: int = 0
    confirmed_verified: int = 0
    confirmed_total: int = 0
    unconfirmed_in_db: int = 0
    integrity_ok: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    results: list[RunResult] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.runs} runs, {self.kills} SIGKILLs ({self.kills_in_startup} during start-up, "
                f"{self.kills_in_checkin} during check-in, {self.kills_after_last} after the last check-in); "
                f"{self.confirmed_verified} of {self.confirmed_total} confirmed check-ins found in the database; "
                f"{self.unconfirmed_in_db} committed but not yet confirmed; integrity_check ok "
                f"{self.integrity_ok}/{self.runs}; {len(self.failures)} failure(s); "
                f"{self.participants} participants; {self.seconds:.0f} s")


def _people(count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """``count`` (case number, given name, family name), every name pair different."""
    pairs = [(g, f) for g in GIVEN for f in FAMILY]
    if count > len(pairs):
        raise SystemExit(f"at most {len(pairs)} participants")
    rng.shuffle(pairs)
    return [(f"CRH-24C{n:05d}", given, family) for n, (given, family) in enumerate(pairs[:count], start=1)]


def seed_participants(data_dir: Path, count: int, rng: random.Random) -> list[dict[str, str]]:
    """Make the data folder as the application does and add ``count`` participants."""
    from co_app.core.bootstrap import bootstrap
    from co_app.core.people.participants import ParticipantData, save_new

    services = bootstrap(data_dir, language="en")
    people = []
    try:
        with services.db.session() as db:
            for case, given, family in _people(count, rng):
                row = save_new(db, ParticipantData(case_number=case, given_name=given, family_name=family,
                                                   sex="unknown", nationality="SY", destination="jena"))
                people.append({"id": row.id, "case": case, "name": f"{given} {family}"})
            db.commit()
    finally:
        services.close()
    return people


def new_session(database: Path, people: list[dict[str, str]], run: int) -> str:
    """A session at which everyone is expected, opened as the application opens the file
    (which also proves the database still opens after the last kill)."""
    from co_app.core.db.engine import open_database
    from co_app.core.people.participants import expect_at_session
    from co_app.core.sessions.service import create_session

    db = open_database(database)
    try:
        with db.session() as s:
            session = create_session(s, day=date.today(), place=f"Crash test {run}", facilitator="Harness",
                                     language="en", destination_towns=[])
            for person in people:
                expect_at_session(s, session.id, person["id"])
            s.commit()
            return session.id
    finally:
        db.dispose()


def read_lines(path: Path) -> list[str]:
    """The complete lines of the child's file (a line cut by the kill does not count)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return text.split("\n")[:-1]


def check_database(database: Path, session_id: str) -> tuple[str, set[str]]:
    """(integrity_check's answer, ids checked in to the session) — read with plain sqlite3,
    as a fresh process finds the file after the crash (the WAL is recovered on opening)."""
    conn = sqlite3.connect(database)
    try:
        integrity = "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
        rows = conn.execute("SELECT participant_id FROM attendance WHERE session_id = ? AND deleted_at IS NULL "  # noqa: S608 - the harness's own table names
                            f"AND status IN ({', '.join('?' * len(ATTENDED))})", (session_id, *ATTENDED))
        return integrity, {row[0] for row in rows}
    finally:
        conn.close()


class Display:
    """The X display for the children: ``DISPLAY`` when set, else an Xvfb of our own."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.name = os.environ.get("DISPLAY", "")

    def __enter__(self) -> "Display":
        if self.name:
            return self
        read_fd, write_fd = os.pipe()
        self.proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24",
                                      "-nolisten", "tcp"], pass_fds=(write_fd,), stderr=subprocess.DEVNULL)
        os.close(write_fd)
        with os.fdopen(read_fd) as fh:
            number = fh.readline().strip()
        if not number:
            raise SystemExit("Xvfb did not start (is it installed?)")
        self.name = f":{number}"
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)


def _child_env(display: str, runtime_dir: Path) -> dict[str, str]:
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", XDG_RUNTIME_DIR=str(runtime_dir))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


class Timing:
    """What the runs so far measured: start-up time and the time one check-in takes."""

    def __init__(self) -> None:
        self.startup = 3.0
        self.per_checkin = 0.05

    def learn(self, startup: float | None, stamps: list[float]) -> None:
        if startup is not None:
            self.startup = startup
        if len(stamps) >= 2:
            self.per_checkin = (stamps[-1] - stamps[0]) / (len(stamps) - 1)


def one_run(run: int, data_dir: Path, people: list[dict[str, str]], rng: random.Random, timing: Timing,
            display: str, work: Path, child_timeout: float) -> RunResult:
    database = data_dir / "co_app.sqlite3"
    session_id = new_session(database, people, run)
    order = people[:]
    rng.shuffle(order)
    script = [{"id": p["id"], "query": p["case"] if rng.random() < 0.5 else p["name"], "name": p["name"]}
              for p in order]
    script_file, confirm_file = work / f"script-{run}.json", work / f"confirmed-{run}.txt"
    script_file.write_text(json.dumps(script, ensure_ascii=False), encoding="utf-8")
    # Where the kill lands: one run in ten during start-up, the others after a random number
    # of confirmed check-ins (0 = as soon as the panel is ready) and a random part of one.
    in_startup = rng.random() < 0.1
    startup_delay = rng.uniform(0.0, timing.startup)
    after = rng.randrange(len(people))
    extra = rng.uniform(0.0, timing.per_checkin)

    with (work / f"child-{run}.log").open("wb") as log:
        started = time.monotonic()
        child = subprocess.Popen([sys.executable, "-m", "tools.crash_harness", "--child", "--data-dir", str(data_dir),
                                  "--session", session_id, "--script", str(script_file),
                                  "--confirm-file", str(confirm_file)],
                                 cwd=REPO, env=_child_env(display, work / "xdg"), stdout=log, stderr=log)
        ready_at, stamps, seen, phase = None, [], 0, "start-up"
        deadline = started + child_timeout
        kill_at = started + startup_delay if in_startup else None
        while child.poll() is None:
            now = time.monotonic()
            if kill_at is not None and now >= kill_at:
                break
            if now > deadline:
                phase = "timeout"
                break
            lines = read_lines(confirm_file)
            if ready_at is None and READY in lines:
                ready_at = now
                phase = "check-in"
            confirmed = sum(1 for line in lines if line.startswith(CONFIRMED))
            stamps.extend([now] * (confirmed - seen))
            seen = confirmed
            if DONE in lines:
                phase = "after the last check-in"
            if kill_at is None and ready_at is not None and confirmed >= after:
                kill_at = now + extra
            # Sleep to the kill when it is near; else look at the file again in a moment.
            time.sleep(max(0.0, min(kill_at - now, 0.002)) if kill_at is not None else 0.002)
        exited_by_itself = child.poll() is not None
        if not exited_by_itself:
            os.kill(child.pid, signal.SIGKILL)
        code = child.wait()

    lines = read_lines(confirm_file)
    confirmed_ids = [line.split(" ", 1)[1] for line in lines if line.startswith(CONFIRMED + " ")]
    if DONE in lines:
        phase = "after the last check-in"
    elif READY in lines and phase == "start-up":
        phase = "check-in"
    result = RunResult(run, phase, killed=code == -signal.SIGKILL, confirmed=len(confirmed_ids))
    if exited_by_itself:
        result.failures.append(f"run {run}: the child ended by itself with status {code} (see child-{run}.log)")
    if phase == "timeout":
        result.failures.append(f"run {run}: the child did not finish within {child_timeout:.0f} s")
    for line in lines:
        if line.startswith(ERROR):
            result.failures.append(f"run {run}: the child reported: {line}")
    integrity, checked_in = check_database(database, session_id)
    result.integrity = integrity
    if integrity != "ok":
        result.failures.append(f"run {run}: PRAGMA integrity_check said {integrity!r}")
    lost = [pid for pid in confirmed_ids if pid not in checked_in]
    result.verified = len(confirmed_ids) - len(lost)
    if lost:
        result.failures.append(f"run {run}: {len(lost)} confirmed check-in(s) missing: {lost[:5]}")
    result.unconfirmed_in_db = len(checked_in - set(confirmed_ids))
    if result.unconfirmed_in_db > 1:
        result.failures.append(f"run {run}: {result.unconfirmed_in_db} check-ins in the database that were never "
                               "confirmed (at most the one in flight may be)")
    timing.learn(ready_at - started if ready_at is not None else None, stamps)
    return result


def run(runs: int, participants: int, seed: int, work: Path | None = None, *, child_timeout: float = 300.0,
        echo=print) -> Report:  # echo: Callable[[str], None]
    """``runs`` killed check-ins over ``participants`` people; the figures."""
    rng = random.Random(seed)
    report = Report(runs, participants, seed)
    began = time.monotonic()
    own_work = work is None
    work = Path(tempfile.mkdtemp(prefix="co-crash-")) if work is None else work
    (work / "xdg").mkdir(mode=0o700, parents=True, exist_ok=True)
    data_dir = work / "data"
    try:
        people = seed_participants(data_dir, participants, rng)
        timing = Timing()
        with Display() as display:
            for number in range(1, runs + 1):
                result = one_run(number, data_dir, people, rng, timing, display.name, work, child_timeout)
                report.results.append(result)
                report.kills += result.killed
                report.kills_in_startup += result.killed and result.phase == "start-up"
                report.kills_in_checkin += result.killed and result.phase == "check-in"
                report.kills_after_last += result.killed and result.phase == "after the last check-in"
                report.confirmed_total += result.confirmed
                report.confirmed_verified += result.verified
                report.unconfirmed_in_db += result.unconfirmed_in_db
                report.integrity_ok += result.integrity == "ok"
                report.failures.extend(result.failures)
                echo(f"run {number:3d}: killed during {result.phase:<24} {result.confirmed:4d} confirmed, "
                     f"{result.verified:4d} found, integrity {result.integrity}"
                     + (f"  FAILED: {'; '.join(result.failures)}" if result.failures else ""))
    finally:
        report.seconds = time.monotonic() - began
        if own_work and not report.failures:
            shutil.rmtree(work, ignore_errors=True)
        elif report.failures:
            echo(f"the data folder and the children's logs are kept in {work}")
    return report


# --- the child -------------------------------------------------------------------------


def _append(fd: int, line: str) -> None:
    """One line, written in one call and forced to disk before anything else happens."""
    os.write(fd, (line + "\n").encode("utf-8"))
    os.fsync(fd)


def _type(widget, text: str) -> None:  # QWidget
    """Key presses as a keyboard sends them: QTest for ASCII, key events carrying their
    text for other letters (QTest.keyClicks knows ASCII only)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    run = ""
    for char in text + "\0":
        if char.isascii() and char != "\0":
            run += char
            continue
        if run:
            QTest.keyClicks(widget, run)
            run = ""
        if char != "\0":
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def child(data_dir: Path, session_id: str, script_file: Path, confirm_file: Path) -> int:
    """Check everyone in through the real panel; confirm each check-in the screen shows."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from co_app.core.bootstrap import bootstrap
    from co_app.ui.shell.application import qt_application
    from co_app.ui.attendance.checkin import CheckInPanel
    from co_app.ui.shell.theme import apply_theme

    fd = os.open(confirm_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    script = json.loads(script_file.read_text(encoding="utf-8"))
    app = qt_application()
    services = bootstrap(data_dir, language="en")
    apply_theme(app, larger_text=False)
    panel = CheckInPanel(services)
    panel.resize(1200, 760)
    panel.show()
    panel.set_session(session_id)
    panel.activateWindow()
    app.processEvents()
    _append(fd, READY)
    for step in script:
        _type(panel.search, step["query"])
        for _ in range(panel.table.rowCount()):  # ↓ to the person, as a facilitator would
            chosen = panel.selected()
            if chosen is None or chosen.person.id == step["id"]:
                break
            QTest.keyClick(panel.search, Qt.Key.Key_Down)
        chosen = panel.selected()
        if chosen is None or chosen.person.id != step["id"]:
            _append(fd, f"{ERROR} the search for one participant did not offer them (script step {step['id']})")
            return 3
        QTest.keyClick(panel.search, Qt.Key.Key_Return)
        action = panel.desk.last_action if panel.desk else None
        banner = panel.banner_text()
        if (action is None or not banner.startswith("✓") or step["name"] not in banner
                or step["id"] not in action.participant_ids):
            _append(fd, f"{ERROR} no confirmation on the screen after Enter (banner {banner!r})")
            return 3
        panel.banner.repaint()  # painted now, not at the next turn of the event loop
        app.processEvents()
        for pid in (c.participant_id for c in action.changes):
            _append(fd, f"{CONFIRMED} {pid}")
    _append(fd, DONE)
    while True:  # the parent kills us; stay alive like an application left open
        app.processEvents()
        time.sleep(0.01)


# --- command line ----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.crash_harness", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50, help="how many times to kill the check-in (default 50)")
    parser.add_argument("--participants", type=int, default=200, help="people to check in per run (default 200)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock; printed)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file as JSON")
    parser.add_argument("--work-dir", type=Path, help="keep the data folder and logs here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--session", help=argparse.SUPPRESS)
    parser.add_argument("--script", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--confirm-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.data_dir, args.session, args.script, args.confirm_file)
    seed = args.seed if args.seed is not None else int(time.time())
    if args.work_dir:
        args.work_dir.mkdir(parents=True, exist_ok=True)
    print(f"crash harness: {args.runs} runs, {args.participants} participants, seed {seed}", flush=True)
    report = run(args.runs, args.participants, seed, args.work_dir, echo=lambda line: print(line, flush=True))
    print(report.summary())
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=1, ensure_ascii=False), encoding="utf-8")
    return 0 if not report.failures and report.kills == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
