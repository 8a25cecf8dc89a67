"""The refusal of a package for one bad record: one sentence in the user's language, naming
the package, the table, the record (its line, and its id when it has one) and the field —
whatever the problem (co_app/core/db/validation.py says what each field may hold)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from co_app.core.db import validation
from co_app.core.foundation.errors import Notice
from co_app.core.foundation.i18n import _, current_language, isolate
from co_app.core.foundation.languages import SOURCE_LANGUAGE
from co_app.core.sync.container import PackageError


def record_id_at(batch: list[tuple[int, Any]], line: int) -> str | None:
    """The id of the record on ``line`` of a batch, when it has a plain one to show."""
    for number, raw in batch:
        if number == line:
            found = raw.get("id") if type(raw) is dict else None
            return found if validation.value_problem("households", "id", found) is None else None
    return None


def refused(path: Path, table: str, line: int, problem: str | Notice, record_id: str | None = None) -> PackageError:
    """``problem``: a ``Notice`` of the validation layer, or an English phrase marked with N_."""
    english = current_language() == SOURCE_LANGUAGE
    said = (str(problem) if english else problem.translated()) if isinstance(problem, Notice) else _(problem)

    def shown(value: object) -> object:  # values kept in their direction inside an Arabic sentence
        return value if english else isolate(value)

    values = {"path": shown(path), "line": line, "table": shown(f"{table}.jsonl"), "problem": said}
    if record_id:
        text = _("The sync package {path} was refused: record {line} of {table} (id {record}) is not valid "
                 "({problem}). Nothing was imported.").format(record=shown(record_id), **values)
    else:
        text = _("The sync package {path} was refused: record {line} of {table} is not valid ({problem}). "
                 "Nothing was imported.").format(**values)
    return PackageError(text)
