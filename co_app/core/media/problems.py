"""Why a film's file cannot be used: a stable code and its values, said in the language of
whoever reads it.

The media check's refusals ("… is truncated …", "… is not a video file …") are recorded in
the ``media_files`` table and shown again later, perhaps in another language: an English
sentence stored there reached an Arabic screen as English.  So a refusal is a
``MediaProblem``: a ``Notice`` (its ``str`` is the sentence in the interface language of the
moment, like any error of the core) that also carries a ``code`` from ``PROBLEMS``.  The
database holds only the code and the values (``stored``: JSON, language-neutral);
``from_stored`` makes the sentence again in the language of the reader.  Codes never change
meaning (a reworded sentence keeps its code, a new kind of refusal gets a new one), so a
record written today reads sensibly after any later rewording.  Text that is not such a
document (a record written before codes, that migration 0008 could not recognise) is shown
as it was written.
"""

from __future__ import annotations

import json
from pathlib import Path

from co_app.core.foundation.errors import Notice, sentence
from co_app.core.foundation.i18n import N_

#: Every kind of refusal: its stable code → its sentence (English, marked for the catalogs).
#: The file is always ``{file}``.  Migration 0008 holds a frozen copy of these sentences to
#: recognise records written before codes: keep the codes, and add new ones for new sentences.
PROBLEMS: dict[str, str] = {
    "empty": N_("{file} is empty (a copy that never started)."),
    "not-video": N_("{file} is not a video file this application can play."),
    "image": N_("{file} is not a video file this application can play (it is an image)."),
    "no-ftyp": N_("{file} is not a video file this application can play (no 'ftyp' box at its start)."),
    "no-file": N_("{file} does not exist."),
    "unreadable": N_("{file} cannot be read ({reason})."),
    "truncated-riff": N_("{file} is truncated: the file ends at byte {size} but its RIFF header says it needs "
                         "{needed} bytes; copy it again from the media pack."),
    "truncated-box-header": N_("{file} is truncated: the file ends at byte {size} but the header of its last box "
                               "needs {needed} bytes; copy it again from the media pack."),
    "truncated-box": N_("{file} is truncated: the file ends at byte {size} but its last box ('{box}') needs "
                        "{needed} bytes; copy it again from the media pack."),
    "truncated-segment": N_("{file} is truncated: the file ends at byte {size} but its Segment needs {needed} "
                            "bytes; copy it again from the media pack."),
    "truncated-ogg": N_("{file} is truncated: the file ends at byte {size} but its last Ogg page needs {needed} "
                        "bytes; copy it again from the media pack."),
    "truncated-matroska-header": N_("{file} is truncated: the file ends at byte {size}, inside its Matroska "
                                    "header."),
    "bad-box": N_("{file} is damaged: there is no valid MP4 box at byte {offset}."),
    "no-moov": N_("{file} is damaged: it has no 'moov' box (the index a player needs)."),
    "no-mdat": N_("{file} is damaged: it has no 'mdat' box (the picture and sound)."),
    "bad-matroska-header": N_("{file} is damaged: its Matroska header cannot be read at byte {offset}."),
    "no-segment": N_("{file} is damaged: it has no Matroska Segment."),
    "boxes-too-deep": N_("{file} is damaged: its MP4 boxes are nested more than {depth} levels deep, which no "
                         "film's are; copy it again from the media pack."),
    "boxes-too-many": N_("{file} is damaged: it holds more than {count} MP4 boxes, which no film does; copy it "
                         "again from the media pack."),
    "codec": N_("{file} uses a video format ('{codec}') that this application cannot play; ask the programme "
                "office for the film in MP4 (H.264)."),
    "size": N_("{file} is {size} bytes but the media manifest says the film is {expected} bytes."),
    "checksum-manifest": N_("{file} does not match the checksum in the media manifest: it is damaged or not the "
                            "right film; import it again from the media pack."),
    "checksum-pack": N_("{file} does not match the checksum in the media pack's SHA256SUMS (recorded at import): "
                        "it is damaged or not the right film; import it again from the media pack."),
    "checksum-demo": N_("{file} does not match the checksum in the demo pack's marker: it is damaged or not the "
                        "right film; import it again from the media pack."),
    "import-checksum-manifest": N_("{file} does not match its checksum in the media manifest: the copy on the "
                                   "media pack is damaged, so it was not installed."),
    "import-checksum-pack": N_("{file} does not match its checksum in {sums}: the copy on the media pack is "
                               "damaged, so it was not installed."),
}


class MediaProblem(Notice):
    """One refusal: ``str()`` is the sentence in the interface language of the moment (its
    values isolated in a right-to-left language), ``code`` and ``params`` what is stored."""

    code: str

    def stored(self) -> str:
        """The language-neutral form kept in ``media_files.problem``."""
        return json.dumps({"code": self.code, "params": self.params}, ensure_ascii=False, sort_keys=True)

    def about(self, file: Path | str) -> MediaProblem:
        """The same refusal naming another file (the pack's film instead of its partial copy)."""
        return media_problem(self.code, **{**self.params, "file": file})


def media_problem(code: str, **params: object) -> MediaProblem:
    """The refusal ``code`` (a key of ``PROBLEMS``) with its values; a path becomes its text,
    so that what is stored reads back the same."""
    values = {name: str(value) if isinstance(value, Path) else value for name, value in params.items()}
    template = PROBLEMS[code]
    said = sentence(template, **values)
    problem = str.__new__(MediaProblem, said)
    problem.template, problem.params, problem.code = template, values, code
    return problem


def from_stored(text: str | None) -> MediaProblem | str | None:
    """What ``stored`` wrote, as a ``MediaProblem`` in the language of the moment; any other
    text (a record from before codes) as it was written."""
    if not text or not text.startswith("{"):
        return text
    try:
        doc = json.loads(text)
        code, params = doc["code"], doc["params"]
    except (ValueError, KeyError, TypeError):
        return text
    if code not in PROBLEMS or not isinstance(params, dict):
        return text
    try:
        return media_problem(code, **params)
    except (KeyError, IndexError, ValueError):  # values that do not fit the sentence
        return text


def stored_form(problem: str | None) -> str | None:
    """``problem`` as ``media_files.problem`` keeps it: a ``MediaProblem``'s code and values,
    other text as it is."""
    return problem.stored() if isinstance(problem, MediaProblem) else problem


def problem_code(problem: str | None) -> str | None:
    """The refusal's code for a script (``--json``): it reads the same in every language and
    after a rewording; None for no problem or an old record's text."""
    return problem.code if isinstance(problem, MediaProblem) else None


def problem_text(problem: str | None) -> str:
    """A film's problem for a window, in the interface language of the moment (say again
    after a switch of language): a ``Notice`` is said anew (its values isolated in a
    right-to-left language, as ``sentence`` does), other text shown as it is."""
    if problem is None:
        return ""
    return sentence(problem.template, **problem.params) if isinstance(problem, Notice) else problem
