"""The office's window over a real hub: a SQLite hub file, and a database on the real
PostgreSQL server the suite starts (tests/core/sync/test_hub_postgres.py)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from co_app.core.bootstrap import bootstrap
from co_app.core.foundation import i18n
from tests.core.sync.test_hub_postgres import postgres  # noqa: F401 - the suite's PostgreSQL server
from tests.ui.office.office_data import fresh_postgres_database, make_stick, sqlite_hub


@pytest.fixture(params=["sqlite", "postgresql"])
def hub_url(request, tmp_path: Path) -> str:
    """An empty hub of each kind."""
    if request.param == "sqlite":
        return sqlite_hub(tmp_path)
    server = request.getfixturevalue("postgres")
    return fresh_postgres_database(server, f"office_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return sqlite_hub(tmp_path)


@pytest.fixture
def office_services(tmp_path: Path, locale_dir: Path):
    """``office_services(url)``: the window's services over that hub (as ``main.py --db URL``)."""
    made = []

    def make(url: str):
        data = tmp_path / "office-data"
        data.mkdir(exist_ok=True)
        svc = bootstrap(data, language="en", locale_dir=locale_dir, hub=url)
        made.append(svc)
        return svc

    yield make
    for svc in made:
        svc.close()
    i18n.set_language("en", locale_dir)


@pytest.fixture
def stick_for():
    """``stick_for(tmp_path, url)``: two laptops' sealed packages in a folder, enrolled with the hub."""
    return make_stick
