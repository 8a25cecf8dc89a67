"""The demo media pack: real ffmpeg, a two-film subset so the whole file stays fast."""

from __future__ import annotations

import json
import re
import shutil
import stat
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from co_app.core.media import demo as demo_media
from co_app.core.media.demo import DEMO_MARKER_NAME, build_demo_pack, is_demo_clip
from co_app.core.foundation.errors import DemoMediaError
from co_app.core.media.manifest import Manifest, load_manifest


ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
CUE_TIME = re.compile(r"^\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}$", re.M)


@pytest.fixture(scope="module")
def manifest() -> Manifest:
    full = load_manifest()
    # Romania's town name has a comma-below letter: a good test of the on-screen text.
    films = (full.film("austria-gaenserndorf"), full.film("romania-somcuta-mare"))
    assert all(films)
    return replace(full, films=films)


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory, manifest: Manifest) -> tuple[Path, list[Path], list[tuple]]:
    out = tmp_path_factory.mktemp("demo")
    calls: list[tuple] = []
    clips = build_demo_pack(out, manifest, progress=lambda *a: calls.append(a))
    return out, clips, calls


def _check_mp4(path: Path) -> None:
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        assert path.read_bytes()[4:8] == b"ftyp"
        return
    out = subprocess.run(
        [ffprobe, "-v", "error", "-show_entries", "format=duration:stream=codec_type", "-of", "json", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    info = json.loads(out.stdout)
    assert float(info["format"]["duration"]) >= 10.0
    assert {s["codec_type"] for s in info["streams"]} >= {"video", "audio"}


def test_builds_a_playable_clip_per_film(pack, manifest):
    out, clips, calls = pack
    assert clips == [out / f"{f.id}.mp4" for f in manifest.films]
    for clip in clips:
        _check_mp4(clip)
    assert sorted(c[2] for c in calls) == sorted(manifest.ids)
    assert [c[:2] for c in calls] == [(1, 2), (2, 2)]
    assert not list(out.glob(".*.partial"))


def test_subtitles_in_six_languages(pack, manifest):
    out, _, _ = pack
    for film in manifest.films:
        tracks = {lang: (out / f"{film.id}.{lang}.srt").read_bytes()
                  for lang in ("en", "ar", "fa_AF", "ti", "so", "fr")}
        for lang, raw in tracks.items():
            assert not raw.startswith(b"\xef\xbb\xbf")
            text = raw.decode("utf-8")
            assert len(CUE_TIME.findall(text)) >= 4, lang
        en, ar, fr = (tracks[k].decode("utf-8") for k in ("en", "ar", "fr"))
        assert "English subtitles" in en and film.town in en
        assert ARABIC_LETTER.search(ar) and "ترجمة عربية" in ar and film.town_name("ar") in ar
        assert "Sous-titres en français" in fr
        assert "زیرنویس دری" in tracks["fa_AF"].decode("utf-8")
        assert "ንኡስ ጽሑፍ ብትግርኛ" in tracks["ti"].decode("utf-8")
        somali = tracks["so"].decode("utf-8")
        assert "Qoraal-hoosaad af-Soomaali ah" in somali and film.town in somali
    assert "Romania" in (out / "romania-somcuta-mare.en.srt").read_text(encoding="utf-8")
    assert "رومانيا" in (out / "romania-somcuta-mare.ar.srt").read_text(encoding="utf-8")
    assert "Roumanie" in (out / "romania-somcuta-mare.fr.srt").read_text(encoding="utf-8")
    assert "رومانیا" in (out / "romania-somcuta-mare.fa_AF.srt").read_text(encoding="utf-8")
    assert "ሩማንያ" in (out / "romania-somcuta-mare.ti.srt").read_text(encoding="utf-8")
    assert "Rumaaniya" in (out / "romania-somcuta-mare.so.srt").read_text(encoding="utf-8")


def test_marker_records_every_clip(pack, manifest):
    out, clips, _ = pack
    data = json.loads((out / DEMO_MARKER_NAME).read_text(encoding="utf-8"))
    assert data["format"] == 1 and data["generator"] == "co_app demo pack"
    assert set(data["films"]) == set(manifest.ids)
    for clip in clips:
        entry = data["films"][clip.stem]
        assert entry["file"] == clip.name and entry["size"] == clip.stat().st_size
        assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])


def test_second_run_skips_existing_clips(pack, manifest, monkeypatch):
    out, clips, _ = pack
    before = {c: c.stat().st_mtime_ns for c in clips}
    monkeypatch.setattr(demo_media, "_build_clip", lambda *a: pytest.fail("clip was rebuilt"))
    calls = []
    assert build_demo_pack(out, manifest, progress=lambda *a: calls.append(a)) == clips
    assert {c: c.stat().st_mtime_ns for c in clips} == before
    assert len(calls) == 2


def test_is_demo_clip(pack, tmp_path):
    out, clips, _ = pack
    assert all(is_demo_clip(c) for c in clips)
    other = out / "not-a-demo.mp4"
    other.write_bytes(b"\0" * 100)
    try:
        assert not is_demo_clip(other)
    finally:
        other.unlink()
    copy = tmp_path / clips[0].name  # same name and size, but no marker beside it
    shutil.copyfile(clips[0], copy)
    assert not is_demo_clip(copy)
    assert not is_demo_clip(tmp_path / "missing.mp4")


def test_real_film_over_a_demo_clip_is_left_alone(tmp_path, manifest, monkeypatch):
    one = replace(manifest, films=manifest.films[:1])
    film = one.films[0]
    target = tmp_path / f"{film.id}.mp4"
    (tmp_path / DEMO_MARKER_NAME).write_text(json.dumps(
        {"format": 1, "films": {film.id: {"file": target.name, "size": 3, "sha256": "0" * 64}}}
    ), encoding="utf-8")  # fmt: skip
    target.write_bytes(b"real film, imported over the demo clip")
    (tmp_path / f"{film.id}.ar.srt").write_text("real subtitles", encoding="utf-8")
    monkeypatch.setattr(demo_media, "_build_clip", lambda *a: pytest.fail("real film overwritten"))
    assert build_demo_pack(tmp_path, one, force=True) == []
    assert target.read_bytes() == b"real film, imported over the demo clip"
    assert (tmp_path / f"{film.id}.ar.srt").read_text(encoding="utf-8") == "real subtitles"
    assert not is_demo_clip(target)


def test_missing_ffmpeg_is_a_clear_error(tmp_path, manifest, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    with pytest.raises(DemoMediaError, match=r"ffmpeg.*not found.*apt-get install ffmpeg"):
        build_demo_pack(tmp_path, manifest)
    assert not list(tmp_path.glob("*.mp4"))


def test_ffmpeg_failure_leaves_no_partial_file(tmp_path, manifest, monkeypatch):
    fake = tmp_path / "bin" / "ffmpeg"
    fake.parent.mkdir()
    # Writes half a file to the output (the last argument), then fails like ffmpeg does.
    fake.write_text('#!/bin/sh\nfor a; do out="$a"; done\necho half > "$out"\n'
                    'echo "first line" >&2\necho "Unknown encoder \'libx264\'" >&2\nexit 1\n')  # fmt: skip
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: str(fake))
    out = tmp_path / "pack"
    with pytest.raises(DemoMediaError, match="Unknown encoder 'libx264'") as err:
        build_demo_pack(out, manifest)
    assert "austria-gaenserndorf.mp4" in str(err.value) or "romania-somcuta-mare.mp4" in str(err.value)
    assert [p.name for p in out.iterdir() if p.suffix in (".mp4", ".partial")] == []


def test_too_short_is_refused(tmp_path, manifest):
    with pytest.raises(DemoMediaError, match="at least 10 seconds"):
        build_demo_pack(tmp_path, manifest, seconds=5)
