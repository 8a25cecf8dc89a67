"""`report` prints its title in --lang's language (issue 20): "Report, all dates" was
English on an Arabic screen."""

from __future__ import annotations

from pathlib import Path

from tests.system.test_cli import run


def test_the_reports_title_is_arabic_and_tigrinya(tmp_path: Path) -> None:
    for lang, title in (("ar", "التقرير، كل التواريخ"), ("ti", "ጸብጻብ፣ ኩሉ ዕለታት")):
        done = run("--lang", lang, "--data-dir", str(tmp_path / "data"), "report")
        assert done.returncode == 0, done.stderr
        first = done.stdout.splitlines()[0]
        assert first.strip("\u2068\u2069\u200f") == title and "Report" not in done.stdout, first
