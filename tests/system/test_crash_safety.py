"""Crash safety, the short version of ``python -m tools.crash_harness`` (README, "Crash
safety"): real child processes running the real check-in panel, killed with a real SIGKILL,
and the real SQLite file checked afterwards — five kills over forty participants."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_confirmed_check_ins_survive_sigkill_and_the_database_stays_sound(tmp_path: Path) -> None:
    report_file = tmp_path / "report.json"
    env = dict(os.environ, XDG_RUNTIME_DIR=str(tmp_path / "xdg"))
    (tmp_path / "xdg").mkdir(mode=0o700)
    done = subprocess.run([sys.executable, "-m", "tools.crash_harness", "--runs", "5", "--participants", "40",
                           "--seed", "8", "--json", str(report_file), "--work-dir", str(tmp_path / "work")],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["failures"] == []
    assert report["kills"] == 5 and report["integrity_ok"] == 5
    # Check-ins were confirmed before the kills, and every one of them was found.
    assert report["confirmed_total"] > 0
    assert report["confirmed_verified"] == report["confirmed_total"]
    assert all(run["killed"] and run["integrity"] == "ok" for run in report["results"])
    # The kills landed in different places: not all at the same count of check-ins.
    assert len({run["confirmed"] for run in report["results"]}) > 1
