"""Thumbnails taken from the films themselves: real demo clips through real libVLC.

No window and no display are involved (libVLC decodes into our memory), so these live
with the core tests; they need libVLC and ffmpeg (for the clips), nothing else.
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
import time
import zlib
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from co_app.core.media.demo import build_demo_pack
from co_app.core.media.manifest import load_manifest
from co_app.player import thumbnails
from co_app.player.protocol import PlayerUnavailable
from co_app.player.thumbnails import ThumbnailError, cached_thumbnail, encode_png, make_thumbnail, thumbnail_path


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two demo clips (640×360, a different dark background each, white text)."""
    full = load_manifest()
    return build_demo_pack(tmp_path_factory.mktemp("clips"), replace(full, films=full.films[:2]))


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB pixels of a PNG as our encoder writes it (8-bit RGB, filter 0)."""
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    chunks, pos = {}, len(PNG_SIGNATURE)
    while pos < len(data):
        (length,), tag = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0] == zlib.crc32(tag + body)
        chunks[tag] = chunks.get(tag, b"") + body
        pos += 12 + length
    assert list(chunks) == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, colour, _, _, _ = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, colour) == (8, 2)
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = width * 3 + 1
    assert len(raw) == stride * height and all(raw[y * stride] == 0 for y in range(height))
    pixels = [raw[y * stride + 1 + x * 3:y * stride + 4 + x * 3] for y in range(height) for x in range(width)]
    return width, height, pixels


def dominant(pixels: list[bytes]) -> tuple[int, int, int]:
    return tuple(Counter(pixels).most_common(1)[0][0])


def near(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 12) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


def test_png_encoder_writes_libvlc_frames_as_rgb(tmp_path: Path) -> None:
    bgrx = bytes([0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0])  # red, green, blue, white
    (tmp_path / "t.png").write_bytes(encode_png(2, 2, bgrx))
    assert read_png(tmp_path / "t.png") == (2, 2, [b"\xff\0\0", b"\0\xff\0", b"\0\0\xff", b"\xff\xff\xff"])


@pytest.mark.vlc
def test_a_thumbnail_is_a_frame_of_each_film(clips: list[Path], tmp_path: Path) -> None:
    backgrounds = []
    for clip in clips:
        dest = make_thumbnail(clip, tmp_path / f"{clip.stem}.png", width=240)  # raises past its own deadline
        assert dest == tmp_path / f"{clip.stem}.png"
        width, height, pixels = read_png(dest)
        assert (width, height) == (240, 136)  # 640×360 is 16:9; heights are kept even
        background = dominant(pixels)
        assert sum(background) > 120, background  # the coloured background, not black
        text = sum(1 for p in pixels if min(p) > 200)
        assert 0.002 * len(pixels) < text < 0.3 * len(pixels)  # white titles on it
        backgrounds.append(background)
    assert not near(backgrounds[0], backgrounds[1], 40), backgrounds  # each film its own picture
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{c.stem}.png" for c in clips)  # no temp files


@pytest.mark.vlc
def test_a_truncated_clip_gives_a_thumbnail_or_an_error_in_time(clips: list[Path], tmp_path: Path) -> None:
    data = clips[0].read_bytes()
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(data[: len(data) * 3 // 10])
    for fraction in (0.0, 0.25, 0.9):
        started = time.monotonic()
        try:
            _, height, pixels = read_png(make_thumbnail(broken, tmp_path / "b.png", at_fraction=fraction, timeout_s=5))
            assert height == 180 and sum(dominant(pixels)) > 120
        except ThumbnailError as exc:
            assert str(broken) in str(exc)
        assert time.monotonic() - started < 5 + 5


@pytest.mark.vlc
def test_a_deadline_too_short_gives_up_in_time(clips: list[Path], tmp_path: Path) -> None:
    for timeout_s in (0.001, 0.02):
        started = time.monotonic()
        try:
            make_thumbnail(clips[0], tmp_path / "t.png", timeout_s=timeout_s)  # a fast machine may make it
        except ThumbnailError as exc:
            assert str(clips[0]) in str(exc) and ("in time" in str(exc) or "within" in str(exc))
        assert time.monotonic() - started < timeout_s + thumbnails.TEARDOWN_GRACE_S


@pytest.mark.vlc
def test_a_text_file_named_mp4_is_refused_by_name(tmp_path: Path) -> None:
    fake = tmp_path / "not-a-film.mp4"
    fake.write_text("This is a shopping list, not a film.\n" * 50, encoding="utf-8")
    with pytest.raises(ThumbnailError) as caught:
        make_thumbnail(fake, tmp_path / "x.png", timeout_s=5)
    message = str(caught.value)
    assert str(fake) in message and message.endswith(".") and "\n" not in message
    assert not (tmp_path / "x.png").exists()


def test_a_missing_file_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ThumbnailError, match="gone.mp4.*does not exist"):
        make_thumbnail(tmp_path / "gone.mp4", tmp_path / "x.png")
    with pytest.raises(ThumbnailError, match="gone.mp4"):
        cached_thumbnail(tmp_path / "cache", tmp_path / "gone.mp4")


def test_without_libvlc_the_player_is_unavailable(clips: list[Path], tmp_path: Path, monkeypatch) -> None:
    """The real failure path: python-vlc cannot load the library (it calls sys.exit there)."""
    monkeypatch.delitem(sys.modules, "vlc", raising=False)
    monkeypatch.setenv("PYTHON_VLC_LIB_PATH", "/nonexistent/libvlc.so.5")
    with pytest.raises(PlayerUnavailable, match="libVLC could not be loaded"):
        make_thumbnail(clips[0], tmp_path / "x.png")


def test_the_cache_name_changes_with_the_film(tmp_path: Path) -> None:
    film = tmp_path / "Jena film.mp4"
    film.write_bytes(b"x" * 10)
    os.utime(film, ns=(1_700_000_000_123_456_789, 1_700_000_000_123_456_789))
    assert thumbnail_path(tmp_path / "c", film) == tmp_path / "c" / "Jena film-10-1700000000123456789.png"


@pytest.mark.vlc
def test_cached_thumbnail_is_made_once_and_again_for_a_replaced_film(clips: list[Path], tmp_path: Path,
                                                                       monkeypatch) -> None:
    film = tmp_path / "media" / "film.mp4"
    film.parent.mkdir()
    shutil.copy(clips[0], film)
    cache = tmp_path / "cache" / "thumbnails"  # does not exist yet
    first = cached_thumbnail(cache, film, width=160)
    assert first.parent == cache and first.read_bytes().startswith(PNG_SIGNATURE)
    made_at = first.stat().st_mtime_ns
    colour = dominant(read_png(first)[2])

    def must_not_render(*_a, **_k):
        raise AssertionError("the cached thumbnail was made again")

    with monkeypatch.context() as m:
        m.setattr(thumbnails, "make_thumbnail", must_not_render)
        assert cached_thumbnail(cache, film, width=160) == first
    assert first.stat().st_mtime_ns == made_at

    shutil.copy(clips[1], tmp_path / "new.mp4")
    os.replace(tmp_path / "new.mp4", film)  # the film is replaced by another one, same name
    second = cached_thumbnail(cache, film, width=160)
    assert second != first and second.is_file()
    assert not near(dominant(read_png(second)[2]), colour, 40)  # a picture of the new film
