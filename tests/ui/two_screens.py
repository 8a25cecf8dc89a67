"""Two real monitors for the projector tests: an X server with a laptop screen and a
projector whose cable can be pulled out and plugged in again.

Xvfb gives Qt a single screen.  Xorg with the "dummy" video driver has outputs DUMMY0,
DUMMY1, … that RandR switches on and off, and Qt sees each as a QScreen (screenAdded and
screenRemoved fire as with a real cable).  ``TwoScreens`` starts such a server on a free
display: the laptop 1280×800 (DUMMY0, primary), the projector 1024×768 to its right
(DUMMY1); ``unplug()`` and ``plug()`` use xrandr; ``stop()`` ends the server.

Debian packages: xserver-xorg-core, xserver-xorg-video-dummy, x11-xserver-utils (dev.py's
TEST_PACKAGES).  Xorg reads a configuration file from any path only when run as root, as
the suite runs in CI and in the development container.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

CONFIG = """\
Section "Device"
  Identifier "dummy"
  Driver "dummy"
  VideoRam 256000
EndSection
Section "Screen"
  Identifier "screen"
  Device "dummy"
  DefaultDepth 24
  SubSection "Display"
    Depth 24
    Virtual 2400 1000
  EndSubSection
EndSection
"""
LAPTOP = (1280, 800)
PROJECTOR = (1024, 768)
#: A 1280×800 mode the dummy driver does not list by itself (cvt 1280 800 60).
LAPTOP_MODE = ["1280x800_60", "83.50", "1280", "1352", "1480", "1680", "800", "803", "809", "831",
               "-hsync", "+vsync"]


def free_display(first: int = 60) -> int:
    for number in range(first, first + 200):
        if not Path(f"/tmp/.X{number}-lock").exists() and not Path(f"/tmp/.X11-unix/X{number}").exists():
            return number
    raise RuntimeError("no free X display number between :60 and :259")


def missing_programs() -> list[str]:
    found = [name for name in ("Xorg", "xrandr") if shutil.which(name) is None]
    if not Path("/usr/lib/xorg/modules/drivers/dummy_drv.so").exists():
        found.append("the dummy video driver (xserver-xorg-video-dummy)")
    return found


class TwoScreens:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.number = 0
        self.process: subprocess.Popen | None = None

    @classmethod
    def attach(cls, display: str, folder: Path) -> "TwoScreens":
        """The server another process started (the projector cases run in a child pytest)."""
        screens = cls(folder)
        screens.number = int(display.lstrip(":"))
        return screens

    @property
    def display(self) -> str:
        return f":{self.number}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ, DISPLAY=self.display, QT_QPA_PLATFORM="xcb")
        env.pop("WAYLAND_DISPLAY", None)
        return env

    def xrandr(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(["xrandr", *args], env=self.env(), capture_output=True, text=True, timeout=30)
        if check and done.returncode != 0:
            raise RuntimeError(f"xrandr {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def start(self) -> "TwoScreens":
        missing = missing_programs()
        if missing:
            raise RuntimeError("the two-screen tests need " + ", ".join(missing) + " (python3 dev.py setup)")
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "xorg.conf"
        config.write_text(CONFIG)
        for _attempt in range(3):  # another process may take the same free number at once
            self.number = free_display()
            self.process = subprocess.Popen(
                ["Xorg", self.display, "-noreset", "-nolisten", "tcp", "-config", str(config),
                 "-logfile", str(self.folder / f"xorg{self.number}.log")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if self._wait_ready():
                break
            self.stop()
        else:
            raise RuntimeError(f"Xorg with the dummy driver did not start; see {self.folder}")
        self.xrandr("--newmode", *LAPTOP_MODE, check=False)
        self.xrandr("--addmode", "DUMMY0", LAPTOP_MODE[0], check=False)
        self.xrandr("--output", "DUMMY0", "--mode", LAPTOP_MODE[0], "--primary")
        self.xrandr("--addmode", "DUMMY1", "1024x768", check=False)
        self.plug()
        return self

    def _wait_ready(self) -> bool:
        for _ in range(80):
            if self.process is None or self.process.poll() is not None:
                return False
            if subprocess.run(["xrandr"], env=self.env(), capture_output=True, timeout=10).returncode == 0:
                return True
            time.sleep(0.25)
        return False

    def unplug(self) -> None:
        """The projector's cable is pulled."""
        self.xrandr("--output", "DUMMY1", "--off")

    def plug(self) -> None:
        """Plugged in again, to the right of the laptop."""
        self.xrandr("--output", "DUMMY1", "--mode", "1024x768", "--right-of", "DUMMY0")

    def shot(self, out: Path) -> None:
        """Both monitors side by side, as a PNG (ffmpeg's x11grab)."""
        size = self.xrandr().split("current ", 1)[1].split(",", 1)[0].replace(" ", "")
        subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "x11grab", "-video_size", size,
                        "-i", self.display, "-frames:v", "1", str(out)], env=self.env(), check=True, timeout=60)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
