from pathlib import Path

from co_app.core.db.engine import open_database
from co_app.core.db.plain import connect
from co_app.core.media.playback import save_position, saved_position


def test_position_survives_reopening_and_ends_start_over(tmp_path: Path) -> None:
    path = tmp_path / "co.sqlite3"
    open_database(path).dispose()
    with connect(path) as conn:
        assert saved_position(conn, "germany-jena") == 0
        assert save_position(conn, "germany-jena", 65_000, 300_000) == 65_000
    with connect(path) as conn:
        assert saved_position(conn, "germany-jena") == 65_000
        # Near the end (or the very start) the next viewing starts from the beginning.
        assert save_position(conn, "germany-jena", 297_000, 300_000) == 0
        assert saved_position(conn, "germany-jena") == 0
        assert save_position(conn, "italy-biella", 2_000, 300_000) == 0
    # The ORM reads what sqlite3 wrote (the same column formats).
    db = open_database(path)
    from co_app.core.db.models import PlaybackPosition

    with db.session() as s:
        row = s.get(PlaybackPosition, "germany-jena")
        assert row is not None and row.position_ms == 0 and row.updated_at.tzinfo is not None
    db.dispose()
