"""media_files.problem: a refusal's code and values, in no language (issue 20, point 5)

Revision ID: 0008_media_problem_codes
Revises: 0007_learning_answers
Create Date: 2026-12-07 00:40:00

``media_files.problem`` held the media check's refusal as English text ("… is truncated:
…"), shown as it was on an Arabic screen.  It now holds ``{"code": …, "params": {…}}``
(co_app/core/media/problems.py), said in the reader's language when shown.  This migration
turns each English sentence the application wrote before into that form; a text it does not
recognise (a refusal written in another language, a hand edit) is left as it is and shown
as it is.  Downgrade writes the English sentences back.

The sentences are frozen here as they were written before this revision: the application's
own may be reworded later, these must not.
"""
from __future__ import annotations

import json
import re

import sqlalchemy as sa
from alembic import op

revision = '0008_media_problem_codes'
down_revision = '0007_learning_answers'
branch_labels = None
depends_on = None

_TRUNCATED = ("{file} is truncated: the file ends at byte {size} but %s needs {needed} bytes; copy it again from "
              "the media pack.")
_CHECKSUM = ("{file} does not match the checksum in %s: it is damaged or not the right film; import it again from "
             "the media pack.")
#: code → the English sentence the application stored before codes.
LEGACY = {
    "empty": "{file} is empty (a copy that never started).",
    "not-video": "{file} is not a video file this application can play.",
    "image": "{file} is not a video file this application can play (it is an image).",
    "no-ftyp": "{file} is not a video file this application can play (no 'ftyp' box at its start).",
    "no-file": "{file} does not exist.",
    "unreadable": "{file} cannot be read ({reason}).",
    "truncated-riff": _TRUNCATED % "its RIFF header says it",
    "truncated-box-header": _TRUNCATED % "the header of its last box",
    "truncated-box": _TRUNCATED % "its last box ('{box}')",
    "truncated-segment": _TRUNCATED % "its Segment",
    "truncated-ogg": _TRUNCATED % "its last Ogg page",
    "truncated-matroska-header": "{file} is truncated: the file ends at byte {size}, inside its Matroska header.",
    "bad-box": "{file} is damaged: there is no valid MP4 box at byte {offset}.",
    "no-moov": "{file} is damaged: it has no 'moov' box (the index a player needs).",
    "no-mdat": "{file} is damaged: it has no 'mdat' box (the picture and sound).",
    "bad-matroska-header": "{file} is damaged: its Matroska header cannot be read at byte {offset}.",
    "no-segment": "{file} is damaged: it has no Matroska Segment.",
    "boxes-too-deep": ("{file} is damaged: its MP4 boxes are nested more than {depth} levels deep, which no film's "
                       "are; copy it again from the media pack."),
    "boxes-too-many": ("{file} is damaged: it holds more than {count} MP4 boxes, which no film does; copy it again "
                       "from the media pack."),
    "codec": ("{file} uses a video format ('{codec}') that this application cannot play; ask the programme office "
              "for the film in MP4 (H.264)."),
    "size": "{file} is {size} bytes but the media manifest says the film is {expected} bytes.",
    "checksum-manifest": _CHECKSUM % "the media manifest",
    "checksum-pack": _CHECKSUM % "the media pack's SHA256SUMS (recorded at import)",
    "checksum-demo": _CHECKSUM % "the demo pack's marker",
}
_NUMBERS = {"size", "needed", "offset", "depth", "count", "expected"}
_FIELD = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> re.Pattern[str]:
    parts, at = [], 0
    for field in _FIELD.finditer(template):
        parts.append(re.escape(template[at:field.start()]))
        name = field.group(1)
        parts.append(rf"(?P<{name}>\d+)" if name in _NUMBERS else rf"(?P<{name}>.+)")
        at = field.end()
    parts.append(re.escape(template[at:]))
    return re.compile("".join(parts), re.DOTALL)


_PATTERNS = [(code, _pattern(template)) for code, template in LEGACY.items()]


def coded(text: str) -> str | None:
    """The stored form of an English refusal written before codes, or None."""
    for code, pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            params = {name: int(value) if name in _NUMBERS else value for name, value in match.groupdict().items()}
            return json.dumps({"code": code, "params": params}, ensure_ascii=False, sort_keys=True)
    return None


def _is_coded(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def english(text: str) -> str | None:
    """The English sentence of a stored code and its values, or None."""
    try:
        doc = json.loads(text)
        return LEGACY[doc["code"]].format(**doc["params"])
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def _rewrite(convert) -> None:  # Callable[[str], str | None]
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT film_id, problem FROM media_files WHERE problem IS NOT NULL")).fetchall()
    for film_id, problem in rows:
        new = convert(problem)
        if new is not None and new != problem:
            conn.execute(sa.text("UPDATE media_files SET problem = :problem WHERE film_id = :film_id"),
                         {"problem": new, "film_id": film_id})


def upgrade() -> None:
    _rewrite(lambda problem: None if _is_coded(problem) else coded(problem))


def downgrade() -> None:
    _rewrite(lambda problem: english(problem) if _is_coded(problem) else None)
