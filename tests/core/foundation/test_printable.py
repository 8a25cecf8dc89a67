"""Names from files, printed or logged: one line of plain text, whatever the name holds."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from co_app.core.foundation.logs import LOG_FILE, setup_logging
from co_app.core.foundation.printable import printable

REPO = Path(__file__).resolve().parents[3]
HOSTILE = "roster\n\x1b[31mred\r\t\x07\x9b2J\u202egnp.exe\u2028end"


def test_controls_escape_codes_and_direction_overrides_become_visible_escapes() -> None:
    assert printable(HOSTILE) == "roster\\n\\x1b[31mred\\r\\t\\x07\\x9b2J\\u202egnp.exe\\u2028end"
    assert printable(Path("/tmp/a\nb.csv")) == "/tmp/a\\nb.csv"
    # What is only text stays as it is: Arabic, Ge'ez, accents, Windows paths.
    for text in ("جدول الحضور.csv", "ዝርዝር.xlsx", "Liste d'été.csv", "C:\\Users\\x\\roster.csv"):
        assert printable(text) == text
    # A name whose bytes are not UTF-8 (Python keeps them as lone surrogates): printable, not a crash.
    odd = os.fsdecode(b"caf\xe9.csv")
    assert printable(odd) == "caf\\udce9.csv"
    printable(odd).encode("utf-8")
    assert printable("a\nb\x1b", keep_newlines=True) == "a\nb\\x1b"


def test_a_logged_name_cannot_forge_a_line_or_colour_the_log(tmp_path: Path) -> None:
    path = setup_logging(tmp_path)
    try:
        logging.getLogger("co_app.test").warning("cannot read %s: %s", Path("/m/x\n2026-01-01 ERROR forged"),
                                                 ValueError("bad\x1b[2J"))
    finally:
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "_co_app", False):
                logging.getLogger().removeHandler(handler)
                handler.close()
    assert path.name == LOG_FILE
    lines = path.read_text("utf-8").splitlines()
    mine = [line for line in lines if "co_app.test" in line]
    assert len(mine) == 1 and "x\\n2026-01-01 ERROR forged" in mine[0] and "bad\\x1b[2J" in mine[0]
    assert not any(line.startswith("2026-01-01 ERROR forged") for line in lines)


def test_media_import_prints_a_hostile_file_name_escaped(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "germany-jena\n\x1b[31mevil.mp4").write_bytes(b"x")
    result = subprocess.run([sys.executable, str(REPO / "main.py"), "--data-dir", str(tmp_path / "data"),
                             "media", "import", str(pack)], capture_output=True, text=True, timeout=120)
    assert "Ignored (no film of that name): germany-jena\\n\\x1b[31mevil.mp4" in result.stdout
    assert "\x1b" not in result.stdout + result.stderr
