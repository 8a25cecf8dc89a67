"""Subtitle files that are not what they claim: binary data, empty or huge files, a pipe
named like a subtitle, shapes that made the parser slow, and random text and bytes.

Reading one must end in a cue list or a SubtitleError naming the file, never in a crash
or a hang (split from test_subtitles.py, which reads the files facilitators receive).
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from co_app.core.foundation.errors import CoError
from co_app.core.media.subtitles import (
    MAX_SUBTITLE_BYTES,
    SubtitleError,
    decode_subtitle_bytes,
    parse_subtitles,
    read_subtitles,
    render_subtitles,
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- Unusable files ------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"\x00" * 4096,
        b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 40,
        b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01webm",
        bytes(range(1, 32)) * 50,
        b"1\n00:00:01,000 --> 00:00:02,000\nHi\n" + b"\x00" * 10,  # UTF-16 without a mark, or worse
    ],
    ids=["nul-filled", "mp4", "webm", "control-characters", "nul-bytes"],
)
def test_binary_data_is_not_a_subtitle_file(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "germany-jena.ar.srt", data)
    with pytest.raises(SubtitleError) as caught:
        read_subtitles(path)
    assert str(caught.value) == f"{path} is not a subtitle file (binary data)."
    assert isinstance(caught.value, CoError)


@pytest.mark.parametrize(
    "data", [b"", b"  \r\n\r\n\t", codecs.BOM_UTF8, codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")]
)
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "europe.so.srt", data)
    with pytest.raises(SubtitleError, match="is empty") as caught:
        read_subtitles(path)
    assert str(path) in str(caught.value)


def test_oversized_file(tmp_path: Path) -> None:
    cue = b"1\n00:00:01,000 --> 00:00:02,000\nToo many\n\n"
    path = write(tmp_path, "europe.en.srt", cue * (MAX_SUBTITLE_BYTES // len(cue) + 1))
    with pytest.raises(SubtitleError, match="too large") as caught:
        read_subtitles(path)
    assert str(path) in str(caught.value)
    with pytest.raises(SubtitleError, match="<bytes> is larger than 5 MB"):
        decode_subtitle_bytes(b"a" * (MAX_SUBTITLE_BYTES + 1))


def test_missing_file_and_broken_utf16(tmp_path: Path) -> None:
    with pytest.raises(SubtitleError, match="cannot be read") as caught:
        read_subtitles(tmp_path / "gone.ar.srt")
    assert "gone.ar.srt" in str(caught.value)
    broken = write(tmp_path, "film.ti.srt", codecs.BOM_UTF16_LE + "ሰላም".encode("utf-16-le") + b"\x00\xd8")
    with pytest.raises(SubtitleError, match="byte-order mark"):
        read_subtitles(broken)


# --- Properties ----------------------------------------------------------------------

FRAGMENTS = [
    "1", "2", "WEBVTT", "WEBVTT header", "NOTE x", "STYLE", "REGION", "", " ", "\r", "\r\n", "-->",
    "00:00:01,000 --> 00:00:02,000", "00:01.000 --> 00:02.000 align:left", "00:00:05,000 --> 00:00:01,000",
    "9 --> x", "<i>hi</i>", "<v Bob>", "&amp;", "&#0;", "&#x110000;", "{\\an8}", "\ufeff", "مرحبا", "\x00",
]
subtitle_like = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=30).map("\n".join)


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.text(), subtitle_like), fmt=st.sampled_from(["srt", "vtt"]))
def test_parse_never_raises_and_round_trips(text: str, fmt: str) -> None:
    cues, problems = parse_subtitles(text, fmt=fmt)
    assert isinstance(cues, list) and isinstance(problems, list)
    assert [cue.index for cue in cues] == list(range(1, len(cues) + 1))
    assert [cue.start_ms for cue in cues] == sorted(cue.start_ms for cue in cues)
    assert all(cue.start_ms <= cue.end_ms and cue.markup for cue in cues)
    assert all(problem.line >= 1 and problem.message.endswith(".") for problem in problems)
    again, _ = parse_subtitles(render_subtitles(cues, fmt), fmt=fmt)
    assert [(c.start_ms, c.end_ms, c.markup, c.text) for c in again] == [
        (c.start_ms, c.end_ms, c.markup, c.text) for c in cues
    ]


encoded_text = st.tuples(st.text(max_size=200), st.sampled_from(["utf-8", "utf-16", "cp1256", "cp1252", "cp1251"])).map(
    lambda pair: pair[0].encode(pair[1], errors="ignore")
)


@settings(max_examples=200, deadline=None)
@given(
    raw=st.one_of(st.binary(max_size=2000), encoded_text),
    language=st.sampled_from([None, "ar", "fa_AF", "fr", "ti"]),
)
def test_decode_returns_text_or_raises_subtitle_error(raw: bytes, language: str | None) -> None:
    try:
        text, encoding = decode_subtitle_bytes(raw, language=language)
    except SubtitleError as err:
        assert str(err).startswith("<bytes> ")
        return
    assert text.strip() and "\r" not in text
    assert codecs.lookup(encoding)


def test_a_subtitle_file_that_is_not_a_regular_file_is_refused_at_once(tmp_path: Path) -> None:
    """A FIFO named like a subtitle waited for a writer forever (issue 19); read in a child
    process with a timeout, so a regression fails instead of hanging the suite."""
    import os
    import subprocess
    import sys

    fifo = tmp_path / "germany-jena.ar.srt"
    os.mkfifo(fifo)
    code = ("import sys; from co_app.core.media.subtitles import SubtitleError, read_subtitles\n"
            "try:\n    read_subtitles(sys.argv[1])\nexcept SubtitleError as exc:\n    print(exc)\n")
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run([sys.executable, "-c", code, str(fifo)], cwd=root, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": str(root)})
    assert done.stdout.strip() == (f"{fifo} is not a regular file (a device, a pipe or a folder), so it is not a "
                                   "subtitle file."), done.stderr[-2000:]


def test_cues_glued_without_blank_lines_parse_as_cues() -> None:
    """Thousands of cues without a blank line between them: each is a cue, numbered from its
    own line (this shape made the parser quadratic: 241 s for 200,000 cues)."""
    text = "".join(f"{n}\n00:{n // 60 % 60:02d}:{n % 60:02d},000 --> 00:{n // 60 % 60:02d}:{n % 60:02d},500\nLine {n}\n"
                   for n in range(1, 3_001))
    cues, problems = parse_subtitles(text + "x\n", fmt="srt")
    assert not problems and len(cues) == 3_000
    assert [(c.start_ms, c.markup) for c in cues[:2]] == [(1000, "Line 1"), (2000, "Line 2")]
    assert cues[-1].markup == "Line 3000\nx"
