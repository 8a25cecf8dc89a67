"""User settings: declared once here with their defaults, stored as JSON.

A settings file that cannot be read is never silently overwritten: it is renamed to
``settings.json.corrupt-<time>`` beside the original, the defaults are used, and the
caller gets a message to show the user.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal, Union

from co_app.core.foundation.errors import Notice, sentence
from co_app.core.foundation.fileio import atomic_write_text
from co_app.core.foundation.i18n import N_

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1


@dataclass
class Settings:
    """Every setting, its type and its default.  Adding one here is all it takes: its
    annotation is the type a stored value is checked against, and a file without it
    loads with its default."""

    #: Interface language (gettext code such as "ar" or "fa_AF"); None = system language.
    language: str | None = None
    #: Bigger type everywhere (the kiosk mode always uses it).
    larger_text: bool = False
    #: Subtitle language chosen per film id, remembered between sessions.
    subtitle_language: dict[str, str] = field(default_factory=dict)
    #: The office console: a laptop whose last package was written more than this many days
    #: ago stands out in the list of laptops (co_app/core/office/laptops.py).
    office_silent_days: int = 14
    #: Keys written by a newer version of the application, kept as they were.
    unknown: dict[str, Any] = field(default_factory=dict, repr=False)
    #: True when a damaged file could not be moved aside: never write over it then.
    read_only: bool = field(default=False, repr=False)


#: Fields kept in memory only, never written as settings of their own.
_NOT_STORED = frozenset({"unknown", "read_only"})

_Check = Callable[[Any], bool]


def _check_for(hint: Any) -> _Check:
    """A test that a value read from JSON fits the type annotation ``hint``.

    Only types JSON gives back as they were saved are allowed; anything else (a tuple,
    a date, a nested dataclass) is refused when the module is imported, not on a
    user's second start.
    """
    if hint is Any:
        return lambda v: True
    if hint is type(None):
        return lambda v: v is None
    if hint is bool:
        return lambda v: isinstance(v, bool)
    if hint is int:  # JSON's true is not a number here
        return lambda v: isinstance(v, int) and not isinstance(v, bool)
    if hint is float:  # 2.0 may come back as 2
        return lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
    if hint is str:
        return lambda v: isinstance(v, str)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType):
        options = [_check_for(arg) for arg in args]
        return lambda v: any(check(v) for check in options)
    if origin is Literal:
        allowed = [(type(a), a) for a in args]  # type too: True == 1 but is not 1
        return lambda v: (type(v), v) in allowed
    if hint is list or origin is list:
        item = _check_for(args[0]) if args else _check_for(Any)
        return lambda v: isinstance(v, list) and all(item(x) for x in v)
    if hint is dict or origin is dict:
        if args and args[0] is not str:
            raise TypeError(f"settings: JSON object keys are text, not {args[0]!r}")
        value = _check_for(args[1]) if args else _check_for(Any)
        return lambda v: isinstance(v, dict) and all(
            isinstance(k, str) and value(x) for k, x in v.items())
    raise TypeError(f"settings: a value of type {hint!r} cannot be stored as JSON")


@functools.cache
def _stored_fields(kind: type[Settings]) -> dict[str, _Check]:
    """Each stored field of ``kind`` and the type test read from its own annotation."""
    hints = typing.get_type_hints(kind)
    return {f.name: _check_for(hints[f.name])
            for f in dataclasses.fields(kind) if f.name not in _NOT_STORED}


_stored_fields(Settings)  # a field of a type JSON cannot hold fails here, at import


class _Corrupt(ValueError):
    pass


def _parse(raw: bytes, kind: type[Settings]) -> Settings:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _Corrupt(sentence(N_("it is not valid JSON ({problem})"), problem=exc)) from exc
    if not isinstance(data, dict):
        raise _Corrupt(sentence(N_("it does not hold a JSON object")))
    checks = _stored_fields(kind)
    values: dict[str, Any] = {}
    unknown: dict[str, Any] = {}
    for key, value in data.items():
        if key == "version":
            continue
        if key in checks:
            if not checks[key](value):
                raise _Corrupt(sentence(N_("the setting '{key}' has a value of the wrong type"), key=key))
            values[key] = value
        else:
            unknown[key] = value
    return kind(**values, unknown=unknown)  # a field missing from the file keeps its default


def load_settings(path: Path, kind: type[Settings] = Settings) -> tuple[Settings, Notice | None]:
    """Read the settings; returns them and, when the file was corrupt, a notice for the user.

    Never raises for a bad file: the application starts on the defaults either way.
    ``kind`` is the settings class (a subclass in the tests).
    """
    _stored_fields(kind)  # a field JSON cannot hold is a programming error: raise it now
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return kind(), None
    except OSError as exc:
        # Unreadable is not the same as absent: never write over what we could not read.
        return kind(read_only=True), Notice(
            N_("Cannot read the settings file {path} ({reason}); using the defaults without saving them."),
            path=path, reason=exc.strerror or exc,
        )
    try:
        return _parse(raw, kind), None
    except _Corrupt as exc:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        aside = path.with_name(f"{path.name}.corrupt-{stamp}")
        n = 1
        while aside.exists():  # damaged twice in one second: rename() would overwrite
            n += 1
            aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        try:
            path.rename(aside)
        except OSError as rename_exc:
            log.error("could not keep the corrupt settings file aside: %s", rename_exc)
            return kind(read_only=True), Notice(
                N_("The settings file {path} is damaged and could not be moved aside; "
                   "using the defaults without saving them."),
                path=path,
            )
        log.warning("settings file was corrupt (%s); kept as %s", exc, aside.name)
        return kind(), Notice(
            N_("The settings file {path} was damaged. It has been kept as {kept} "
               "and the default settings are in use."),
            path=path, kept=aside.name,
        )


def save_settings(path: Path, settings: Settings) -> None:
    if settings.read_only:
        log.warning("settings not saved: the damaged file could not be kept aside")
        return
    data: dict[str, Any] = {"version": SETTINGS_VERSION}
    data.update(settings.unknown)
    for name in _stored_fields(type(settings)):
        data[name] = getattr(settings, name)
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
