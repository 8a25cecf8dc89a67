"""User settings: declared once here with their defaults, stored as JSON.

A settings file that cannot be read is never silently overwritten: it is renamed to
``settings.json.corrupt-<time>`` beside the original, the defaults are used, and the
caller gets a message to show the user.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from co_app.core.foundation.errors import Notice
from co_app.core.foundation.fileio import atomic_write_text
from co_app.core.foundation.i18n import N_

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1


@dataclass
class Settings:
    """Every setting, its type and its default.  Adding one here is all it takes."""

    #: Interface language (gettext code such as "ar" or "fa_AF"); None = system language.
    language: str | None = None
    #: Bigger type everywhere (the kiosk mode always uses it).
    larger_text: bool = False
    #: Subtitle language chosen per film id, remembered between sessions.
    subtitle_language: dict[str, str] = field(default_factory=dict)
    #: Keys written by a newer version of the application, kept as they were.
    unknown: dict[str, Any] = field(default_factory=dict, repr=False)
    #: True when a damaged file could not be moved aside: never write over it then.
    read_only: bool = field(default=False, repr=False)


_FIELDS = {f.name: f for f in dataclasses.fields(Settings) if f.name not in ("unknown", "read_only")}
_TYPE_CHECKS = {
    "language": lambda v: v is None or isinstance(v, str),
    "larger_text": lambda v: isinstance(v, bool),
    "subtitle_language": lambda v: isinstance(v, dict)
    and all(isinstance(k, str) and isinstance(x, str) for k, x in v.items()),
}


class _Corrupt(ValueError):
    pass


def _parse(raw: bytes) -> Settings:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _Corrupt(f"it is not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise _Corrupt("it does not hold a JSON object")
    values: dict[str, Any] = {}
    unknown: dict[str, Any] = {}
    for key, value in data.items():
        if key == "version":
            continue
        if key in _FIELDS:
            if not _TYPE_CHECKS[key](value):
                raise _Corrupt(f"the setting '{key}' has a value of the wrong type")
            values[key] = value
        else:
            unknown[key] = value
    return Settings(**values, unknown=unknown)


def load_settings(path: Path) -> tuple[Settings, Notice | None]:
    """Read the settings; returns them and, when the file was corrupt, a notice for the user."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings(), None
    except OSError as exc:
        # Unreadable is not the same as absent: never write over what we could not read.
        return Settings(read_only=True), Notice(
            N_("Cannot read the settings file {path} ({reason}); using the defaults without saving them."),
            path=path, reason=exc.strerror or exc,
        )
    try:
        return _parse(raw), None
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
            return Settings(read_only=True), Notice(
                N_("The settings file {path} is damaged and could not be moved aside; "
                   "using the defaults without saving them."),
                path=path,
            )
        log.warning("settings file was corrupt (%s); kept as %s", exc, aside.name)
        return Settings(), Notice(
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
    for name in _FIELDS:
        data[name] = getattr(settings, name)
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
