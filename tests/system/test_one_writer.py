"""One data folder, one writer: real processes on one data folder.

A second writer (a window, an import, a sync) is told at once who is writing, in one
sentence, and changes nothing; commands that only read still run beside the writer; and
an export whose audit entry meets a busy database keeps its file and says so as a warning.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from co_app.core.foundation.datalock import LOCK_NAME, read_holder
from tests.core.media.test_media_check import make_video
from tests.system.test_cli import REPO, run

FILM = "germany-jena"

#: A child that runs the real ``media import`` but stops before copying the film until
#: the file ``go`` exists (it writes ``copying`` first): an import caught in the middle.
PAUSED_IMPORT = """
import sys, time, pathlib
from co_app.core.media import importer
real = importer._copy
def paused(*args):
    pathlib.Path(sys.argv[3]).write_text("copying")
    while not pathlib.Path(sys.argv[4]).exists():
        time.sleep(0.05)
    return real(*args)
importer._copy = paused
from co_app.app import main
sys.exit(main(["--data-dir", sys.argv[1], "media", "import", sys.argv[2]]))
"""

#: A child that holds the lock as the window does, until it is killed.
WINDOW = """
import sys, pathlib
from co_app.core.foundation.datalock import WriterLock
WriterLock(pathlib.Path(sys.argv[1]), "the application window").acquire()
print("held", flush=True)
sys.stdin.read()
"""

#: A child that holds SQLite's write lock on the database (as a long sync import does).
WRITING = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO app_meta (key, value) VALUES ('busy-test', 'x')")
print("writing", flush=True)
sys.stdin.read()
conn.execute("ROLLBACK")
"""


def child(script: str, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CO_APP_PLAYER="fake")
    env.pop("CO_APP_HOME", None)
    return subprocess.Popen([sys.executable, "-c", script, *args], cwd=REPO, env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for(condition, what: str) -> None:
    for _ in range(1200):  # a minute at most: the child is starting Python
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"the child never got to: {what}")


def refusal(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    folder.mkdir()
    make_video(folder / f"{FILM}.mp4", seconds=2, lossless=True)
    return folder


def test_a_second_import_of_the_same_pack_is_told_at_once(tmp_path: Path, pack: Path) -> None:
    data = tmp_path / "data"
    copying, go = tmp_path / "copying", tmp_path / "go"
    first = child(PAUSED_IMPORT, str(data), str(pack), str(copying), str(go))
    try:
        wait_for(copying.exists, "copying the film")
        holder = read_holder(data)
        assert holder is not None and (holder.pid, holder.what) == (first.pid, "media import")
        second = run("--data-dir", str(data), "media", "import", str(pack), "--json")
        line = refusal(second)
        assert line == (f"error: The data folder {data} is in use by media import (process {first.pid}, since "
                        f"{holder.since.astimezone():%H:%M}): wait until it has finished, or close it, then try "
                        "again.")
        assert json.loads(second.stdout)["exit_status"] == 1  # a script gets its document too
        # Reading goes on beside the writer.
        listed = run("--data-dir", str(data), "media", "list", "--json")
        assert listed.returncode == 0, listed.stderr
        exported = run("--data-dir", str(data), "attendance", "export", "--format", "csv",
                       "--out", str(tmp_path / "attendance.csv"))
        assert exported.returncode == 0 and exported.stderr == "", exported.stderr
    finally:
        go.touch()
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert f"{FILM:<24} installed (present)" in out
    # The first import's copy was never disturbed: the film is whole and verified.
    verified = run("--data-dir", str(data), "media", "verify", "--json")
    jena = next(f for f in json.loads(verified.stdout)["films"] if f["id"] == FILM)
    assert jena["status"] == "present"
    assert not list((data / "media").glob(".*.part"))


def test_a_window_keeps_other_writers_out_until_it_is_gone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    window = child(WINDOW, str(data))
    try:
        assert window.stdout.readline() == "held\n"
        # A second window: one sentence, exit 1, before anything is opened.
        env = {"CO_APP_STARTUP_PROBE": "shown", "XDG_RUNTIME_DIR": str(tmp_path)}
        second = run("--data-dir", str(data), env=env)
        assert "co-app: main window shown" not in second.stdout
        assert f"is already open on the data folder {data} (process {window.pid})" in refusal(second)
        named = run("--data-dir", str(data), "sync", "name", "Amman laptop 2")
        assert "already open on the data folder" in refusal(named)
        # In Arabic and Tigrinya the whole sentence is theirs: no English "the application window".
        for lang in ("ar", "ti"):
            for args in ((), ("sync", "name", "Amman laptop 2")):
                said = refusal(run("--lang", lang, "--data-dir", str(data), *args, env=env))
                assert str(window.pid) in said and "application" not in said.replace(str(data), ""), said
        status = run("--data-dir", str(data), "sync", "status", "--json")  # reading is fine
        assert status.returncode == 0, status.stderr
        assert json.loads(status.stdout)["name"] != "Amman laptop 2"
    finally:
        window.send_signal(signal.SIGKILL)  # a crashed window leaves no lock behind
        window.wait(timeout=30)
    assert (data / LOCK_NAME).exists()
    named = run("--data-dir", str(data), "sync", "name", "Amman laptop 2")
    assert named.returncode == 0, named.stderr
    assert read_holder(data) is None  # a writer that has finished leaves no description behind


def test_an_export_keeps_its_file_when_the_audit_log_is_busy(tmp_path: Path) -> None:
    """A sync import in another process holds the database for longer than SQLite waits:
    the export's file is written and stays; the audit entry that could not be written is
    a warning on stderr, not a failure with SQL in it."""
    data = tmp_path / "data"
    seeded = run("--data-dir", str(data), "demo", "seed", "--sessions", "1")
    assert seeded.returncode == 0, seeded.stderr
    writer = child(WRITING, str(data / "co_app.sqlite3"))
    try:
        assert writer.stdout.readline() == "writing\n"
        target = tmp_path / "attendance.xlsx"
        exported = run("--data-dir", str(data), "attendance", "export", "--format", "xlsx", "--out", str(target),
                       "--json")
    finally:
        writer.stdin.close()
        writer.wait(timeout=30)
    assert exported.returncode == 0, exported.stderr
    doc = json.loads(exported.stdout)
    assert doc["warning"] == (f"{target} was written, but the audit log could not record it just now (the "
                              "database was busy or the disk full).")
    assert exported.stderr.strip() == f"warning: {doc['warning']}"
    assert "INSERT" not in exported.stderr + exported.stdout and target.stat().st_size > 0
    log = (data / "logs" / "co_app.log").read_text(encoding="utf-8")
    assert "the audit entry for attendance.xlsx was not written (OperationalError)" in log
