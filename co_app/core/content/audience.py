"""What the group sees and what only the facilitator sees, in content text.

* A note for the facilitator inside a text is written in double parentheses:
  ``**MigrAfrica** ((to be confirmed by the programme office))``.  The facilitator's
  pages show it in italics, in single parentheses; projected slides and the viewer leave
  it out (``for_participants``).
* A town's first words carry a pronunciation in the *group's* script: a translation
  file of a language not written in Latin letters (Arabic, Dari, Tigrinya …) gives
  ``first_words[].pronunciation`` in its own script, so an Arabic slide does not say
  "GOO-ten TAHK".  ``check_translation`` (``content check``) names a missing or a
  Latin-letter pronunciation.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from co_app.core.foundation.i18n import N_
from co_app.core.foundation.languages import find_language

#: ``((…))``, with the space before it (left out along with the note).
NOTE_RE = re.compile(r"[ \t]*\(\((.+?)\)\)", re.S)


def for_facilitator(text: str) -> str:
    """The notes shown as ``*(…)*`` (light Markdown italics)."""
    return NOTE_RE.sub(lambda m: " *(" + m.group(1).strip() + ")*", text)


def for_participants(text: str) -> str:
    """The text without its notes for the facilitator."""
    return NOTE_RE.sub("", text)


def _latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(c, "") for c in letters)


def writes_latin(language: str) -> bool:
    """Whether ``language`` is written in Latin letters (English, Somali, French)."""
    lang = find_language(language)
    return lang is None or _latin(lang.native_name)


def _texts(value: Any, path: str):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for number, entry in enumerate(value, start=1):
            yield from _texts(entry, f"{path}[{number}]")
    elif isinstance(value, dict):
        for name, entry in value.items():
            yield from _texts(entry, f"{path}.{name}" if path else name)


def check_translation(reader, kind: str, language: str, table: dict[str, Any]) -> None:
    """Report (through the content Reader) an unclosed facilitator note, and for a town in a
    language not written in Latin letters a first word without its pronunciation in that
    script (a warning: the English one is shown) or with one in Latin letters (an error)."""
    for name, text in _texts(table, ""):
        if text.count("((") != text.count("))"):
            reader.report(name, N_("has a note for the facilitator opened with (( but not closed with )) (or the "
                                   "other way round)"))
    words = table.get("first_words")
    if kind != "town" or writes_latin(language) or not isinstance(words, list):
        return
    for number, word in enumerate(words, start=1):
        said = word.get("pronunciation") if isinstance(word, dict) else None
        where = f"first_words[{number}].pronunciation"
        if said is None or (isinstance(said, str) and not said.strip()):
            reader.report(where, N_("is missing: participants would read the English pronunciation in Latin "
                                    "letters; write it in this language's script"), "warning")
        elif not isinstance(said, str):
            reader.report(where, N_("must be text"))
        elif _latin(said):
            reader.report(where, N_("{value!r} is written in Latin letters; write it in this language's script"),
                          value=said)
