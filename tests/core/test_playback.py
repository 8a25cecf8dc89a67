from pathlib import Path

from co_app.core.db.engine import open_database
from co_app.core.playback import save_position, saved_position


def test_position_survives_reopening_and_ends_start_over(tmp_path: Path) -> None:
    db = open_database(tmp_path / "co.sqlite3")
    with db.session() as s:
        assert saved_position(s, "germany-jena") == 0
        assert save_position(s, "germany-jena", 65_000, 300_000) == 65_000
    db.dispose()
    db = open_database(tmp_path / "co.sqlite3")
    with db.session() as s:
        assert saved_position(s, "germany-jena") == 65_000
        # Near the end (or the very start) the next viewing starts from the beginning.
        assert save_position(s, "germany-jena", 297_000, 300_000) == 0
        assert saved_position(s, "germany-jena") == 0
        assert save_position(s, "italy-biella", 2_000, 300_000) == 0
    db.dispose()
