from pathlib import Path

import pytest

from co_app.core.db.engine import open_database
from co_app.core.safety.pin import PinError, check_pin, pin_is_set, set_pin


def test_pin_is_stored_as_a_salted_hash_and_checked(tmp_path: Path) -> None:
    db = open_database(tmp_path / "co.sqlite3")
    with db.session() as s:
        assert not pin_is_set(s) and not check_pin(s, "1234")
        set_pin(s, "2468")
        assert pin_is_set(s)
        assert check_pin(s, "2468") and not check_pin(s, "2469") and not check_pin(s, "")
        from co_app.core.db.models import AppMeta

        stored = s.get(AppMeta, "facilitator_pin").value
        scheme, n, r, p, salt, digest = stored.split("$")  # only the hash and its salt are kept
        assert scheme == "scrypt" and int(n) >= 2**14 and len(bytes.fromhex(salt)) == 16
        assert len(bytes.fromhex(digest)) == 32
    with db.session() as s:
        with pytest.raises(PinError):
            set_pin(s, "12")
        with pytest.raises(PinError):
            set_pin(s, "abcd")
        set_pin(s, "13579")
        assert check_pin(s, "13579") and not check_pin(s, "2468")
    db.dispose()
