"""Reading one content file — a town or module (TOML), the map (JSON) — that may come from
anyone: a content pack, a USB stick, a maintainer's editor (``co_app.core.content.library``).

Only a regular file is read (a FIFO named ``en.toml`` waited for a writer forever, a link
to ``/dev/zero`` filled the memory), only up to a size no real content file comes near,
and nesting is limited: a file of a thousand nested arrays ended the whole check in an
"unexpected RecursionError" that hid every other problem; it is now one problem of that
file.  ``ContentFileError``'s message is the phrase that follows the file's name in a
``ContentProblem`` ("is not valid TOML: …"), in the interface language.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from co_app.core.foundation.errors import sentence
from co_app.core.foundation.i18n import N_
from co_app.core.foundation.safe_read import FileTooLargeError, NotRegularFileError, read_regular_file

#: The largest shipped town file is 12 KB: a content file is never near this.
MAX_TOML_BYTES = 1024 * 1024
#: The map of Europe is 190 KB.
MAX_JSON_BYTES = 16 * 1024 * 1024
#: Content nests a few levels (a town's sections, a module's self-check options); the
#: readers that walk it recurse, so deeper nesting is refused before they see it.
MAX_DEPTH = 32


class ContentFileError(ValueError):
    """A content file cannot be used at all; ``str()`` says why, after the file's name."""


def load_toml(path: Path) -> dict[str, Any]:
    """The TOML document in ``path``; ``ContentFileError`` when it cannot be used."""
    text = _text(path, MAX_TOML_BYTES)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentFileError(sentence(N_("is not valid TOML: {problem}"), problem=exc)) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise _too_deep() from None
    _check_depth(data)
    return data


def load_json(path: Path, limit: int = MAX_JSON_BYTES) -> Any:
    """The JSON document in ``path``; ``ContentFileError`` when it cannot be used."""
    text = _text(path, limit)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContentFileError(sentence(N_("is not valid JSON: {problem}"), problem=exc)) from None
    except RecursionError:
        raise _too_deep() from None
    _check_depth(data)
    return data


def _text(path: Path, limit: int) -> str:
    try:
        raw = read_regular_file(path, limit)
    except NotRegularFileError:
        raise ContentFileError(sentence(N_("is not a regular file (a device, a pipe or a folder); a content file "
                                           "must be a file of text"))) from None
    except FileTooLargeError:
        raise ContentFileError(sentence(N_("is larger than {size} KB, far more than any content file; it is not "
                                           "read"), size=limit // 1024)) from None
    except OSError as exc:
        raise ContentFileError(sentence(N_("cannot be read ({reason})"), reason=exc.strerror or exc)) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentFileError(sentence(N_("is not UTF-8 text"))) from None


def _too_deep() -> ContentFileError:
    return ContentFileError(sentence(N_("is nested more than {depth} levels deep (arrays or tables inside each "
                                        "other); content files never are"), depth=MAX_DEPTH))


def depth(value: Any) -> int:
    """How deep lists and tables nest in ``value`` (a plain value: 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level + 1)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def _check_depth(data: Any) -> None:
    if depth(data) > MAX_DEPTH:
        raise _too_deep()
