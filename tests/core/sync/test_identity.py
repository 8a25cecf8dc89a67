"""A data folder copied elsewhere, or a database restored from a backup, becomes a new
laptop: a new device id and new keys, the old id kept as its predecessor."""

from __future__ import annotations

import shutil
from pathlib import Path

from co_app.core.bootstrap import bootstrap
from co_app.core.db import identity
from co_app.core.db.engine import open_database
from co_app.core.db.models import Participant
from co_app.core.db.versions import dot_of
from co_app.core.sync.keys import own_keys
from tests.core.sync_helpers import laptop, populate


def _fingerprint(db) -> str:
    with db.engine.begin() as conn:
        return own_keys(conn).public.fingerprint


def test_opening_the_same_folder_again_keeps_the_identity(tmp_path: Path) -> None:
    a = laptop(tmp_path, "a")
    device, print_ = a.device_id, _fingerprint(a)
    a.dispose()
    again = open_database(tmp_path / "a" / "co_app.sqlite3")
    assert again.device_id == device and _fingerprint(again) == print_


def test_a_copied_folder_is_a_new_laptop_whose_old_records_stay_the_originals(tmp_path: Path) -> None:
    a = laptop(tmp_path, "a")
    with a.engine.begin() as conn:
        identity.set_name(conn, "Amman laptop 2")
    ids = populate(a)
    old_print = _fingerprint(a)
    a.dispose()
    shutil.copytree(tmp_path / "a", tmp_path / "usb-copy")

    copy = open_database(tmp_path / "usb-copy" / "co_app.sqlite3")

    assert copy.device_id != a.device_id
    with copy.engine.begin() as conn:
        assert identity.predecessors(conn) == [a.device_id]
        assert identity.device_name(conn) == "Amman laptop 2 (copy)"
    assert _fingerprint(copy) != old_print
    with copy.session() as s, s.begin():
        person = s.get(Participant, ids["participants"][0])
        assert dot_of(person.versions, "given_name")[0] == a.device_id  # made by the original
        person.given_name = "Amina (edited on the copy)"
    with copy.session() as s:
        assert dot_of(s.get(Participant, ids["participants"][0]).versions, "given_name")[:2] == [copy.device_id, 1]
    # The original, opened where it lives, is still itself.
    assert open_database(tmp_path / "a" / "co_app.sqlite3").device_id == a.device_id


def test_a_restored_backup_is_a_new_laptop(tmp_path: Path) -> None:
    services = bootstrap(tmp_path / "data")
    try:
        populate(services.db)
        before = services.db.device_id
        backup = services.backup_now("manual")
        services.restore_backup(backup)
        assert services.db.device_id != before
        with services.db.engine.begin() as conn:
            assert identity.predecessors(conn) == [before]
    finally:
        services.close()


def test_a_new_laptop_is_named_after_its_computer_until_someone_names_it(tmp_path: Path) -> None:
    import platform

    a = laptop(tmp_path, "a")
    with a.engine.begin() as conn:
        assert identity.device_name(conn) == " ".join(platform.node().split())
        identity.set_name(conn, "Amman laptop 2")
    a.dispose()
    with open_database(tmp_path / "a" / "co_app.sqlite3").engine.begin() as conn:
        assert identity.device_name(conn) == "Amman laptop 2"
