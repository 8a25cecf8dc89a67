"""The bundled fonts cover every character of every catalog and content file in their
script, and the application loads them; every other character is in the default font."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PySide6.QtGui import QFont, QRawFont

from co_app.ui.shell import fonts

REPO = Path(__file__).resolve().parents[3]
CATALOGS = sorted((REPO / "co_app" / "data" / "locales").glob("*/LC_MESSAGES/co_app.po"))
CONTENT = sorted((REPO / "co_app" / "data" / "content").glob("*/*/*.toml"))

ARABIC = [(0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)]
ETHIOPIC = [(0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)]


def in_ranges(ch: str, ranges) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in ranges)


def drawn(text: str) -> set[str]:
    """The characters a font must draw: not spaces, controls or invisible format marks."""
    return {ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf")}


def catalog_text(path: Path) -> str:
    with path.open("rb") as fh:
        catalog = read_po(fh)
    parts = []
    for message in catalog:
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        parts.extend(s for s in strings if s)
    return "\n".join(parts)


def resolves(ch: str) -> bool:
    """Qt finds a glyph for ``ch`` in the default font or one it falls back to."""
    from PySide6.QtGui import QTextLayout

    layout = QTextLayout(ch, QFont())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return all(0 not in run.glyphIndexes() for run in layout.glyphRuns())


def raw_fonts(script: str) -> list[QRawFont]:
    return [QRawFont(str(path), 16) for path in fonts.font_files(script)]


@pytest.mark.parametrize("path", CATALOGS + CONTENT, ids=lambda p: str(p.relative_to(REPO)))
def test_every_character_has_a_font(qapp, path: Path) -> None:
    text = catalog_text(path) if path.suffix == ".po" else path.read_text(encoding="utf-8")
    arabic, ethiopic = raw_fonts("arabic"), raw_fonts("ethiopic")
    default = QRawFont.fromFont(QFont())
    missing = []
    for ch in sorted(drawn(text)):
        if in_ranges(ch, ARABIC):
            ok = all(font.supportsCharacter(ord(ch)) for font in arabic)
        elif in_ranges(ch, ETHIOPIC):
            ok = all(font.supportsCharacter(ord(ch)) for font in ethiopic)
        else:
            ok = default.supportsCharacter(ord(ch)) or resolves(ch)
        if not ok:
            missing.append(f"U+{ord(ch):04X} {unicodedata.name(ch, '?')}")
    assert not missing, f"{path.name}: no font for {', '.join(missing)}"


def test_the_fonts_are_bundled_and_loaded(qapp) -> None:
    for script in fonts.SCRIPTS:
        for path in fonts.font_files(script):
            assert path.is_file() and path.stat().st_size > 50_000
    assert (fonts.FONT_DIR / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE") == 1
    fonts.load_all()
    loaded = fonts.loaded_families()
    assert "Noto Sans Arabic" in loaded["arabic"] and "Noto Sans Ethiopic" in loaded["ethiopic"]
    # Arabic and Tigrinya text in a normal widget are drawn with the bundled fonts or
    # equivalent ones: every glyph resolves (no empty boxes).
    from PySide6.QtGui import QTextLayout

    for sample in ("مرحبا بكم في ينا", "ሰላም ንዓኹም", "خوش آمدید به ینا"):
        layout = QTextLayout(sample, QFont())
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        for run in layout.glyphRuns():
            assert 0 not in run.glyphIndexes(), f"{sample!r}: a glyph is missing"


def test_the_interface_language_loads_its_script_before_the_window_shows(make_window, services) -> None:
    from co_app.core.foundation import i18n

    i18n.set_language("ar", services.locale_dir)
    window = make_window()
    assert "arabic" in fonts.loaded_families()
    assert window.isRightToLeft()
