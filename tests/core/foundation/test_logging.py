"""The log: rotating, owner-only, and free of the values a failed statement would print."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from co_app.core.db.engine import open_database
from co_app.core.db.models import Participant
from co_app.core.foundation.logs import LOG_FILE, RotatingFile, ScrubFilter, setup_logging


@pytest.fixture
def restore_root_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_the_log_rotates_while_the_application_runs(tmp_path: Path) -> None:
    path = tmp_path / LOG_FILE
    handler = RotatingFile(path, max_bytes=2_000, backups=3)
    logger = logging.getLogger("test.rotation")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for n in range(200):
            logger.warning("line %d %s", n, "x" * 40)
    finally:
        logger.removeHandler(handler)
        handler.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [LOG_FILE, f"{LOG_FILE}.1", f"{LOG_FILE}.2", f"{LOG_FILE}.3"]
    assert all(stat.S_IMODE((tmp_path / f).stat().st_mode) == 0o600 for f in files)
    assert all((tmp_path / f).stat().st_size <= 2_000 + 100 for f in files)
    assert "line 199" in path.read_text("utf-8")


def test_a_failed_statement_does_not_put_names_into_the_log(tmp_path: Path, restore_root_logging) -> None:
    log_path = setup_logging(tmp_path)
    db = open_database(tmp_path / "co.sqlite3")
    with db.session() as s:
        s.add(Participant(id="same-id", given_name="Habiba", family_name="Warsame", case_number="SO-991"))
        s.commit()
        s.add(Participant(id="same-id", given_name="Habiba", family_name="Warsame", case_number="SO-991"))
        with pytest.raises(IntegrityError) as caught:
            s.commit()
        assert "Habiba" in str(caught.value)  # SQLAlchemy's message holds the values …
        logging.getLogger("co_app.test").exception("saving failed: %s", caught.value)
    db.dispose()
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_path.read_text("utf-8")
    assert "saving failed" in text and "UNIQUE constraint failed" in text and "[parameters hidden]" in text
    assert not any(value in text for value in ("Habiba", "Warsame", "SO-991"))  # … the log does not


def test_the_filter_leaves_ordinary_messages_alone() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "opened %s", ("co_app.sqlite3",), None)
    assert ScrubFilter().filter(record) and record.getMessage() == "opened co_app.sqlite3"
