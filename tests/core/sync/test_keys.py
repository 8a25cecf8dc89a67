"""Keys instead of shared passphrases: laptops seal their packages for the office and sign
them; the office refuses what an enrolled laptop did not write, and nobody else can read
a package (co_app/core/sync/keys.py, keyed.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from co_app.core.db.models import Participant, SyncPeer
from co_app.core.sync.container import PackageError
from co_app.core.sync.keys import read_key_file
from co_app.core.sync.package import export_package
from co_app.core.sync.reader import UnknownSenderError
from co_app.core.sync.service import import_package
from tests.core.sync_helpers import PASSPHRASE, enrol, laptop, office, populate, snapshot


def export(db, path: Path, **kwargs) -> Path:
    export_package(db.engine, db.device_id, path, passphrase=kwargs.pop("passphrase", None), **kwargs)
    return path


def test_a_laptop_seals_for_its_office_which_enrols_it_after_the_fingerprint(tmp_path: Path) -> None:
    hub, a = office(tmp_path), laptop(tmp_path, "a")
    enrol(hub, a)
    populate(a)
    package = export(a, tmp_path / "a.cosync")
    assert b"Haddad" not in package.read_bytes() and b"Amman" not in package.read_bytes()

    with pytest.raises(UnknownSenderError) as refused:  # not enrolled yet: the officer is asked
        import_package(hub.engine, package, None)
    assert "has not enrolled" in str(refused.value) and refused.value.sender.fingerprint in str(refused.value)
    assert snapshot(hub)["participants"] == {}

    report = import_package(hub.engine, package, None, trust_new=True)
    assert report.inserted == 25 and snapshot(hub) == snapshot(a)
    with hub.session() as s:
        assert s.get(SyncPeer, a.device_id).sign_key is not None
    # Enrolled now: its next package needs no question.
    with a.session() as s, s.begin():
        s.query(Participant).first().family_name = "Haddad-Karimi"
    assert import_package(hub.engine, export(a, tmp_path / "a2.cosync"), None).updated == 1


def test_the_office_key_file_names_the_office_and_its_fingerprint(tmp_path: Path) -> None:
    hub = office(tmp_path)
    enrol(hub)
    keys = read_key_file(tmp_path / "hub" / "office.key")
    assert keys.role == "office" and keys.name == "Office" and len(keys.fingerprint.split()) == 8
    (tmp_path / "bad.key").write_text('{"format": "something else"}')
    with pytest.raises(PackageError, match="is not an office key file"):
        read_key_file(tmp_path / "bad.key")


def test_a_laptop_cannot_read_another_laptops_package(tmp_path: Path) -> None:
    hub, a, b = office(tmp_path), laptop(tmp_path, "a"), laptop(tmp_path, "b")
    enrol(hub, a, b)
    populate(a)
    with pytest.raises(PackageError, match="not by this laptop's office"):
        import_package(b.engine, export(a, tmp_path / "a.cosync"), None)
    assert snapshot(b)["participants"] == {}


def test_the_office_refuses_passphrase_and_plain_packages(tmp_path: Path) -> None:
    hub, a = office(tmp_path), laptop(tmp_path, "a")
    populate(a)
    handover = export(a, tmp_path / "handover.cosync", passphrase=PASSPHRASE)
    with pytest.raises(PackageError, match="locked with a passphrase"):
        import_package(hub.engine, handover, PASSPHRASE)
    plain = tmp_path / "plain.cosync"  # a hand-made zip, as a forger would write one
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("manifest.json", "{}")
    with pytest.raises(PackageError, match="not encrypted"):
        import_package(hub.engine, plain, None)
    with pytest.raises(PackageError, match="not encrypted"):
        import_package(a.engine, plain, None)  # a laptop refuses it too


def test_a_package_altered_after_signing_or_signed_by_another_key_is_refused(tmp_path: Path) -> None:
    hub, a, impostor = office(tmp_path), laptop(tmp_path, "a"), laptop(tmp_path, "impostor")
    enrol(hub, a, impostor)
    populate(a)
    good = export(a, tmp_path / "a.cosync")
    import_package(hub.engine, good, None, trust_new=True)
    altered = tmp_path / "altered.cosync"
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0x01
    altered.write_bytes(bytes(data))
    with pytest.raises(PackageError, match="signature is not that of"):
        import_package(hub.engine, altered, None)
    # Another laptop's key under laptop A's device id: refused, the enrolled key decides.
    from co_app.core.db.glance import DEVICE_ID_KEY
    from co_app.core.db.versions import set_meta

    with impostor.engine.begin() as conn:
        set_meta(conn, DEVICE_ID_KEY, a.device_id)
    forged = tmp_path / "forged.cosync"
    export_package(impostor.engine, a.device_id, forged, passphrase=None)
    with pytest.raises(PackageError, match="carries another key than the one enrolled"):
        import_package(hub.engine, forged, None)


def test_the_office_seals_for_every_enrolled_laptop_and_a_laptop_checks_its_office(tmp_path: Path) -> None:
    hub, other_hub, a, b = office(tmp_path), office(tmp_path, "other-hub"), laptop(tmp_path, "a"), laptop(tmp_path, "b")
    enrol(hub, a, b)
    populate(a)
    import_package(hub.engine, export(a, tmp_path / "a.cosync"), None, trust_new=True)
    import_package(hub.engine, export(b, tmp_path / "b.cosync"), None, trust_new=True)
    back = export(hub, tmp_path / "hub.cosync")
    assert import_package(b.engine, back, None).inserted == 25
    assert snapshot(b) == snapshot(hub)
    # A package from an office this laptop is not enrolled with is refused.
    c = laptop(tmp_path, "c")
    enrol(other_hub, c)
    import_package(other_hub.engine, export(c, tmp_path / "c.cosync"), None, trust_new=True)
    with pytest.raises(PackageError, match="not by this laptop's office"):
        import_package(a.engine, export(other_hub, tmp_path / "other.cosync"), None)


def test_a_laptop_not_enrolled_says_how_to_enrol(tmp_path: Path) -> None:
    a = laptop(tmp_path, "a")
    populate(a)
    with pytest.raises(PackageError, match="not enrolled with an office yet.*sync enrol FILE"):
        export(a, tmp_path / "a.cosync")
    assert not (tmp_path / "a.cosync").exists()


def test_a_laptop_is_not_moved_to_another_office_by_mistake(tmp_path: Path) -> None:
    from co_app.core.sync.keys import enrol_with_office, enrolled_office, write_office_key

    amman, irbid, a = office(tmp_path, "amman"), office(tmp_path, "irbid"), laptop(tmp_path, "a")
    with amman.engine.begin() as conn:
        write_office_key(conn, tmp_path / "amman.key")
    with irbid.engine.begin() as conn:
        write_office_key(conn, tmp_path / "irbid.key")
    with a.engine.begin() as conn:
        enrol_with_office(conn, tmp_path / "amman.key")
        enrol_with_office(conn, tmp_path / "amman.key")  # the same office again: fine
        with pytest.raises(PackageError, match="already enrolled|is enrolled with .*--replace"):
            enrol_with_office(conn, tmp_path / "irbid.key")
    with a.engine.begin() as conn:
        assert enrolled_office(conn).device_id == amman.device_id
        enrol_with_office(conn, tmp_path / "irbid.key", replace=True)
        assert enrolled_office(conn).device_id == irbid.device_id


def test_a_mistyped_hub_path_is_not_made_into_a_second_office(tmp_path: Path) -> None:
    from co_app.core.foundation.errors import DatabaseError
    from co_app.core.sync.hub import open_target

    with pytest.raises(DatabaseError, match="There is no office hub at"):
        open_target(str(tmp_path / "hubb.sqlite3"))
    assert not (tmp_path / "hubb.sqlite3").exists()
    open_target(str(tmp_path / "hub.sqlite3"), create=True).dispose()
    open_target(str(tmp_path / "hub.sqlite3")).dispose()  # there now
