"""The pure-Python container check and checksum files, on real videos made by ffmpeg:
whole files pass, files cut short or renamed are caught, and nothing reads a whole film."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from co_app.core.media.check import (
    ChecksumFileError,
    DamagedBoxes,
    check_container,
    file_sha256,
    mp4_duration_ms,
    mp4_video_codecs,
    read_sha256sums,
)


# Codecs per container, all in Debian's ffmpeg.
CODECS = {
    "mp4": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"],
    "mov": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"],
    "m4v": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-f", "mp4"],
    "mkv": ["-c:v", "libx264", "-preset", "ultrafast"],
    "webm": ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8"],
    "avi": ["-c:v", "mpeg4"],
    "ogv": ["-c:v", "libtheora"],
}


def make_video(path: Path, *, seconds: float = 2.0, lossless: bool = False) -> Path:
    """A real, playable video; ``lossless`` makes an H.264 MP4 of about 0.5 MB a second,
    big enough to span several 1 MiB copy chunks."""
    ext = path.suffix.lstrip(".")
    codec = CODECS[ext] + (["-crf", "0"] if lossless else [])
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc2=s=640x360:r=25:d={seconds}", *codec, str(path)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return path


def cut(source: Path, dest: Path, fraction: float) -> Path:
    data = source.read_bytes()
    dest.write_bytes(data[: int(len(data) * fraction)])
    return dest


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if shutil.which("ffmpeg") is None:
        raise AssertionError("ffmpeg is not installed: run the tests through 'python3 dev.py test'")
    folder = tmp_path_factory.mktemp("videos")
    return {ext: make_video(folder / f"film.{ext}") for ext in CODECS}


@pytest.mark.parametrize("ext", sorted(CODECS))
def test_a_whole_video_passes(videos: dict[str, Path], ext: str) -> None:
    assert check_container(videos[ext]) is None


@pytest.mark.parametrize("ext", sorted(CODECS))
def test_a_copy_cut_short_is_truncated(videos: dict[str, Path], ext: str, tmp_path: Path) -> None:
    short = cut(videos[ext], tmp_path / f"short.{ext}", 0.6)
    problem = check_container(short)
    assert problem is not None and "truncated" in problem
    assert str(short) in problem and "\n" not in problem
    assert f"ends at byte {short.stat().st_size}" in problem


def test_a_text_file_renamed_mp4_is_not_a_video(tmp_path: Path) -> None:
    fake = tmp_path / "germany-jena.mp4"
    fake.write_text("This is not really a film, just some notes.\n" * 20, encoding="utf-8")
    problem = check_container(fake)
    assert problem == f"{fake} is not a video file this application can play."


def test_a_jpeg_renamed_mp4_is_not_a_video(tmp_path: Path) -> None:
    fake = tmp_path / "europe.mp4"
    fake.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(2000) + b"\xff\xd9")
    assert "not a video file" in check_container(fake)


@pytest.mark.parametrize("content", [b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(40), b"FLV\x01\x05" + bytes(100),
                                     b"\x00\x00\x01\xba" + bytes(200)], ids=["wav", "flv", "mpeg-ps"])
def test_an_unsupported_container_is_not_a_video(tmp_path: Path, content: bytes) -> None:
    fake = tmp_path / "film.avi"
    fake.write_bytes(content)
    assert "not a video file this application can play" in check_container(fake)


def test_an_image_in_an_iso_box_is_not_a_video(tmp_path: Path) -> None:
    heic = tmp_path / "photo.mp4"
    heic.write_bytes(struct.pack(">I4s4sI", 16, b"ftyp", b"heic", 0) + struct.pack(">I4s", 24, b"meta") + bytes(16))
    assert "image" in check_container(heic)


def test_empty_and_absent_files(tmp_path: Path) -> None:
    (tmp_path / "empty.mp4").write_bytes(b"")
    assert "empty" in check_container(tmp_path / "empty.mp4")
    assert "does not exist" in check_container(tmp_path / "gone.mp4")


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def test_largesize_and_to_the_end_boxes(tmp_path: Path) -> None:
    ftyp = _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2")
    moov = _box(b"moov", bytes(40))
    mdat64 = struct.pack(">I4sQ", 1, b"mdat", 16 + 100) + bytes(100)  # 64-bit size
    path = tmp_path / "large.mp4"
    path.write_bytes(ftyp + moov + mdat64)
    assert check_container(path) is None
    path.write_bytes(ftyp + moov + struct.pack(">I4s", 0, b"mdat") + bytes(500))  # size 0: to the end
    assert check_container(path) is None
    path.write_bytes(ftyp + moov + mdat64[:-30])
    assert "truncated" in check_container(path)
    assert "'mdat'" in check_container(path)


def test_boxes_that_overrun_or_are_missing(tmp_path: Path) -> None:
    ftyp = _box(b"ftyp", b"isom\x00\x00\x02\x00isom")
    path = tmp_path / "film.mp4"
    path.write_bytes(ftyp + _box(b"mdat", bytes(64)))
    assert "no 'moov' box" in check_container(path)
    path.write_bytes(_box(b"moov", bytes(8)) + _box(b"mdat", bytes(8)))
    assert "no 'ftyp'" in check_container(path)
    path.write_bytes(ftyp + _box(b"moov", bytes(8)) + _box(b"mdat", bytes(8)) + b"\x00\x00\x00")
    assert "truncated" in check_container(path)  # a few stray bytes: a box header cut short
    path.write_bytes(ftyp + _box(b"moov", bytes(8)) + b"\x00\x00\x00\x04mdat" + bytes(8))
    assert "damaged" in check_container(path)  # a box smaller than its own header


def test_matroska_with_an_unknown_segment_size_passes(tmp_path: Path) -> None:
    header = b"\x1a\x45\xdf\xa3\x84" + b"\x42\x86\x81\x01"
    segment = b"\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff" + bytes(100)  # live stream: size unknown
    path = tmp_path / "live.mkv"
    path.write_bytes(header + segment)
    assert check_container(path) is None


def test_only_headers_are_read(videos: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A 2 GB film must not be read whole: every read is small."""
    import io

    sizes: list[int] = []
    real_read = io.BufferedReader.read

    class Spy(io.BufferedReader):
        def read(self, n: int = -1) -> bytes:
            data = real_read(self, n)
            sizes.append(len(data))
            return data

    real_open = Path.open

    def spy_open(self: Path, mode: str = "r", *args, **kwargs):
        handle = real_open(self, mode, *args, **kwargs)
        return Spy(handle.detach()) if mode == "rb" else handle

    monkeypatch.setattr(Path, "open", spy_open)
    for ext in ("mp4", "mkv", "avi"):
        assert check_container(videos[ext]) is None
    assert sizes and max(sizes) <= 16


def test_sha256_of_a_file_in_chunks(tmp_path: Path) -> None:
    import hashlib

    data = bytes(range(256)) * 9000  # a little over 2 MiB
    path = tmp_path / "blob.bin"
    path.write_bytes(data)
    seen: list[int] = []
    assert file_sha256(path, on_bytes=seen.append) == hashlib.sha256(data).hexdigest()
    assert sum(seen) == len(data) and len(seen) == 3


def test_checksum_files_in_every_sha256sum_form(tmp_path: Path) -> None:
    a, b, c = "a" * 64, "B" * 64, "0123456789abcdef" * 4
    sums = tmp_path / "SHA256SUMS"
    sums.write_text(f"# made with sha256sum\n{a}  germany-jena.mp4\n{b} *europe.mkv\n\n"
                    f"SHA256 (./italy-biella.mp4) = {c}\n", encoding="utf-8")
    assert read_sha256sums(sums) == {"germany-jena.mp4": a, "europe.mkv": "b" * 64, "italy-biella.mp4": c}


def test_a_checksum_file_with_a_bad_line_is_refused(tmp_path: Path) -> None:
    sums = tmp_path / "SHA256SUMS"
    sums.write_text(f"{'a' * 64}  ok.mp4\nthis line is not a checksum\n", encoding="utf-8")
    with pytest.raises(ChecksumFileError) as info:
        read_sha256sums(sums)
    assert str(sums) in str(info.value) and "line 2" in str(info.value)
    assert info.value.exit_code == 2


def test_an_unsupported_video_codec_is_named(tmp_path: Path) -> None:
    """A whole, well-formed MP4 whose video is in a format libVLC cannot decode here."""
    from co_app.core.media.demo import build_demo_pack
    from co_app.core.media.manifest import load_manifest
    import dataclasses

    manifest = load_manifest()
    build_demo_pack(tmp_path, dataclasses.replace(manifest, films=manifest.films[:1]))
    clip = tmp_path / f"{manifest.films[0].id}.mp4"
    assert check_container(clip) is None
    data = bytearray(clip.read_bytes())
    entry = data.index(b"avc1", data.index(b"stsd"))  # the video track's sample entry
    data[entry:entry + 4] = b"xv99"
    odd = tmp_path / "odd.mp4"
    odd.write_bytes(bytes(data))
    problem = check_container(odd)
    assert problem is not None and str(odd) in problem and "'xv99'" in problem and "cannot play" in problem


def nested_film(path: Path, depth: int) -> Path:
    """A film whose 'moov' holds 'trak' boxes nested ``depth`` deep (a damaged or hostile
    file: a box walk that recurses on them ends in RecursionError past ~1,000)."""
    inner = b""
    for _ in range(depth):
        inner = _box(b"trak", inner)
    path.write_bytes(_box(b"ftyp", b"isom\x00\x00\x02\x00isomavc1") + _box(b"moov", inner) + _box(b"mdat", bytes(64)))
    return path


@pytest.mark.parametrize("depth", [17, 5_000])
def test_boxes_nested_too_deep_are_a_damaged_film(tmp_path: Path, depth: int) -> None:
    path = nested_film(tmp_path / "deep.mp4", depth)
    problem = check_container(path)
    assert problem == (f"{path} is damaged: its MP4 boxes are nested more than 16 levels deep, which no film's "
                       "are; copy it again from the media pack.")
    assert mp4_duration_ms(path) is None  # the library's other look at the file does not fail either
    assert check_container(nested_film(tmp_path / "shallow.mp4", 6)) is None


def test_a_film_of_too_many_boxes_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "wide.mp4"
    trak = _box(b"trak", _box(b"free", b"") * 100_001)
    path.write_bytes(_box(b"ftyp", b"isom\x00\x00\x02\x00isom") + _box(b"moov", trak) + _box(b"mdat", bytes(64)))
    assert check_container(path) == (f"{path} is damaged: it holds more than 100000 MP4 boxes, which no film "
                                     "does; copy it again from the media pack.")


class _CountingFile:
    """A file that counts its reads (each box header is one read)."""

    def __init__(self, f) -> None:
        self.f, self.reads = f, 0

    def seek(self, pos: int) -> int:
        return self.f.seek(pos)

    def read(self, n: int = -1) -> bytes:
        self.reads += 1
        return self.f.read(n)


def test_a_track_of_millions_of_boxes_is_not_read_whole(tmp_path: Path) -> None:
    """A 'trak'/'mdia' of a million tiny boxes (8 MB; 40 MB of them took media list 15 s and
    950 MB) is damaged after reading about the limit's number of boxes, not all of them."""
    path = tmp_path / "wide-mdia.mp4"
    mdia = _box(b"mdia", _box(b"free", b"") * 1_000_000)
    path.write_bytes(_box(b"ftyp", b"isom\x00\x00\x02\x00isom") + _box(b"moov", _box(b"trak", mdia))
                     + _box(b"mdat", bytes(64)))
    with open(path, "rb") as f:
        counting = _CountingFile(f)
        with pytest.raises(DamagedBoxes):
            mp4_video_codecs(counting, path.stat().st_size)  # type: ignore[arg-type]
    assert counting.reads <= 2 * 100_001 + 10
    assert "more than 100000 MP4 boxes" in (check_container(path) or "")
