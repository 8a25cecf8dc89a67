"""What a translation file of a town or module may give, and how far it is reviewed.

English is the source; a translation overlays the text fields named in ``TRANSLATABLE``
(content/SCHEMA.md, "Translation files …").  Each translation carries the hash of the
English text it translates (``source_hash``): ``review_state`` says whether it is
machine-made, reviewed by a named native speaker, or outdated since English changed.
``co_app.core.content.review`` writes those header lines; ``library`` reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from co_app.core.content.schema import Reader
from co_app.core.foundation.i18n import N_


# --- what a translation file may give (SCHEMA.md, "Translation files …") -------------

#: OWN: in the group's own script (a pronunciation, content/audience.py): overlaid, not counted nor hashed.
TEXT, TEXTS, OWN = "text", "texts", "own script"


@dataclass(frozen=True)
class Tables:
    """A [[list]] of tables matched to English by position, or by ``key`` (town sections)."""

    spec: dict[str, Any]
    key: str | None = None


@dataclass(frozen=True)
class Table:
    spec: dict[str, Any]


TRANSLATABLE = {
    "town": {
        "name": TEXT, "summary": TEXT, "region": TEXT,
        "facts": Tables({"label": TEXT, "value": TEXT}),
        "sections": Tables({"title": TEXT, "body": TEXT}, key="id"),
        "first_words": Tables({"meaning": TEXT, "pronunciation": OWN}),
        "film_voices": Tables({"note": TEXT}),
        "organisations": Tables({"what": TEXT}),
    },
    "module": {
        "title": TEXT, "objectives": TEXTS, "key_messages": TEXTS, "questions": TEXTS,
        "sections": Tables({"title": TEXT, "body": TEXT}),
        "myths": Tables({"myth": TEXT, "reality": TEXT}),
        "activity": Table({"title": TEXT, "steps": TEXTS, "materials": TEXTS}),
        "self_check": Tables({"question": TEXT, "options": TEXTS, "explanation": TEXT}),
    },
}


def is_texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def is_tables(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


#: What a facilitator is told about one language of a town or module (point 3 of issue 22).
SOURCE, MACHINE, REVIEWED, OUTDATED = "source", "machine", "reviewed", "outdated"


def source_hash(raw: dict[str, Any], spec: dict[str, Any]) -> str:
    """The hash of the English text a translation translates (only the translatable fields:
    a new figure or coordinate does not make a translation outdated); 16 hex digits."""
    import hashlib
    import json

    def texts(value: Any, kind: Any) -> Any:
        if kind in (TEXT, TEXTS):
            return value if isinstance(value, (str, list)) else None
        if isinstance(kind, Table):
            return {k: texts((value or {}).get(k), v) for k, v in kind.spec.items()} if isinstance(value, dict) \
                else None
        if isinstance(kind, Tables) and is_tables(value):
            return [{k: texts(entry.get(k), v) for k, v in kind.spec.items() if v != OWN} for entry in value]
        return None

    picked = {name: texts(raw.get(name), kind) for name, kind in spec.items()}
    text = json.dumps(picked, ensure_ascii=False, sort_keys=True, default=str)  # a date in a list of texts too
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class TranslationStatus:
    """One language of one town or module: its file's review state and how much it translates."""

    language: str
    review: str        # "draft" | "translated" | "reviewed"
    coverage: float    # share of English's text fields this file translates, 0.0–1.0
    file: str
    translated: int = 0
    total: int = 0
    #: What stays true: "source" (English), "machine" (made by a machine or not yet reviewed by a
    #: native speaker), "reviewed" (by ``reviewed_by`` on ``reviewed_on``) or "outdated" (the
    #: English text changed after this translation was made or reviewed).
    state: str = SOURCE
    reviewed_by: str = ""
    reviewed_on: str = ""
    checks_translated: int = 0  # of the check questions' text fields (issue 21), as above
    checks_total: int = 0


def review_state(r: Reader, tr: dict[str, Any], review: str, english_hash: str) -> tuple[str, str, str]:
    """(state, reviewed by, reviewed on) of a translation file: outdated when the English text
    it carries the hash of has changed (or it carries none), reviewed when a named native
    speaker reviewed it on a date, else machine-made."""
    by = tr.get("reviewed_by") if isinstance(tr.get("reviewed_by"), str) else ""
    on = tr.get("reviewed_on")
    on = on.isoformat() if hasattr(on, "isoformat") else on if isinstance(on, str) else ""
    if review == "reviewed" and not (by.strip() and on):
        r.report("reviewed_by", N_("a reviewed translation names its reviewer (reviewed_by) and the date "
                                   "(reviewed_on)"), "warning")
    if tr.get("source_hash") != english_hash:
        return OUTDATED, by, on
    return (REVIEWED if review == "reviewed" and by.strip() and on else MACHINE), by, on
