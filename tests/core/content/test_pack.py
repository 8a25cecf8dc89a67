"""Content packs (issue 22): made and signed at the office, checked whole on a laptop and
switched to atomically; a tampered pack, one from another key, an older one, an unsigned
one and one cut short are each refused with the content unchanged; and a SIGKILL at any
step of the switch leaves the old content or the new, never a mix."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from co_app.core.content.pack import PackError, content_files, make_pack, tree_hashes
from co_app.core.content.store import STOP_AT_ENV, STOP_FILE_ENV, ContentStore, shipped

REPO = Path(__file__).resolve().parents[3]
OFFICE = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
STRANGER = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
OFFICE_SIGN = OFFICE.public_key().public_bytes_raw()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The office's working copy of the content, with its own film manifest."""
    base = shipped()
    target = tmp_path / "office-content"
    shutil.copytree(base.root, target, ignore=shutil.ignore_patterns("SCHEMA.md"))
    shutil.copy(base.films, target / "films.toml")
    return target


def pack(folder: Path, out: Path, version: int, key: Ed25519PrivateKey = OFFICE, note: str = "") -> Path:
    make_pack(folder, out, key, signer_name="Office", signer_fingerprint="AAAA", version=version, note=note)
    return out


def state(root: Path) -> tuple[int, dict[str, str]]:
    """The content a laptop uses: its version and every file's hash."""
    active = ContentStore(root).active()
    return active.version, tree_hashes(content_files(active.root, active.films))


def edit_town(folder: Path, text: str) -> None:
    path = folder / "towns" / "jena" / "en.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('name = "Jena"', f'name = "{text}"'), encoding="utf-8")


def rewrite(src: Path, out: Path, change) -> Path:
    """A copy of the pack with ``change(name, data) -> data | None`` applied to each entry."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            data = change(name, zin.read(name))
            if data is not None:
                zout.writestr(name, data)
    return out


def test_a_good_pack_switches_and_rolls_back(folder: Path, tmp_path: Path) -> None:
    data = tmp_path / "laptop"
    shipped_state = state(data)
    edit_town(folder, "Jena an der Saale")
    good = pack(folder, tmp_path / "v2.copack", 2, note="Jena's new bus line")
    result = ContentStore(data).install(good, OFFICE_SIGN, "Office")
    assert (result.before.version, result.after.version) == (1, 2)
    assert result.after.from_pack and result.after.note == "Jena's new bus line" and result.after.previous == 1
    assert "town jena changed: en" in result.changes
    version, files = state(data)
    assert version == 2 and files == tree_hashes(content_files(folder))
    from co_app.core.content.library import load_content

    assert load_content(ContentStore(data).active().root).town("jena").name == "Jena an der Saale"
    back = ContentStore(data).rollback()
    assert back.after.version == 1 and not back.after.from_pack and state(data) == shipped_state
    with pytest.raises(PackError, match="no earlier content"):
        ContentStore(data).rollback()
    assert [p.name for p in (data / "content" / "versions").iterdir()] == []


def test_each_bad_pack_is_refused_with_the_content_unchanged(folder: Path, tmp_path: Path) -> None:
    data = tmp_path / "laptop"
    ContentStore(data).install(pack(folder, tmp_path / "v3.copack", 3), OFFICE_SIGN, "Office")
    before = state(data)
    pointer = (data / "content" / "current.json").read_bytes()
    edit_town(folder, "Jena (tampered)")
    good = pack(folder, tmp_path / "v4.copack", 4)
    raw = good.read_bytes()
    town = "files/towns/jena/en.toml"
    bad = {
        "a file changed after signing": (rewrite(good, tmp_path / "t1.copack", lambda n, d: d.replace(
            b"Jena (tampered)", b"Jena (changed!)") if n == town else d), "changed after the office signed it"),
        "an extra file": (rewrite(good, tmp_path / "t2.copack", lambda n, d: d), None),
        "the manifest changed": (rewrite(good, tmp_path / "t3.copack", lambda n, d: d.replace(
            b'"version": 4', b'"version": 5') if n == "pack.json" else d), "signature does not match"),
        "a file left out": (rewrite(good, tmp_path / "t4.copack", lambda n, d: None if n == town else d),
                            "missing file towns/jena/en.toml"),
        "another key": (pack(folder, tmp_path / "k.copack", 5, key=STRANGER), "signed by another key"),
        "unsigned": (rewrite(good, tmp_path / "u.copack", lambda n, d: None if n == "pack.sig" else d),
                     "is not signed"),
        "older": (pack(folder, tmp_path / "v2.copack", 2), "older than the version 3"),
        "the same version": (pack(folder, tmp_path / "v3b.copack", 3), "already uses"),
        "not a pack": (tmp_path / "x.copack", "cut short or damaged"),
    }
    (tmp_path / "x.copack").write_text("hello", encoding="utf-8")
    with zipfile.ZipFile(bad["an extra file"][0], "a") as zf:
        zf.writestr("files/towns/jena/notes.txt", "not signed")
    bad["an extra file"] = (bad["an extra file"][0], "unlisted file towns/jena/notes.txt")
    for length in (len(raw) // 2, len(raw) - 1, len(raw) - 200, 100, 0):
        cut = tmp_path / f"cut-{length}.copack"
        cut.write_bytes(raw[:length])
        bad[f"cut short at {length} bytes"] = (cut, "cut short or damaged")
    for why, (path, sentence) in bad.items():
        with pytest.raises(PackError) as refusal:
            ContentStore(data).install(path, OFFICE_SIGN, "Office")
        assert sentence in str(refusal.value) and str(path) in str(refusal.value), why
        assert state(data) == before, why
        assert (data / "content" / "current.json").read_bytes() == pointer, why
    assert ContentStore(data).install(good, OFFICE_SIGN, "Office").after.version == 4


def test_a_pack_that_fails_the_content_check_is_refused(folder: Path, tmp_path: Path) -> None:
    data = tmp_path / "laptop"
    before = state(data)
    path = folder / "modules" / "housing" / "en.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("minutes = ", "minutes = -", 1), encoding="utf-8")
    with pytest.raises(PackError, match="does not pass the content check"):
        ContentStore(data).install(pack(folder, tmp_path / "v2.copack", 2), OFFICE_SIGN, "Office")
    assert state(data) == before
    assert [p.name for p in (data / "content" / "versions").iterdir()] == []


CHILD = """
import sys
from pathlib import Path
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from co_app.core.content.store import ContentStore
key = Ed25519PrivateKey.from_private_bytes(bytes(range(32))).public_key().public_bytes_raw()
ContentStore(Path(sys.argv[1])).install(Path(sys.argv[2]), key, "Office")
print("installed")
"""


def _child(data: Path, pack_file: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(data), str(pack_file)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.parametrize("step,switched", [("extracted", False), ("renamed", False), ("pointer-written", False),
                                           ("switched", True)])
def test_a_sigkill_during_the_switch_leaves_the_old_or_the_new_content(folder: Path, tmp_path: Path, step: str,
                                                                      switched: bool) -> None:
    data = tmp_path / "laptop"
    ContentStore(data).install(pack(folder, tmp_path / "v2.copack", 2), OFFICE_SIGN, "Office")
    old = state(data)
    edit_town(folder, "Jena v3")
    new_pack = pack(folder, tmp_path / "v3.copack", 3)
    marker = tmp_path / "stopped"
    env = dict(os.environ, **{STOP_AT_ENV: step, STOP_FILE_ENV: str(marker)})
    child = _child(data, new_pack, env)
    while not marker.exists():  # the child writes it when it reaches the step, then waits
        assert child.poll() is None, child.stderr.read().decode()
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait()
    after = state(data)
    assert after[0] == (3 if switched else 2)
    assert after[1] == (tree_hashes(content_files(folder)) if switched else old[1])
    # The next import finishes the job and clears what the killed one left.
    if not switched:
        assert ContentStore(data).install(new_pack, OFFICE_SIGN, "Office").after.version == 3
    assert state(data)[1] == tree_hashes(content_files(folder))
    left = sorted(p.name for p in (data / "content" / "versions").iterdir())
    assert len(left) == 2 and not any(name.startswith(".") for name in left)
    assert json.loads((data / "content" / "current.json").read_text())["active"] in left


def test_sigkills_at_random_moments_never_mix_two_versions(folder: Path, tmp_path: Path) -> None:
    """Kills with no stopping point, at growing delays over the whole import."""
    data = tmp_path / "laptop"
    ContentStore(data).install(pack(folder, tmp_path / "v2.copack", 2), OFFICE_SIGN, "Office")
    versions = {2: state(data)[1]}
    for version, delay in enumerate((0.15, 0.3, 0.45, 0.6, 0.75, 0.9, 1.2), start=3):
        edit_town(folder, f"Jena v{version}")
        new_pack = pack(folder, tmp_path / f"v{version}.copack", version)
        versions[version] = tree_hashes(content_files(folder))
        child = _child(data, new_pack, dict(os.environ))
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        number, files = state(data)
        assert files == versions[number], f"version {number} after a kill at {delay} s is not whole"
        if number != version:
            assert ContentStore(data).install(new_pack, OFFICE_SIGN, "Office").after.version == version
    assert state(data)[0] == 9


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CO_APP_")}
    return subprocess.run([sys.executable, "main.py", *args], cwd=REPO, env=environ, capture_output=True,
                          text=True, timeout=120)


def test_the_office_packs_and_an_enrolled_laptop_imports_on_the_command_line(folder: Path, tmp_path: Path) -> None:
    hub, key_file, laptop = tmp_path / "hub.sqlite3", tmp_path / "office.key", tmp_path / "laptop"
    out = tmp_path / "update.copack"
    result = _cli("--data-dir", str(laptop), "content", "pack", "--from", str(folder), "--out", str(out))
    assert result.returncode == 2 and "Only the office signs content packs" in result.stderr and not out.exists()
    assert _cli("--data-dir", str(tmp_path / "office"), "sync", "office-key", "--db", str(hub), "--out",
                str(key_file)).returncode == 0
    edit_town(folder, "Jena an der Saale")
    result = _cli("--data-dir", str(tmp_path / "office"), "content", "pack", "--db", str(hub), "--from", str(folder),
                  "--out", str(out), "--note", "Jena's name", "--json")
    assert result.returncode == 0, result.stderr
    made = json.loads(result.stdout)
    assert made["version"] == 2 and "town jena changed: en" in made["changes"]
    assert 'version = 2' in (folder / "version.toml").read_text(encoding="utf-8")  # the next pack is 3
    result = _cli("--data-dir", str(laptop), "content", "import", str(out))
    assert result.returncode == 2 and "not enrolled with an office" in result.stderr
    assert _cli("--data-dir", str(laptop), "sync", "enrol", str(key_file)).returncode == 0
    result = _cli("--data-dir", str(laptop), "content", "import", str(out))
    assert result.returncode == 0 and "Now using content version 2" in result.stdout, result.stderr
    assert "town jena changed: en" in result.stdout
    status = json.loads(_cli("--data-dir", str(laptop), "content", "status", "--json").stdout)
    assert status["version"] == 2 and status["from_pack"] and status["rollback_to"] == 1
    result = _cli("--data-dir", str(laptop), "content", "import", str(out))
    assert result.returncode == 1 and "already uses" in result.stderr and "Traceback" not in result.stderr
    result = _cli("--data-dir", str(laptop), "content", "rollback")
    assert result.returncode == 0 and "Back to content version 1" in result.stdout
    from co_app.core.db.plain import connect

    with connect(laptop / "co_app.sqlite3") as conn:
        actions = [row[0] for row in conn.execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions[-2:] == ["content_import", "content_rollback"]


def test_the_application_starts_with_the_imported_content(folder: Path, tmp_path: Path) -> None:
    """A laptop restarted after an import reads the pack's towns, modules and film moments."""
    from co_app.core.bootstrap import bootstrap
    from co_app.core.foundation import i18n

    data = tmp_path / "laptop"
    edit_town(folder, "Jena an der Saale")
    films = folder / "films.toml"
    films.write_text(films.read_text(encoding="utf-8").replace('title = "The town introduces itself"',
                                                                'title = "Jena introduces itself"', 1),
                     encoding="utf-8")
    ContentStore(data).install(pack(folder, tmp_path / "v2.copack", 2), OFFICE_SIGN, "Office")
    services = bootstrap(data, language="en")
    try:
        assert services.active_content.version == 2 and services.active_content.from_pack
        assert services.content.town("jena").name == "Jena an der Saale"
        assert services.manifest_path == ContentStore(data).active().films
        assert services.manifest.films[0].moments[0].title == "Jena introduces itself"
    finally:
        services.close()
        i18n.set_language("en")
