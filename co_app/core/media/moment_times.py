"""Moments confirmed against the real film: the office plays it, marks a moment's start and
end, and the times are written into the film manifest of its content folder
(``<folder>/films.toml``), ready for the next content pack (co_app/core/content/pack.py).

Only the moment's ``start``, ``end`` and ``confirmed`` lines change: the rest of the file —
its comments, order and other films — stays as its maintainers wrote it.  The new file is
checked by the manifest's own rules before it replaces the old one.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from co_app.core.foundation.errors import ManifestError, Notice
from co_app.core.foundation.i18n import N_


class MomentTimesError(ManifestError):
    """The times cannot be saved: ``str()`` in English, ``notice.translated()`` in the
    interface language."""

    def __init__(self, template: str, **params: object) -> None:
        self.notice = Notice(template, **params)
        super().__init__(str(self.notice))

_TABLE_RE = re.compile(r"^\s*\[\[\s*([a-z.]+)\s*\]\]\s*$")
_KEY_RE = re.compile(r"^(\s*)([A-Za-z_]+)\s*=\s*(.*)$")


def format_time(ms: int) -> str:
    """Milliseconds as the manifest writes a time, to a tenth: "01:05.3", "1:02:10.0"."""
    tenths = round(max(0, ms) / 100)
    seconds, tenth = divmod(tenths, 10)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    clock = f"{hours}:{minute:02d}:{second:02d}" if hours else f"{minute:02d}:{second:02d}"
    return f"{clock}.{tenth}"


def _unquote(value: str) -> str:
    value = value.split("#", 1)[0].strip()
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def _tables(lines: list[str]):  # (table name, first line, line after the last)
    heads = [i for i, line in enumerate(lines) if _TABLE_RE.match(line)]
    for k, head in enumerate(heads):
        yield _TABLE_RE.match(lines[head]).group(1), head, heads[k + 1] if k + 1 < len(heads) else len(lines)


def _id_in(lines: list[str], start: int, end: int) -> str | None:
    for line in lines[start + 1:end]:
        key = _KEY_RE.match(line)
        if key and key.group(2) == "id":
            return _unquote(key.group(3))
    return None


def set_times_in_text(text: str, film_id: str, moment_id: str, start_ms: int, end_ms: int) -> str:
    """``text`` (a films.toml) with the moment's times set and marked confirmed."""
    lines = text.splitlines(keepends=True)
    film, found = None, None
    for name, start, end in _tables(lines):
        if name == "film":
            film = _id_in(lines, start, end)
        elif name == "film.moment" and film == film_id and _id_in(lines, start, end) == moment_id:
            found = (start, end)
    if found is None:
        raise MomentTimesError(N_("The film manifest has no moment {moment} of the film {film}."), moment=moment_id,
                               film=film_id)
    values = {"start": f'"{format_time(start_ms)}"', "end": f'"{format_time(end_ms)}"', "confirmed": "true"}
    last = found[0]
    for number in range(found[0] + 1, found[1]):
        key = _KEY_RE.match(lines[number])
        if key:
            last = number
            if key.group(2) in values:
                lines[number] = f"{key.group(1)}{key.group(2)} = {values.pop(key.group(2))}\n"
    lines[last + 1:last + 1] = [f"{name} = {value}\n" for name, value in values.items()]
    return "".join(lines)


def save_moment_times(folder: Path, source: Path, film_id: str, moment_id: str, start_ms: int,
                      end_ms: int) -> Path:
    """Write the moment's confirmed times into ``<folder>/films.toml`` (a copy of ``source``,
    the manifest in use, when the folder has none yet); returns the file.  Raises
    ManifestError with a sentence when the times or the file are not right."""
    from co_app.core.foundation.fileio import atomic_write_text, describe, temp_name
    from co_app.core.media.manifest import load_manifest

    if end_ms <= start_ms:
        raise MomentTimesError(N_("The end ({end}) must come after the start ({start})."), end=format_time(end_ms),
                               start=format_time(start_ms))
    folder = Path(folder)
    target = folder / "films.toml"
    try:
        if not folder.is_dir():
            raise MomentTimesError(N_("The content folder {folder} does not exist."), folder=str(folder))
        if not target.is_file():
            shutil.copyfile(source, target)
        new_text = set_times_in_text(target.read_text(encoding="utf-8"), film_id, moment_id, start_ms, end_ms)
        probe = temp_name(target)
        probe.write_text(new_text, encoding="utf-8")
        try:
            load_manifest(probe)  # the manifest's own rules, before the file is replaced
        finally:
            probe.unlink(missing_ok=True)
        atomic_write_text(target, new_text, mode=0o644)
    except OSError as exc:
        raise MomentTimesError(N_("Cannot write {file}: {reason}."), file=str(target), reason=describe(exc)) from None
    return target
