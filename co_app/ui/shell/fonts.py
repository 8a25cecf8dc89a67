"""The bundled Noto fonts (co_app/fonts): Arabic script and Ethiopic, loaded into Qt so
the text of Arabic, Dari, Pashto and Tigrinya renders on a laptop without such fonts.

Loading costs start-up time, so the interface's own script is loaded before the first
paint and the others right after it (``load_all``).  Qt then picks a bundled font for any
character the default font lacks, in every widget, PDF and slide.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)

FONT_DIR = Path(str(resources.files("co_app.fonts")))  # package data, as co_app/data is

#: Script → its font files and the family name they register.
SCRIPTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "arabic": ("Noto Sans Arabic", ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf")),
    "ethiopic": ("Noto Sans Ethiopic", ("NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf")),
}
#: The script each interface language needs beyond Latin.
LANGUAGE_SCRIPT = {"ar": "arabic", "fa_AF": "arabic", "ps": "arabic", "ti": "ethiopic"}

_loaded: dict[str, list[str]] = {}


def font_files(script: str) -> list[Path]:
    return [FONT_DIR / name for name in SCRIPTS[script][1]]


def load_script(script: str) -> list[str]:
    """Register one script's fonts with Qt (once); returns the families Qt registered."""
    if script in _loaded:
        return _loaded[script]
    from PySide6.QtGui import QFontDatabase

    families: list[str] = []
    for path in font_files(script):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load the bundled font %s", path)
            continue
        families.extend(QFontDatabase.applicationFontFamilies(font_id))
    _loaded[script] = sorted(set(families))
    # No font substitution: fontconfig's fallback already finds application fonts for the
    # characters the default font lacks, and a substitute would give every line of Latin
    # text the Arabic font's taller line height.
    log.info("loaded bundled fonts for %s: %s", script, ", ".join(_loaded[script]) or "none")
    return _loaded[script]


_base_families: list[str] = []


def load_for_language(code: str) -> None:
    """Load the script of the interface language and make its font the interface's second
    choice, so text is measured and drawn with the same font (an Arabic interface gets the
    Arabic font's taller lines; a Latin one keeps its own)."""
    from PySide6.QtWidgets import QApplication

    script = LANGUAGE_SCRIPT.get(code) or LANGUAGE_SCRIPT.get(code.split("_")[0])
    if script:
        load_script(script)
    app = QApplication.instance()
    if app is None:
        return
    font = app.font()
    if not _base_families:
        _base_families.extend(font.families() or [font.family()])
    wanted = [*_base_families, *(_loaded.get(script, []) if script else [])]
    if font.families() != wanted:
        font.setFamilies(wanted)
        app.setFont(font)


def families_for(code: str) -> list[str]:
    """The interface's own families, then the bundled font of ``code``'s script: projected
    text in the group's language is drawn in the same typeface whatever the facilitator's
    language (an Arabic slide took a system font behind an English interface)."""
    from PySide6.QtWidgets import QApplication

    script = LANGUAGE_SCRIPT.get(code) or LANGUAGE_SCRIPT.get(code.split("_")[0])
    if script:
        load_script(script)
    base = _base_families or [QApplication.font().family()]
    return [*base, *(_loaded.get(script, []) if script else [])]


def with_fallbacks(font):  # QFont in, QFont out
    """``font`` followed by every bundled family: for a pane showing text in any script
    (a transcript in the group's language), measured and drawn alike."""
    families = font.families() or [font.family()]
    extra = [f for fams in _loaded.values() for f in fams if f not in families]
    font.setFamilies([*families, *extra])
    return font


def load_all() -> None:
    for script in SCRIPTS:
        load_script(script)


def loaded_families() -> dict[str, list[str]]:
    return dict(_loaded)
