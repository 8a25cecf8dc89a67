"""`media list|verify|import` as a user runs them: real `python main.py` processes, a
fresh data folder each time, real videos made by ffmpeg."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from tests.system.test_cli import assert_one_line_error, run
from tests.core.media.test_media_check import cut, make_video


FILM = "germany-jena"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pack")
    film = make_video(folder / f"{FILM}.mp4", seconds=2)
    digest = hashlib.sha256(film.read_bytes()).hexdigest()
    (folder / "SHA256SUMS").write_text(f"{digest} *{film.name}\n", encoding="utf-8")
    (folder / f"{FILM}.ar.srt").write_bytes("1\n00:00:00,500 --> 00:00:01,500\nمرحبا\n".encode("cp1256"))
    (folder / "README.txt").write_text("not part of any film\n", encoding="utf-8")
    return folder


def no_traceback(result) -> None:
    assert "Traceback" not in result.stdout + result.stderr


def test_import_then_list_then_verify(tmp_path: Path, pack: Path) -> None:
    data = tmp_path / "data"
    imported = run("--data-dir", str(data), "media", "import", str(pack), "--json")
    no_traceback(imported)
    assert imported.returncode == 0, imported.stderr
    doc = json.loads(imported.stdout)
    assert doc["ok"] is True and doc["ignored"] == ["README.txt"]
    assert doc["checksum_file"] == str(pack / "SHA256SUMS")
    [film] = doc["films"]
    assert (film["id"], film["status"], film["action"]) == (FILM, "present", "installed")
    [sub] = film["subtitles"]
    assert (sub["language"], sub["encoding"], sub["cues"], sub["action"]) == ("ar", "cp1256", 1, "installed")
    assert f"{FILM}.mp4" in imported.stderr  # progress goes to stderr, never into the JSON

    listed = run("--data-dir", str(data), "media", "list", "--json")
    assert listed.returncode == 0
    films = {f["id"]: f for f in json.loads(listed.stdout)["films"]}
    assert films[FILM]["status"] == "present" and films[FILM]["subtitles"] == ["ar"]
    assert films["europe"]["status"] == "missing" and films["europe"]["hint"]

    verified = run("--data-dir", str(data), "media", "verify", "--json")
    no_traceback(verified)
    assert verified.returncode == 1  # seven films are still missing
    report = json.loads(verified.stdout)
    assert report["ok"] is False and len(report["films"]) == 8
    jena = next(f for f in report["films"] if f["id"] == FILM)
    assert jena["status"] == "present" and jena["problem"] is None
    assert jena["subtitles"] == [{"language": "ar", "file": f"{FILM}.ar.srt", "format": "srt",
                                  "encoding": "utf_8", "cues": 1, "problems": [], "error": None}]
    assert {f["status"] for f in report["films"] if f["id"] != FILM} == {"missing"}

    again = run("--data-dir", str(data), "media", "import", str(pack))
    assert again.returncode == 0
    assert "already verified, skipped" in again.stdout


def test_a_corrupt_film_exits_1_with_its_reason(tmp_path: Path, pack: Path) -> None:
    data = tmp_path / "data"
    media = data / "media"
    media.mkdir(parents=True)
    cut(pack / f"{FILM}.mp4", media / f"{FILM}.mp4", 0.6)
    listed = run("--data-dir", str(data), "media", "list")
    assert listed.returncode == 0
    assert "corrupt" in listed.stdout and "truncated" in listed.stdout

    verified = run("--data-dir", str(data), "media", "verify")
    no_traceback(verified)
    assert verified.returncode == 1
    line = next(ln for ln in verified.stdout.splitlines() if ln.startswith(FILM))
    assert "corrupt" in line
    assert "truncated" in verified.stdout and str(media / f"{FILM}.mp4") in verified.stdout


def test_a_pack_with_a_damaged_film_exits_1(tmp_path: Path, pack: Path) -> None:
    bad = tmp_path / "bad-pack"
    bad.mkdir()
    (bad / f"{FILM}.mp4").write_text("I am a text file\n", encoding="utf-8")
    result = run("--data-dir", str(tmp_path / "data"), "media", "import", str(bad), "--json")
    no_traceback(result)
    assert result.returncode == 1
    [film] = json.loads(result.stdout)["films"]
    assert film["action"].startswith("rejected") and "not a video" in film["problem"]
    assert film["status"] == "missing"


@pytest.mark.parametrize("what", ["absent", "a file"])
def test_a_source_that_is_not_a_folder_exits_2(tmp_path: Path, what: str) -> None:
    source = tmp_path / "nowhere"
    if what == "a file":
        source.write_text("x", encoding="utf-8")
    result = run("--data-dir", str(tmp_path / "data"), "media", "import", str(source), "--json")
    assert_one_line_error(result, naming=str(source))
    assert json.loads(result.stdout)["ok"] is False  # --json: the error as a document too


def test_a_malformed_checksum_file_exits_2(tmp_path: Path, pack: Path) -> None:
    bad = tmp_path / "pack"
    shutil.copytree(pack, bad)
    (bad / "SHA256SUMS").write_text("garbage\n", encoding="utf-8")
    result = run("--data-dir", str(tmp_path / "data"), "media", "import", str(bad))
    assert_one_line_error(result, naming=str(bad / "SHA256SUMS"))


def test_import_needs_a_source(tmp_path: Path) -> None:
    result = run("--data-dir", str(tmp_path / "data"), "media", "import")
    assert_one_line_error(result)


def test_a_folder_without_any_film_of_the_manifest_exits_1(tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "holiday.jpg").write_bytes(b"\xff\xd8\xff")
    result = run("--data-dir", str(tmp_path / "data"), "media", "import", str(stick))
    no_traceback(result)
    assert result.returncode == 1
    assert "No film of the manifest was found in" in result.stderr and str(stick) in result.stderr


def test_a_film_of_boxes_nested_too_deep_is_a_damaged_film_everywhere(tmp_path: Path) -> None:
    """Such a film crashed list, verify and import with a RecursionError (and opened the error
    dialog in the viewer): each now names it as a damaged film."""
    from tests.core.media.test_media_check import nested_film

    data = tmp_path / "data"
    (data / "media").mkdir(parents=True)
    installed = nested_film(data / "media" / f"{FILM}.mp4", 5_000)
    sentence = "is damaged: its MP4 boxes are nested more than 16 levels deep"
    listed = run("--data-dir", str(data), "media", "list", "--json")
    no_traceback(listed)
    assert listed.returncode == 0
    film = next(f for f in json.loads(listed.stdout)["films"] if f["id"] == FILM)
    assert film["status"] == "corrupt" and sentence in film["problem"] and str(installed) in film["problem"]
    verified = run("--data-dir", str(data), "media", "verify")
    no_traceback(verified)
    assert verified.returncode == 1 and sentence in verified.stdout

    pack = tmp_path / "pack"
    pack.mkdir()
    nested_film(pack / f"{FILM}.mp4", 5_000)
    imported = run("--data-dir", str(tmp_path / "other"), "media", "import", str(pack), "--json")
    no_traceback(imported)
    assert imported.returncode == 1
    [film] = json.loads(imported.stdout)["films"]
    assert film["action"].startswith("rejected") and sentence in film["problem"]


def test_an_arabic_refusal_names_the_film_without_escaped_isolation_marks(tmp_path: Path) -> None:
    """In Arabic the core's sentence isolates each value for a window (U+2068…U+2069); the
    media commands printed them as '\\u2068/path\\u2069' (a fresh-eyes attack): a terminal gets
    the path as it is, and a name's escape codes are still escaped."""
    from tests.core.media.test_media_check import nested_film

    pack = tmp_path / "pack"
    pack.mkdir()
    film = nested_film(pack / f"{FILM}.mp4", 40)
    (pack / "evil\x1b[2J.txt").write_text("x", encoding="utf-8")
    imported = run("--data-dir", str(tmp_path / "data"), "--lang", "ar", "media", "import", str(pack))
    no_traceback(imported)
    assert imported.returncode == 1
    assert "\\u2068" not in imported.stdout and "\u2068" not in imported.stdout
    assert f"مرفوض: {film} " in imported.stdout and "evil\\x1b[2J.txt" in imported.stdout


#: The English words of `media import|list|verify`'s human lines, none of which an Arabic run may print.
ENGLISH_WORDS = ("installed", "resumed", "already verified", "rejected", "skipped", "subtitles", "found in",
                 "Ignored", "Imported", "does not match", "damaged", "cue", "present", "missing", "corrupt",
                 "films", "demo clip")


def test_an_arabic_import_says_every_action_and_refusal_in_arabic(tmp_path: Path, pack: Path) -> None:
    """Issue 19: `--lang ar media import` of a pack with a good film and a damaged one printed
    'installed', 'rejected: … does not match its checksum …', 'subtitles ar:', 'Imported 1 of 2
    films' in English; now every action word and the refusal are Arabic, one line per film, and
    --json keeps the English action constants scripts read."""
    bad = tmp_path / "pack"
    shutil.copytree(pack, bad)
    shutil.copy(pack / f"{FILM}.mp4", bad / "europe.mp4")  # whole, but not the copy SHA256SUMS vouches for
    with (bad / "SHA256SUMS").open("a", encoding="utf-8") as sums:
        sums.write(f"{'0' * 64} *europe.mp4\n")
    (bad / "europe.ar.srt").write_text("1\n00:00:00,500 --> 00:00:01,500\nمرحبا\n", encoding="utf-8")
    data = str(tmp_path / "data")

    imported = run("--data-dir", data, "--lang", "ar", "media", "import", str(bad))
    no_traceback(imported)
    assert imported.returncode == 1
    lines = imported.stdout.splitlines()
    good = next(line for line in lines if line.startswith(FILM))
    damaged = next(line for line in lines if line.startswith("europe "))
    assert "تم التثبيت" in good and "(موجود)" in good
    assert damaged.split(None, 1)[1] == (f"مرفوض: {bad / 'europe.mp4'} لا يطابق مجموعه الاختباري في "
                                         f"{bad / 'SHA256SUMS'}: النسخة الموجودة في حزمة الوسائط تالفة، لذا لم يتم "
                                         "تثبيتها.")
    assert "    الترجمة ar: تم التثبيت (وُجد بترميز cp1256، 1 سطر)" in lines
    assert "    الترجمة ar: تم تخطيه: رُفض الفيلم" in lines
    assert "تم تجاهلها (لا يوجد فيلم بهذا الاسم): README.txt" in lines
    assert lines[-1] == f"تم استيراد 1 من 2 فيلم من {bad}؛ رُفض 1."
    assert not [word for word in ENGLISH_WORDS if word in imported.stdout], imported.stdout

    again = run("--data-dir", data, "--lang", "ar", "media", "import", str(bad), "--json")
    actions = {f["id"]: f["action"] for f in json.loads(again.stdout)["films"]}
    assert actions[FILM] == "already verified, skipped" and actions["europe"].startswith("rejected: ")
    assert "does not match its checksum" not in actions["europe"]  # the refusal itself is said in Arabic

    for command in ("list", "verify"):
        shown = run("--data-dir", data, "--lang", "ar", "media", command)
        no_traceback(shown)
        assert not [word for word in ENGLISH_WORDS if word in shown.stdout], shown.stdout
        lines = shown.stdout.splitlines()
        assert any(line.startswith(FILM) and "موجود" in line and "الترجمات: ar" in line for line in lines)
        assert len([line for line in lines if line.startswith("europe ")]) == 1 and "مفقود" in shown.stdout
    assert lines[-1] == "8 أفلام: 1 موجود، 7 مفقود، 0 تالف."
