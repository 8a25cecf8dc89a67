"""Suite-wide rules, and the fixtures every part of the suite uses."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

LOCALES = Path(__file__).resolve().parents[1] / "co_app" / "data" / "locales"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--deep", action="store_true", default=False,
                     help="run the long versions of the randomised tests (sync chaos: more seeds, more steps)")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A skipped test is a hidden failure: CI must run them all, so a skip fails the run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == 0:
        reporter.write_line(f"FAILED: {len(skipped)} test(s) were skipped; every test must run here.", red=True)
        session.exitstatus = 1


@pytest.fixture(scope="session")
def locale_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's catalogs compiled afresh, so tests never use stale .mo files."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    out = tmp_path_factory.mktemp("locales")
    for po_path in LOCALES.glob("*/LC_MESSAGES/co_app.po"):
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=po_path.parts[-3])
        target = out / po_path.parts[-3] / "LC_MESSAGES"
        target.mkdir(parents=True)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        (target / "co_app.mo").write_bytes(buffer.getvalue())
    return out
