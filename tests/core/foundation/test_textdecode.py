"""The one text decoder behind the roster and subtitle imports: byte-order marks, strict
UTF-8, then the legacy code pages and charset-normalizer; a failure is a typed error the
caller words for its own file."""

from __future__ import annotations

import codecs

import pytest

from co_app.core.foundation.textdecode import (
    BinaryDataError,
    DamagedBomError,
    Decoded,
    TextDecodeError,
    UnknownEncodingError,
    bom_encoding,
    codec_name,
    decode_text,
    encoding_label,
    unicode_family,
)

ARABIC = "مرحبا بكم في مدينة يينا. سوف نتحدث اليوم عن المدرسة والعمل والسكن في المدينة.\n" * 3
FRENCH = "Bienvenue à Jena. Œuvres complètes, déjà vu, où est la gare ? Ça coûte très cher.\n" * 3
TIGRINYA = "ሰላም ናብ የና እንቋዕ ብደሓን መጻእኩም።\n"


def test_plain_utf8() -> None:
    assert decode_text(ARABIC.encode("utf-8")) == Decoded(ARABIC, "utf_8")


def test_utf8_with_bom_drops_the_mark() -> None:
    text, encoding = decode_text(codecs.BOM_UTF8 + FRENCH.encode("utf-8"))
    assert (text, encoding) == (FRENCH, "utf_8_sig")


@pytest.mark.parametrize(("codec", "expected"), [("utf-16-le", "utf_16_le"), ("utf-16-be", "utf_16_be")])
def test_utf16_with_bom(codec: str, expected: str) -> None:
    bom = codecs.BOM_UTF16_LE if expected.endswith("le") else codecs.BOM_UTF16_BE
    assert decode_text(bom + TIGRINYA.encode(codec)) == (TIGRINYA, expected)


def test_utf32_mark_is_not_taken_for_utf16() -> None:
    assert decode_text(codecs.BOM_UTF32_LE + TIGRINYA.encode("utf-32-le")) == (TIGRINYA, "utf_32_le")


def test_windows_1256_arabic() -> None:
    raw = ARABIC.encode("cp1256")
    assert decode_text(raw, language="ar") == (ARABIC, "cp1256")
    assert decode_text(raw, language="fa_AF") == (ARABIC, "cp1256")
    assert decode_text(raw) == (ARABIC, "cp1256")  # without a language, charset-normalizer finds it


def test_windows_1252_french() -> None:
    raw = FRENCH.encode("cp1252")
    assert decode_text(raw, language="fr") == (FRENCH, "cp1252")
    # Without the language cp1250 is as plausible to charset-normalizer; the familiar page wins.
    assert decode_text(raw) == (FRENCH, "cp1252")


def test_a_damaged_bom_file_names_its_encoding() -> None:
    with pytest.raises(DamagedBomError) as caught:
        decode_text(codecs.BOM_UTF16_LE + TIGRINYA.encode("utf-16-le") + b"\x00\xd8")
    assert caught.value.encoding == "utf_16_le"
    with pytest.raises(DamagedBomError) as caught:
        decode_text(codecs.BOM_UTF8 + b"caf\xe9")
    assert caught.value.encoding == "utf_8_sig"


@pytest.mark.parametrize("raw", [b"\x00" * 64, "Case;Name\n".encode("utf-16-le"), b"text\x00\x01\x02"])
def test_nul_bytes_without_a_mark_are_binary(raw: bytes) -> None:
    with pytest.raises(BinaryDataError):
        decode_text(raw)


def test_undecodable_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bytes no candidate decodes raise UnknownEncodingError, a TextDecodeError."""
    import charset_normalizer

    monkeypatch.setattr(charset_normalizer, "from_bytes", lambda raw: [])
    with pytest.raises(UnknownEncodingError):
        decode_text(b"\x81\x8d\x8f\x90\x9d" * 20)
    assert issubclass(UnknownEncodingError, TextDecodeError)
    assert issubclass(BinaryDataError, TextDecodeError) and issubclass(DamagedBomError, TextDecodeError)


def test_random_bytes_decode_or_raise_a_text_decode_error() -> None:
    for raw in (bytes(range(1, 256)) * 4, b"\xff\xfe\x00", b"\xfe\xff\xd8\x00", b"\xc3\x28\xa0\xa1" * 50):
        try:
            text, encoding = decode_text(raw)
        except TextDecodeError:
            continue
        assert isinstance(text, str) and codecs.lookup(encoding)


def test_helpers() -> None:
    assert bom_encoding(codecs.BOM_UTF32_LE + b"x") == "utf_32_le"
    assert bom_encoding(codecs.BOM_UTF16_BE + b"x") == "utf_16_be"
    assert bom_encoding(b"plain") is None
    assert codec_name("windows-1256") == "cp1256" and codec_name("ISO-8859-6") == "iso8859_6"
    assert codec_name("no-such-codec") == "no-such-codec"
    assert [unicode_family(e) for e in ("utf_8_sig", "utf-16", "utf_16_le", "UTF-32-BE", "cp1256")] == [
        "utf-8", "utf-16", "utf-16", "utf-32", None]
    assert [encoding_label(e) for e in ("utf-8", "cp1256", "windows-1252", "iso8859_6", "nonsense")] == [
        "UTF-8", "Windows-1256", "Windows-1252", "ISO-8859-6", "NONSENSE"]
