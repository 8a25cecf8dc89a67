"""Settings: defaults, atomic saves, and a damaged file kept aside — never overwritten."""

from __future__ import annotations

import json
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pytest

from co_app.core.foundation.settings import Settings, load_settings, save_settings


def _aside(folder: Path) -> list[Path]:
    return sorted(folder.glob("settings.json.corrupt-*"))


def test_missing_file_gives_defaults_and_no_message(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings, message = load_settings(path)
    assert message is None
    assert settings == Settings()
    assert settings.language is None
    assert settings.larger_text is False
    assert settings.subtitle_language == {}
    assert not path.exists()  # loading never writes


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    saved = Settings(language="fa_AF", larger_text=True,
                     subtitle_language={"germany-jena": "ar", "europe": "ti"})
    save_settings(path, saved)
    loaded, message = load_settings(path)
    assert message is None
    assert loaded == saved
    # Non-Latin text is stored readably, as UTF-8.
    saved2 = Settings(subtitle_language={"europe": "ትግርኛ"})
    save_settings(path, saved2)
    assert "ትግርኛ" in path.read_text(encoding="utf-8")
    assert load_settings(path)[0].subtitle_language == {"europe": "ትግርኛ"}


def test_save_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    for n in range(5):
        save_settings(path, Settings(language="ar" if n % 2 else "fr", larger_text=bool(n % 2)))
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]
    assert load_settings(path)[0].language == "fr"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    json.loads(path.read_text(encoding="utf-8"))  # a complete JSON document


CORRUPT_FILES = {
    "not JSON": b'{"language": "ar", ',
    "empty file": b"",
    "not UTF-8": b"\xff\xfe\x00garbage",
    "wrong type": b'{"larger_text": "yes"}',
    "wrong type in a map": b'{"subtitle_language": {"europe": 3}}',
    "language not text": b'{"language": 7}',
    "not an object": b'["ar", "fr"]',
    "a bare string": b'"ar"',
}


@pytest.mark.parametrize("raw", CORRUPT_FILES.values(), ids=CORRUPT_FILES.keys())
def test_damaged_file_is_kept_aside_and_defaults_used(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(raw)
    settings, message = load_settings(path)

    assert settings == Settings()
    assert message is not None
    assert str(path) in message
    kept = _aside(tmp_path)
    assert len(kept) == 1
    assert kept[0].read_bytes() == raw  # the user's bytes, untouched
    assert kept[0].name in message  # the user is told where it went
    assert not path.exists()  # the original name is free for a fresh file

    # Saving afterwards writes a fresh file and leaves the damaged copy alone.
    save_settings(path, Settings(language="ar"))
    assert load_settings(path) == (Settings(language="ar"), None)
    assert _aside(tmp_path) == kept
    assert kept[0].read_bytes() == raw


def test_two_damaged_files_are_both_kept(tmp_path: Path) -> None:
    """Damaged twice within the same second: the first copy must not be overwritten."""
    path = tmp_path / "settings.json"
    path.write_bytes(b"first {")
    load_settings(path)
    path.write_bytes(b"second {")
    _, message = load_settings(path)
    assert message is not None
    kept = _aside(tmp_path)
    assert sorted(p.read_bytes() for p in kept) == [b"first {", b"second {"]


def test_unknown_keys_from_a_newer_version_survive_a_save(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    future = {
        "version": 7,
        "language": "ti",
        "projector_screen": {"index": 2, "mirror": False},
        "kiosk_pin_hint": "ask the facilitator",
    }
    path.write_text(json.dumps(future), encoding="utf-8")
    settings, message = load_settings(path)
    assert message is None
    assert settings.language == "ti"

    settings.larger_text = True
    save_settings(path, settings)
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["projector_screen"] == {"index": 2, "mirror": False}
    assert stored["kiosk_pin_hint"] == "ask the facilitator"
    assert stored["language"] == "ti"
    assert stored["larger_text"] is True
    assert _aside(tmp_path) == []


def test_unreadable_file_is_not_written_over(tmp_path: Path) -> None:
    """A settings "file" that cannot be read (here: a folder) gives defaults and a
    message, and a later save does not destroy what is there."""
    path = tmp_path / "settings.json"
    path.mkdir()
    (path / "inside").write_text("keep", encoding="utf-8")
    settings, message = load_settings(path)
    assert message is not None
    assert str(path) in message
    assert settings.language is None and settings.larger_text is False
    save_settings(path, settings)  # no exception
    assert (path / "inside").read_text(encoding="utf-8") == "keep"


# A setting added later: a subclass stands in for a new field written into Settings.
@dataclass
class _WithNewFields(Settings):
    volume: float = 0.8
    recent_towns: list[str] = field(default_factory=list)
    projector: int | None = None
    caption_size: Literal["small", "large"] = "small"


def test_a_new_field_round_trips_without_a_second_edit(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    saved = _WithNewFields(language="ar", volume=0.5, recent_towns=["germany-jena", "europe"],
                           projector=2, caption_size="large")
    save_settings(path, saved)
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["recent_towns"] == ["germany-jena", "europe"]
    loaded, message = load_settings(path, _WithNewFields)
    assert message is None
    assert type(loaded) is _WithNewFields
    assert loaded == saved
    # Loaded a second time (the "second start"): still the same.
    save_settings(path, loaded)
    assert load_settings(path, _WithNewFields) == (saved, None)


def test_a_file_from_an_older_version_loads_the_new_field_with_its_default(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(path, Settings(language="ti", larger_text=True))  # written before the new fields
    loaded, message = load_settings(path, _WithNewFields)
    assert message is None
    assert loaded == _WithNewFields(language="ti", larger_text=True)
    assert loaded.volume == 0.8 and loaded.recent_towns == [] and loaded.projector is None
    assert _aside(tmp_path) == []


NEW_FIELD_WRONG_TYPES = {
    "number as text": b'{"volume": "loud"}',
    "true is not a number": b'{"projector": true}',
    "list of numbers": b'{"recent_towns": [1, 2]}',
    "not a list": b'{"recent_towns": "europe"}',
    "outside the choices": b'{"caption_size": "huge"}',
}


@pytest.mark.parametrize("raw", NEW_FIELD_WRONG_TYPES.values(), ids=NEW_FIELD_WRONG_TYPES.keys())
def test_a_new_field_of_the_wrong_type_falls_back_to_the_defaults(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(raw)
    settings, message = load_settings(path, _WithNewFields)
    assert settings == _WithNewFields()
    assert message is not None
    kept = _aside(tmp_path)
    assert len(kept) == 1 and kept[0].read_bytes() == raw
    assert kept[0].name in message


def test_a_field_json_cannot_hold_is_refused_at_once() -> None:
    @dataclass
    class _Bad(Settings):
        window: tuple[int, int] = (0, 0)

    with pytest.raises(TypeError, match="cannot be stored as JSON"):
        load_settings(Path("unused"), _Bad)
