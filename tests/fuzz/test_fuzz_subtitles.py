"""Subtitle files as they arrive from many hands: damaged bytes, odd timings, every common
encoding.  ``read_subtitles`` returns a track or raises SubtitleError naming the file —
nothing else — and what it returns can be written as UTF-8 and read back."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from co_app.core.media.subtitles import SubtitleError, SubtitleTrack, read_subtitles, render_subtitles, write_normalised
from tests.fuzz.mutations import mutated_bytes

SRT = """1
00:00:00,500 --> 00:00:02,500
هذا مقطع تجريبي عن <i>ينا</i>، ألمانيا.

2
00:00:03,500 --> 00:00:05,500 X1:10 X2:20
Ceci est un extrait de démonstration &amp; un test.
{\\an8}Deuxième ligne

3
00:00:06,500 --> 00:00:08,500
ይህ የሙከራ ክሊፕ ነው።
"""
VTT = """WEBVTT - demo

NOTE a comment

STYLE
::cue { color: yellow }

intro
00:00.500 --> 00:02.500 align:start
<v Narrator>Welcome to <b>Jena</b> &lt;3</v>

00:00:03.000 --> 00:00:05.000
<ruby>漢<rt>kan</rt></ruby> line two
"""
ENCODINGS = ("utf_8", "utf_8_sig", "utf_16", "utf_16_le", "utf_16_be", "utf_32", "cp1256", "cp1252", "cp1251",
             "iso8859_6", "cp1250", "latin_1", "mac_roman", "shift_jis", "koi8_r")
NAMES = ("germany-jena.ar.srt", "germany-jena.fr.vtt", "film.srt", "film.vtt", "x.txt", "germany-jena.ti.srt",
         "europe.fa_AF.vtt", "a.b.c.SRT")

# A subtitle text from its parts: timing lines valid and not, counters, cue text with markup.
_CLOCK = st.builds(lambda h, m, s, f, sep: f"{h}:{m:02d}:{s:02d}{sep}{f}",
                   st.sampled_from(["00", "0", "1", "99", "123456789", "٠٠"]), st.integers(0, 99),
                   st.integers(0, 99), st.sampled_from(["000", "5", "1234", "", "٣٤٥"]),
                   st.sampled_from([",", ".", ":"]))
_TIMING = st.builds(lambda a, arrow, b, tail: f"{a} {arrow} {b}{tail}", _CLOCK, st.sampled_from(["-->", "->", "-- >"]),
                    _CLOCK, st.sampled_from(["", " align:start", "\t", " X1:0"]))
_TEXT = st.one_of(st.text(max_size=30), st.sampled_from([
    "<i>نص</i>", "&#0;", "&#x110000;", "&#55296;", "&nbsp;", "<rt>", "{\\i1}", "-->", "1", "WEBVTT", "NOTE",
    "\u200f.٣", "<v", "&", "<c.yellow>x</c>"]))
_CUE = st.builds(lambda counter, timing, lines: "\n".join(filter(None, [counter, timing, *lines])),
                 st.sampled_from(["", "1", "2", "id-x"]), _TIMING, st.lists(_TEXT, max_size=3))
_DOCUMENT = st.builds(lambda header, cues, gap: header + gap.join(cues), st.sampled_from(["", "WEBVTT\n\n", "\ufeff"]),
                      st.lists(_CUE, max_size=8), st.sampled_from(["\n\n", "\n", "\r\n\r\n", "\n \n"]))


def read_and_use(raw: bytes, name: str, language: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(raw)
        try:
            track = read_subtitles(path, language=language)
        except SubtitleError as exc:
            assert str(path) in str(exc)  # names the file
            return
        assert isinstance(track, SubtitleTrack)
        for cue in track.cues:
            assert 0 <= cue.start_ms <= cue.end_ms
            assert track.cue_at(cue.start_ms) is not None or cue.start_ms == cue.end_ms
        for fmt in ("srt", "vtt"):
            render_subtitles(track, fmt, rtl=True)
        # Import stores them as UTF-8: what is written reads back, with the same cues.
        out = Path(folder) / f"normalised.{track.format}"
        write_normalised(track, out)
        if any(cue.text.strip() for cue in track.cues):
            again = read_subtitles(out, language=track.language)
            assert [(c.start_ms, c.end_ms) for c in again.cues] == [
                (c.start_ms, c.end_ms) for c in track.cues if c.markup.strip()]


@given(mutated_bytes(SRT.encode("utf-8")), st.sampled_from(NAMES))
def test_a_damaged_srt_file(raw: bytes, name: str) -> None:
    read_and_use(raw, name)


@given(mutated_bytes(VTT.encode("utf-8")), st.sampled_from(NAMES))
def test_a_damaged_vtt_file(raw: bytes, name: str) -> None:
    read_and_use(raw, name)


@given(_DOCUMENT, st.sampled_from(ENCODINGS), st.sampled_from(NAMES),
       st.sampled_from([None, "ar", "fa", "ti", "fr", "ru", "xx", ""]))
def test_made_up_subtitles_in_any_encoding(text: str, encoding: str, name: str, language: str | None) -> None:
    read_and_use(text.encode(encoding, errors="replace"), name, language or None)


@given(st.binary(max_size=3_000), st.sampled_from(NAMES))
def test_any_bytes_at_all_as_subtitles(raw: bytes, name: str) -> None:
    read_and_use(raw, name)


def test_control_characters_in_a_cue_are_dropped_so_the_imported_copy_reads_back(tmp_path: Path) -> None:
    """Found by the fuzzing above: a cue of control characters was kept, and the UTF-8 copy
    written on import was then refused as binary data."""
    path = tmp_path / "germany-jena.ar.srt"
    path.write_bytes(("1\n00:00:01,000 --> 00:00:02,000\nنص\x1b[0m\n\n" + "2\n00:00:03,000 --> 00:00:04,000\n\x1f\x1b\n"
                      ).encode("utf-8"))
    track = read_subtitles(path)
    assert [cue.markup for cue in track.cues] == ["نص[0m"]
    assert [problem.message for problem in track.problems] == ["The cue has no text."]
    write_normalised(track, tmp_path / "out.srt")
    assert [cue.text for cue in read_subtitles(tmp_path / "out.srt", language="ar").cues] == ["نص[0m"]
