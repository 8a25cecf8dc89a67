"""`report` prints its title in --lang's language (issue 20): "Report, all dates" was
English on an Arabic screen."""

from __future__ import annotations

import json
from pathlib import Path

from tests.system.test_cli import run


def test_the_reports_title_is_arabic_and_tigrinya(tmp_path: Path) -> None:
    for lang, title in (("ar", "التقرير، كل التواريخ"), ("ti", "ጸብጻብ፣ ኩሉ ዕለታት")):
        done = run("--lang", lang, "--data-dir", str(tmp_path / "data"), "report")
        assert done.returncode == 0, done.stderr
        first = done.stdout.splitlines()[0]
        assert first.strip("\u2068\u2069\u200f") == title and "Report" not in done.stdout, first


def test_over_all_dates_the_report_names_the_period_its_sessions_cover(tmp_path: Path) -> None:
    """The officer copying a report needs its dates: 'all dates' alone said nothing of them."""
    from datetime import date

    from co_app.core.foundation.i18n import format_date

    data = str(tmp_path / "data")
    assert run("--data-dir", data, "demo", "seed").returncode == 0
    figures = json.loads(run("--data-dir", data, "report", "--json").stdout)
    first, last = (date.fromisoformat(figures[key]) for key in ("first_date", "last_date"))
    title = run("--data-dir", data, "report").stdout.splitlines()[0]
    assert title == f"Report, All dates: {format_date(first, 'medium', 'en')} – {format_date(last, 'medium', 'en')}"
