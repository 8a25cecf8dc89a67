"""Subtitles as facilitators receive them: any encoding, sloppy blocks (files that are not
subtitles at all, and random input: test_subtitles_hostile.py).

Every file here is written as real bytes (Windows-1256 Arabic and Dari, cp1252 French,
UTF-16 Tigrinya …) and read back the way the application reads it.
"""

from __future__ import annotations

import codecs
import stat
from pathlib import Path

import pytest

from co_app.core.media.subtitles import (
    Cue,
    SubtitleProblem,
    SubtitleTrack,
    decode_subtitle_bytes,
    parse_subtitles,
    read_subtitles,
    render_subtitles,
    write_normalised,
)

ARABIC = [
    "مرحباً بكم في مدينتكم الجديدة.",
    "هنا يعيش حوالي عشرة آلاف شخص.",
    "الأطفال يذهبون إلى المدرسة كل صباح.",
    "يمكنكم تعلم اللغة في مركز المدينة.",
    "الطبيب يعمل من الاثنين إلى الجمعة.",
    "الحافلة تصل إلى المحطة\nكل ساعة.",
    "جيرانكم سيساعدونكم في الأيام الأولى.",
    "نتمنى لكم بداية سعيدة!",
]
# Dari as an old Windows tool saves it: Arabic yeh (ي), Persian پ چ ژ گ ک and the ZWNJ.
DARI = [
    "به شهر جديد خوش آمديد.",
    "پدر و مادر در اينجا کار پيدا مي\u200cکنند.",
    "بچه\u200cها هر روز به مکتب مي\u200cروند.",
    "گاهي هوا سرد است.",
    "ژاکت گرم بپوشيد.",
    "چاي در خانه همسايه آماده است.",
]
FRENCH = [
    "Été à la garçonnière, près de l’église.",
    "Le cœur y est : « Bienvenue ! »",
    "Où est la bibliothèque ? Ça, c’est à côté…",
    "Œuvres complètes, très élevé.",
]
TIGRINYA = ["ሰላም", "እንቋዕ ብደሓን መጻእኩም።", "ከተማና ንእሽቶ እያ።", "ቋንቋ ምምሃር ኣገዳሲ እዩ።"]


def srt(texts: list[str], *, newline: str = "\n") -> str:
    """An SRT file with one numbered cue per text, two seconds each."""
    blocks = [
        f"{n}\n00:00:{2 * n:02d},000 --> 00:00:{2 * n + 1:02d},500\n{text}" for n, text in enumerate(texts, 1)
    ]
    return ("\n\n".join(blocks) + "\n").replace("\n", newline)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def texts(track: SubtitleTrack) -> list[str]:
    return [cue.text for cue in track.cues]


# --- Encodings -----------------------------------------------------------------------


def test_arabic_srt_in_windows_1256_is_decoded(tmp_path: Path) -> None:
    path = write(tmp_path, "germany-jena.ar.srt", srt(ARABIC, newline="\r\n").encode("cp1256"))
    track = read_subtitles(path)
    assert (track.language, track.format, track.encoding) == ("ar", "srt", "cp1256")
    assert texts(track) == ARABIC
    assert [cue.index for cue in track.cues] == list(range(1, 9))
    assert [cue.identifier for cue in track.cues] == [str(n) for n in range(1, 9)]
    assert track.cues[0].start_ms == 2000 and track.cues[0].end_ms == 3500
    assert track.problems == ()
    # Even without the language, these bytes are clearly Windows-1256 Arabic.
    assert decode_subtitle_bytes(path.read_bytes()) == (srt(ARABIC), "cp1256")


def test_dari_srt_in_windows_1256_keeps_persian_letters(tmp_path: Path) -> None:
    path = write(tmp_path, "europe.fa_AF.srt", srt(DARI, newline="\r\n").encode("cp1256"))
    track = read_subtitles(path)
    assert (track.language, track.encoding) == ("fa_AF", "cp1256")
    assert texts(track) == DARI
    assert all(letter in "".join(texts(track)) for letter in "پچژگک")


def test_arabic_script_hint_also_recognises_iso_8859_6(tmp_path: Path) -> None:
    # ISO-8859-6 read as cp1256 is still mostly Arabic letters: the better fit must win.
    path = write(tmp_path, "film.ar.srt", srt(ARABIC).encode("iso8859_6"))
    track = read_subtitles(path)
    assert track.encoding == "iso8859_6"
    assert texts(track) == ARABIC


def test_normalised_copy_is_utf8_without_bom_and_reads_back_identical(tmp_path: Path) -> None:
    source = write(tmp_path, "germany-jena.ar.srt", srt(ARABIC, newline="\r\n").encode("cp1256"))
    track = read_subtitles(source)
    dest = tmp_path / "library" / "germany-jena.ar.srt"
    dest.parent.mkdir()
    write_normalised(track, dest)
    data = dest.read_bytes()
    assert not data.startswith(codecs.BOM_UTF8) and b"\r" not in data
    # Arabic lines are right-to-left embeddings, so libVLC puts the full stop at the left end.
    assert data.decode("utf-8").splitlines()[:3] == ["1", "00:00:02,000 --> 00:00:03,500",
                                                     "\u202b" + ARABIC[0] + "\u202c"]
    again = read_subtitles(dest)
    assert again.encoding == "utf_8"
    assert [(c.start_ms, c.end_ms, c.text) for c in again.cues] == [(c.start_ms, c.end_ms, c.text) for c in track.cues]
    assert all(line.startswith("\u202b") and line.endswith("\u202c") for c in again.cues
               for line in c.markup.split("\n"))
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600  # like every file the application writes
    assert list(tmp_path.joinpath("library").iterdir()) == [dest]  # no temporary file left


@pytest.mark.parametrize(
    ("prefix", "codec", "expected"),
    [
        (b"", "utf-8", "utf_8"),
        (codecs.BOM_UTF8, "utf-8", "utf_8_sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf_16_le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf_16_be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf_32_le"),
    ],
)
def test_unicode_files_with_and_without_bom(tmp_path: Path, prefix: bytes, codec: str, expected: str) -> None:
    path = write(tmp_path, "italy-biella.ti.srt", prefix + srt(TIGRINYA, newline="\r\n").encode(codec))
    track = read_subtitles(path)
    assert track.encoding == expected
    assert texts(track) == TIGRINYA
    assert track.cues[0].identifier == "1"  # the byte-order mark is not part of the first line


def test_french_in_cp1252_is_decoded(tmp_path: Path) -> None:
    raw = srt(FRENCH, newline="\r\n").encode("cp1252")
    track = read_subtitles(write(tmp_path, "belgium-merchtem.fr.srt", raw))
    assert (track.language, track.encoding) == ("fr", "cp1252")
    assert texts(track) == FRENCH
    # Without the language, charset-normalizer finds cp1250 as plausible (it reads "œ" as
    # "ś" and "à" as "ŕ"); the common Western page wins the tie.
    text, encoding = decode_subtitle_bytes(raw)
    assert encoding == "cp1252" and "Œuvres complètes" in text


def test_latin_1_french_is_read_with_the_same_letters(tmp_path: Path) -> None:
    lines = ["Déjà l'été à Zaanstad", "Garçon, où êtes-vous ?"]
    track = read_subtitles(write(tmp_path, "netherlands-zaanstad.fr.srt", srt(lines).encode("latin-1")))
    assert texts(track) == lines
    assert track.encoding == "cp1252"  # the same bytes, the same text: the familiar name


def test_line_ends_are_normalised() -> None:
    text, encoding = decode_subtitle_bytes(b"1\r\n00:00:01,000 --> 00:00:02,000\rOld Mac\r\n")
    assert (text, encoding) == ("1\n00:00:01,000 --> 00:00:02,000\nOld Mac\n", "utf_8")


# --- SRT -----------------------------------------------------------------------------

MALFORMED_SRT = """\
1
00:00:01,000 --> 00:00:02,000
Good one

2
00:00:03,000 --> 00:00:0X,000
Bad timing

3
00:00:06,000 --> 00:00:05,000
Ends before it starts

4
00:00:07,000 --> 00:00:08,000

just a stray line

5
0:0:9.5 --> 0:0:10.25  X1:100 X2:200 Y1:10 Y2:20
Good <i>two</i> {\\an8}
<font color="#ffff00">yellow</font> &amp; <b>bold</b>

6
00:00:11,000 --> 00:00:12,000
Good three
7
00:00:13,000 --> 00:00:14,000
Glued to the block before
"""


def test_malformed_srt_blocks_are_reported_and_skipped() -> None:
    cues, problems = parse_subtitles(MALFORMED_SRT, fmt="srt")
    assert [(problem.line, problem.message) for problem in problems] == [
        (5, "The timing line '00:00:03,000 --> 00:00:0X,000' is not valid."),
        (9, "The cue ends before it starts (00:00:06,000 --> 00:00:05,000)."),
        (13, "The cue has no text."),
        (16, "Text without a timing line: 'just a stray line'."),
    ]
    assert [cue.text for cue in cues] == [
        "Good one",
        "Good two\nyellow & bold",
        "Good three",
        "Glued to the block before",
    ]
    assert [cue.identifier for cue in cues] == ["1", "5", "6", "7"]
    assert [cue.index for cue in cues] == [1, 2, 3, 4]
    two = cues[1]
    assert (two.start_ms, two.end_ms) == (9500, 10250)
    assert two.markup == 'Good <i>two</i> {\\an8}\n<font color="#ffff00">yellow</font> &amp; <b>bold</b>'


def test_file_with_only_malformed_blocks_is_a_track_with_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "europe.en.srt", b"hello\n\nworld\n\n1\n00:00:05,000 --> 00:00:01,000\nback\n")
    track = read_subtitles(path)
    assert track.cues == ()
    assert [problem.line for problem in track.problems] == [1, 3, 5]
    assert track.cue_at(2000) is None


def test_srt_without_counters_out_of_order_and_overlapping() -> None:
    text = "00:00:05,000 --> 00:00:06,000\nsecond\n\n00:00:01,000 --> 00:00:09,000\nfirst, long\n"
    cues, problems = parse_subtitles(text, fmt="srt")
    assert problems == []
    assert [(cue.index, cue.text, cue.identifier) for cue in cues] == [(1, "first, long", None), (2, "second", None)]


def test_srt_text_that_merely_contains_an_arrow_is_kept() -> None:
    cues, _ = parse_subtitles("1\n00:00:01,000 --> 00:00:02,000\nJena --> Weimar\n", fmt="srt")
    assert cues[0].text == "Jena --> Weimar"


def test_format_is_sniffed_when_the_suffix_says_nothing(tmp_path: Path) -> None:
    vtt = read_subtitles(write(tmp_path, "notes.txt", b"WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n"))
    other = read_subtitles(write(tmp_path, "subs.sub", b"1\n00:00:01,000 --> 00:00:02,000\nhi\n"))
    assert (vtt.format, vtt.language, other.format) == ("vtt", None, "srt")
    named = read_subtitles(write(tmp_path, "film.en.srt", b"1\n00:00:01,000 --> 00:00:02,000\nhi\n"), language="so")
    assert named.language == "so"


# --- WebVTT --------------------------------------------------------------------------

VTT = """\
WEBVTT - Welcoming Communities demo
Kind: captions
Language: en

NOTE This file was written by hand,
with a note over two lines

STYLE
::cue(.loud) { color: yellow }

REGION
id:fred
width:40%

intro
00:01.000 --> 00:04.000 position:10%,line-left align:left size:35%
<v Amina>Welcome to <c.loud>Jena</c>!</v>

2
00:00:05.000 --> 00:00:08.500 line:0
<i>Fish &amp; chips</i> &lt;not a tag&gt;&nbsp;here

00:09.000 --> 00:12.000
<v.first.loud Tom>Karaoke</v> <00:00:10.000>one <00:00:11.000>two
<b>bold</b> <u>under</u> <lang fr>bonjour</lang> <ruby>漢<rt>kan</rt></ruby>

NOTE between cues

00:13.000 --> 00:14.000 align:right
&lrm;Arabic مرحبا&rlm;
"""


def test_webvtt_blocks_tags_and_entities() -> None:
    cues, problems = parse_subtitles(VTT, fmt="vtt")
    assert problems == []
    assert [(cue.identifier, cue.start_ms, cue.end_ms) for cue in cues] == [
        ("intro", 1000, 4000),
        ("2", 5000, 8500),
        (None, 9000, 12000),
        (None, 13000, 14000),
    ]
    assert [cue.text for cue in cues] == [
        "Welcome to Jena!",
        "Fish & chips <not a tag>\u00a0here",
        "Karaoke one two\nbold under bonjour 漢",
        "\u200eArabic مرحبا\u200f",
    ]
    assert cues[0].markup == "<v Amina>Welcome to <c.loud>Jena</c>!</v>"
    assert cues[2].markup.startswith("<v.first.loud Tom>Karaoke</v> <00:00:10.000>one")


def test_webvtt_read_from_a_file_with_bom(tmp_path: Path) -> None:
    track = read_subtitles(write(tmp_path, "austria-gaenserndorf.en.vtt", codecs.BOM_UTF8 + VTT.encode("utf-8")))
    assert (track.format, track.encoding, len(track.cues), track.problems) == ("vtt", "utf_8_sig", 4, ())


def test_webvtt_without_header_is_reported_but_read() -> None:
    cues, problems = parse_subtitles("00:01.000 --> 00:02.000\nhi\n", fmt="vtt")
    assert problems == [SubtitleProblem(1, "The file does not start with WEBVTT.")]
    assert [cue.text for cue in cues] == ["hi"]


def test_webvtt_cue_glued_to_the_header_and_bad_blocks() -> None:
    text = "WEBVTT\n00:01.000 --> 00:02.000\nglued\n\n00:03.000 --> 00:61.000\nbad seconds\n\nstray\n"
    cues, problems = parse_subtitles(text, fmt="vtt")
    assert [cue.text for cue in cues] == ["glued"]
    assert [problem.line for problem in problems] == [5, 8]


# --- Rendering and cue_at ------------------------------------------------------------


def test_srt_round_trip() -> None:
    cues, _ = parse_subtitles(MALFORMED_SRT, fmt="srt")
    rendered = render_subtitles(cues, "srt")
    assert rendered.startswith(
        "1\n00:00:01,000 --> 00:00:02,000\nGood one\n\n2\n00:00:09,500 --> 00:00:10,250\nGood <i>"
    )
    again, problems = parse_subtitles(rendered, fmt="srt")
    assert problems == []
    assert [(c.start_ms, c.end_ms, c.text, c.markup) for c in again] == [
        (c.start_ms, c.end_ms, c.text, c.markup) for c in cues
    ]


def test_vtt_round_trip_keeps_ids_and_markup() -> None:
    cues, _ = parse_subtitles(VTT, fmt="vtt")
    rendered = render_subtitles(cues, "vtt")
    assert rendered.startswith("WEBVTT\n\nintro\n00:00:01.000 --> 00:00:04.000\n<v Amina>Welcome")
    again, problems = parse_subtitles(rendered, fmt="vtt")
    assert problems == [] and again == cues
    assert render_subtitles([], "vtt") == "WEBVTT\n" and render_subtitles([], "srt") == ""


def test_cue_at_boundaries_and_overlaps() -> None:
    def cue(index: int, start: int, end: int) -> Cue:
        return Cue(index, start, end, f"cue {index}", f"cue {index}", None)

    cues = (cue(1, 1000, 4000), cue(2, 5000, 8500), cue(3, 10000, 20000), cue(4, 12000, 14000))
    track = SubtitleTrack(Path("x.srt"), None, "srt", "utf_8", cues, ())
    expected = {
        0: None, 999: None, 1000: 1, 3999: 1, 4000: None, 4500: None, 5000: 2, 8499: 2, 8500: None,
        10000: 3, 12000: 4, 13000: 4, 14000: 3, 19999: 3, 20000: None, 99999: None,
    }  # fmt: skip
    shown = {ms: (found.index if (found := track.cue_at(ms)) else None) for ms in expected}
    assert shown == expected
    assert SubtitleTrack(Path("x.srt"), None, "srt", "utf_8", (), ()).cue_at(0) is None


# --- What the player gets -------------------------------------------------------------


def test_the_player_gets_utf8_whatever_the_file_was_written_in(tmp_path: Path) -> None:
    """libVLC reads subtitles as UTF-8: a Windows-1256 file copied by hand goes to it as a
    UTF-8 copy with the same cues (written once); a UTF-8 one as it is; an unreadable one
    is left out with a message naming it."""
    from co_app.core.media.subtitles import for_player

    text = "1\n00:00:01,000 --> 00:00:03,000\nمرحبا بكم في ينا.\n\n2\n00:00:04,000 --> 00:00:06,000\nالمدرسة قريبة.\n"
    arabic = tmp_path / "germany-jena.ar.srt"
    arabic.write_bytes(text.encode("cp1256"))
    french = tmp_path / "germany-jena.fr.srt"
    french.write_text("1\n00:00:01,000 --> 00:00:03,000\nBienvenue à Jena.\n", encoding="utf-8")
    broken = tmp_path / "germany-jena.fa_AF.srt"
    broken.write_bytes(bytes(range(256)) * 8)
    copies = tmp_path / "copies"

    usable, problems = for_player({"ar": arabic, "fr": french, "fa_AF": broken}, copies)
    assert usable["fr"] == french
    assert usable["ar"].parent == copies
    copy_text = usable["ar"].read_bytes().decode("utf-8")  # strict: it is UTF-8 now
    assert "مرحبا بكم في ينا." in copy_text and "المدرسة قريبة." in copy_text
    assert [c.text for c in read_subtitles(usable["ar"], language="ar").cues] == [
        c.text for c in read_subtitles(arabic, language="ar").cues]
    assert list(problems) == ["fa_AF"] and str(broken) in problems["fa_AF"] and "fa_AF" not in usable
    made = usable["ar"].stat().st_mtime_ns
    again, _ = for_player({"ar": arabic}, copies)
    assert again["ar"] == usable["ar"] and again["ar"].stat().st_mtime_ns == made  # not written twice


def test_a_right_to_left_subtitle_reaches_the_player_as_embedded_lines(tmp_path: Path) -> None:
    """libVLC lays out every line left to right: an Arabic or Dari file, even in UTF-8 and
    even with a leading right-to-left mark, goes to it as a copy whose lines are
    right-to-left embeddings, so the full stop ends the sentence on the left."""
    from co_app.core.media.subtitles import for_player

    dari = tmp_path / "europe.fa_AF.srt"
    dari.write_text("1\n00:00:01,000 --> 00:00:03,000\n\u200fبه اروپا خوش آمدید.\n", encoding="utf-8")
    usable, problems = for_player({"fa_AF": dari}, tmp_path / "copies")
    assert problems == {} and usable["fa_AF"] != dari
    lines = usable["fa_AF"].read_text(encoding="utf-8").splitlines()
    assert lines[2] == "\u202bبه اروپا خوش آمدید.\u202c"
    assert [c.text for c in read_subtitles(usable["fa_AF"]).cues] == ["به اروپا خوش آمدید."]
