"""The domains of DESIGN.md, enforced: inside the core and the UI each domain folder imports
only the domains below it, and no module takes a private name (``_x``) from another.

    foundation ← db ← safety, media ← content; safety ← people
                 ← sessions ← attendance ← sync

A failure names the rule and every offending import, e.g.
``core/people may import only foundation, db, safety: co_app/core/people/roster.py imports
co_app.core.attendance.checkin``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.system.test_layers import PACKAGE, REPO, imported_modules, py_files

#: What each core domain may import besides itself.  A new domain (learning, office) gets
#: its line here, and README's "Project layout" says the same.
CORE_ALLOWED: dict[str, set[str]] = {
    "foundation": set(),
    "db": {"foundation"},
    "safety": {"foundation", "db"},
    "media": {"foundation", "db"},
    "content": {"foundation", "db", "media"},
    "people": {"foundation", "db", "safety"},
    "sessions": {"foundation", "db", "safety", "media", "content", "people"},
    "attendance": {"foundation", "db", "safety", "media", "content", "people", "sessions"},
    "learning": {"foundation", "db", "safety", "media", "content", "people", "sessions", "attendance"},
    "sync": {"foundation", "db", "safety", "media", "content", "people", "sessions", "attendance", "learning"},
    "office": {"foundation", "db", "safety", "media", "content", "people", "sessions", "attendance", "learning",
               "sync"},
}
#: The UI mirrors the core: ui/<domain> may use the core domains its core twin may, the
#: UI domains of those, the player and ui/shell's widgets.  ui/shell builds the window, so
#: it may open every domain's page (and every domain may use its theme and widgets).
CORE_DOMAINS = set(CORE_ALLOWED)
#: Where the UI may go further than the core: the participants tab and the roster import
#: are pages of a session, and a closed session asks for the PIN first (ui/sessions/lock.py).
#: The learning check is a step of running a session (the runner, ui/sessions) and its
#: figures a part of a session's report (ui/attendance): both use ui/learning and its core.
UI_EXTRA: dict[str, set[str]] = {"people": {"sessions"}, "sessions": {"learning"}, "attendance": {"learning"}}


def _domain(module: str, layer: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 3 and parts[:2] == ["co_app", layer]:
        return parts[2]
    return None


def _module(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _targets(path: Path) -> list[str]:
    """What ``path`` imports from co_app, one entry per module: ``from co_app.core.db import
    models`` is co_app.core.db.models, not also co_app.core.db."""
    found = {".".join(m.split(".")[:4]) for m in imported_modules(path) if m.startswith("co_app.")}
    return sorted(m for m in found if not any(other.startswith(m + ".") for other in found))


def core_offences(files: list[Path]) -> list[str]:
    found = []
    for path in files:
        own = _domain(_module(path), "core")
        if own not in CORE_ALLOWED:  # core/bootstrap.py composes every domain: no rule
            continue
        allowed = CORE_ALLOWED[own] | {own}
        for target in _targets(path):
            theirs = _domain(target, "core")
            if theirs in CORE_DOMAINS and theirs not in allowed:
                found.append(f"core/{own} may import only {', '.join(sorted(CORE_ALLOWED[own])) or 'nothing'}: "
                             f"{path.relative_to(REPO)} imports {target}")
    return found


def ui_offences(files: list[Path]) -> list[str]:
    found = []
    for path in files:
        own = _domain(_module(path), "ui")
        if own is None or own == "shell":
            continue
        assert own in CORE_ALLOWED, f"ui/{own} has no core twin; name UI folders after core domains"
        allowed = CORE_ALLOWED[own] | UI_EXTRA.get(own, set()) | {own}
        for target in _targets(path):
            for layer in ("core", "ui"):
                theirs = _domain(target, layer)
                if theirs in CORE_DOMAINS and theirs not in allowed:
                    found.append(f"ui/{own} may use only the domains {', '.join(sorted(allowed))} (and ui/shell): "
                                 f"{path.relative_to(REPO)} imports {target}")
    return found


def private_offences(files: list[Path]) -> list[str]:
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("co_app"):
                for alias in node.names:
                    name = alias.name
                    if name.startswith("_") and name != "_" and not (name.startswith("__") and name.endswith("__")):
                        found.append(f"no private name across modules: {path.relative_to(REPO)} imports "
                                     f"{name} from {node.module}")
    return found


# --- the checker finds what it must ------------------------------------------------


@pytest.mark.parametrize("relative,source,expected", [
    ("core/foundation/x.py", "from co_app.core.db import models", "core/foundation may import only nothing"),
    ("core/db/x.py", "from co_app.core.media.library import load_records", "core/db may import only foundation"),
    ("core/people/x.py", "from co_app.core.attendance.checkin import normalise", "core/people may import only"),
    ("core/media/x.py", "from co_app.core import sync", "core/media may import only db, foundation"),
    ("core/content/x.py", "import co_app.core.attendance.reports", "core/content may import only"),
])
def test_a_core_offence_is_named(tmp_path: Path, relative: str, source: str, expected: str) -> None:
    probe = PACKAGE / relative  # never written: imported_modules reads the source given
    [offence] = [o for o in _offences_of(probe, source, core_offences)]
    assert offence.startswith(expected) and str(probe.relative_to(REPO)) in offence


def test_a_ui_offence_and_a_private_import_are_named() -> None:
    probe = PACKAGE / "ui" / "media" / "x.py"
    [offence] = _offences_of(probe, "from co_app.ui.attendance.checkin import CheckInPanel", ui_offences)
    assert "ui/media may use only" in offence and "co_app.ui.attendance.checkin" in offence
    [offence] = _offences_of(probe, "from co_app.core.foundation.fileio import _secret", private_offences)
    assert "_secret" in offence
    assert _offences_of(probe, "from co_app.core.foundation.i18n import _, N_\nfrom co_app import __version__",
                        private_offences) == []


def _offences_of(probe: Path, source: str, check) -> list[str]:
    probe.parent.mkdir(parents=True, exist_ok=True)
    existed = probe.exists()
    assert not existed
    try:
        probe.write_text(source, encoding="utf-8")
        return check([probe])
    finally:
        probe.unlink()


# --- the rules ----------------------------------------------------------------------


def test_core_domains_import_only_the_domains_below_them() -> None:
    assert core_offences(py_files(PACKAGE / "core")) == []


def test_ui_domains_mirror_the_core_rules() -> None:
    assert ui_offences(py_files(PACKAGE / "ui")) == []


def test_no_private_name_is_imported_across_modules() -> None:
    assert private_offences(py_files(PACKAGE)) == []


def test_every_domain_has_the_same_name_in_core_ui_and_tests() -> None:
    core = {p.name for p in (PACKAGE / "core").iterdir() if p.is_dir() and p.name in CORE_ALLOWED}
    ui = {p.name for p in (PACKAGE / "ui").iterdir() if (p / "__init__.py").exists()} - {"shell"}
    tests_core = {p.name for p in (REPO / "tests" / "core").iterdir() if (p / "__init__.py").exists()}
    tests_ui = {p.name for p in (REPO / "tests" / "ui").iterdir() if (p / "__init__.py").exists()} - {"shell"}
    assert core == CORE_DOMAINS
    assert ui <= CORE_DOMAINS and tests_ui <= CORE_DOMAINS and tests_core <= CORE_DOMAINS
