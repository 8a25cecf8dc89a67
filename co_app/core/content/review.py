"""Recording a translation's review status in its file (SCHEMA.md, "Review status").

A translation file carries, after its header, the hash of the English text it translates
(``source_hash``) and, once a native speaker has reviewed it, who and when::

    review = "reviewed"
    source_hash = "3f0c9a1b2d4e5f60"
    reviewed_by = "Hodan Ali"
    reviewed_on = 2026-12-06

``content review`` writes these lines; when the English file changes later, its hash no
longer matches and the translation shows as outdated until someone updates and stamps it.
Only those header lines are touched: the rest of the file stays as its translator wrote it.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

from co_app.core.content.library import KINDS
from co_app.core.content.translation import TRANSLATABLE, source_hash
from co_app.core.foundation.errors import CoError, sentence
from co_app.core.foundation.languages import SOURCE_LANGUAGE
from co_app.core.foundation.i18n import N_

_KEY_RE = re.compile(r"^([A-Za-z_]+)\s*=")


def _toml_value(value: str | date) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def set_header(text: str, values: dict[str, str | date | None]) -> str:
    """``text`` with the top-level header keys in ``values`` set (None removes a key); keys
    not there yet go after ``review`` (else after ``language``)."""
    lines = text.splitlines(keepends=True)
    end = next((i for i, line in enumerate(lines) if line.lstrip().startswith("[")), len(lines))
    head, rest = lines[:end], lines[end:]
    pending = dict(values)
    out: list[str] = []
    for line in head:
        match = _KEY_RE.match(line)
        key = match.group(1) if match else None
        if key in pending:
            value = pending.pop(key)
            if value is not None:
                out.append(f"{key} = {_toml_value(value)}\n")
            continue
        out.append(line)
    anchor = max((i for i, line in enumerate(out) if _KEY_RE.match(line) and
                  _KEY_RE.match(line).group(1) in ("review", "language")), default=-1)
    added = [f"{key} = {_toml_value(value)}\n" for key, value in pending.items() if value is not None]
    out[anchor + 1:anchor + 1] = added
    return "".join(out + rest)


def stamp(root: Path, kind: str, item_id: str, language: str, *, reviewed_by: str | None = None,
          on: date | None = None) -> Path:
    """Record that ``language``'s file of the town or module translates today's English text:
    reviewed by ``reviewed_by`` (on ``on``, default today), or else made by a machine (or a
    translator) and not yet reviewed.  Returns the file; raises CoError with a sentence."""
    from co_app.core.foundation.fileio import atomic_write_text

    if kind not in KINDS:
        raise CoError(sentence(N_("'{kind}' is not 'town' or 'module'."), kind=kind))
    folder = Path(root) / KINDS[kind][0] / item_id
    english, path = folder / f"{SOURCE_LANGUAGE}.toml", folder / f"{language}.toml"
    if language == SOURCE_LANGUAGE:
        raise CoError(sentence(N_("English is the source: it is not reviewed as a translation.")))
    for needed in (english, path):
        if not needed.is_file():
            raise CoError(sentence(N_("There is no {file}."), file=needed))
    try:
        raw = tomllib.loads(english.read_text(encoding="utf-8"))
        text = path.read_text(encoding="utf-8")
        tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CoError(sentence(N_("Cannot read {file}: {problem}."),
                               file=path if "text" not in locals() else english, problem=exc)) from None
    values: dict[str, str | date | None] = {"source_hash": source_hash(raw, TRANSLATABLE[kind])}
    if reviewed_by:
        values |= {"review": "reviewed", "reviewed_by": reviewed_by.strip(), "reviewed_on": on or date.today()}
    else:
        values |= {"review": "translated", "reviewed_by": None, "reviewed_on": None}
    atomic_write_text(path, set_header(text, values), mode=0o644)
    return path
