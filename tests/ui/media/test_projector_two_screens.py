"""The projector on two real monitors, in the suite (issue 20): Xorg with the dummy driver
gives a laptop screen and a projector whose cable is pulled and plugged again
(tests/ui/two_screens.py).  A process's QApplication stays on the display it started on —
this run's is Xvfb's single screen — so the cases (two_screen_cases.py) run in a child
pytest on the two-monitor display; any failure there fails this test, with its output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.ui.two_screens import TwoScreens

REPO = Path(__file__).resolve().parents[3]
CASES = Path(__file__).with_name("two_screen_cases.py")


def test_the_projector_cases_pass_on_two_real_monitors(tmp_path: Path) -> None:
    screens = TwoScreens(tmp_path / "xorg").start()
    try:
        env = screens.env()
        env["CO_TWO_SCREENS"] = screens.display
        shots = os.environ.get("CO_TWO_SCREENS_SHOTS")
        if shots:
            env["CO_TWO_SCREENS_SHOTS"] = shots
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--basetemp", str(tmp_path / "cases"),
             str(CASES)], cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    finally:
        screens.stop()
    lines = [line for line in (done.stdout + done.stderr).splitlines()
             if "libvlc" not in line and not line.startswith("ALSA")]  # libVLC's chatter about sound
    report = "\n".join(lines)[-8000:]
    assert done.returncode == 0, report
    assert "4 passed" in done.stdout, report
