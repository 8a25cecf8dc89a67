"""The layers of DESIGN.md, enforced: the core never imports Qt, libVLC, the UI or the
player; only the player's libVLC adapter imports vlc; the player never imports Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "co_app"

CORE_FORBIDDEN = ("PySide6", "shiboken6", "vlc", "co_app.ui", "co_app.player")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, source: str | None = None) -> set[str]:
    """Every module ``path`` imports: import / from-import (relative ones resolved),
    and string literals given to importlib.import_module() or __import__()."""
    if source is None:
        source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                prefix = ".".join(base)
                target = f"{prefix}.{node.module}" if node.module else prefix
            else:
                target = node.module or ""
            found.add(target)
            # "from co_app import ui" imports co_app.ui
            found.update(f"{target}.{alias.name}" for alias in node.names if alias.name != "*")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in ("import_module", "__import__") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
    return found


def forbidden_imports(path: Path, forbidden: tuple[str, ...], source: str | None = None) -> list[str]:
    return sorted(m for m in imported_modules(path, source)
                  if any(m == f or m.startswith(f + ".") for f in forbidden))


def offenders(files: list[Path], forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    bad: dict[str, list[str]] = {}
    for path in files:
        hits = forbidden_imports(path, forbidden)
        if hits:
            bad[str(path.relative_to(REPO))] = hits
    return bad


def py_files(folder: Path) -> list[Path]:
    files = sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)
    assert files, folder
    return files


#: STYLE.md 6: a module stays under 500 lines (code and tests alike); split a larger one by topic.
MAX_MODULE_LINES = 500
SIZED_FOLDERS = ("co_app", "tests", "benchmarks")


def oversized(files: list[Path], root: Path = REPO, limit: int = MAX_MODULE_LINES) -> dict[str, int]:
    """Every file of ``files`` with ``limit`` lines or more: its path (from ``root``) → its lines."""
    counts = {path: len(path.read_text(encoding="utf-8").splitlines()) for path in files}
    return {path.relative_to(root).as_posix(): n for path, n in counts.items() if n >= limit}


# --- the checker itself finds what it must ----------------------------------------


@pytest.mark.parametrize("source,expected", [
    ("import PySide6.QtWidgets", "PySide6.QtWidgets"),
    ("from PySide6 import QtCore", "PySide6"),
    ("import vlc", "vlc"),
    ("from co_app.ui.shell.widgets import Big", "co_app.ui.shell.widgets"),
    ("from co_app import ui", "co_app.ui"),
    ("from ...ui import widgets", "co_app.ui"),
    ("from ...player import fake", "co_app.player"),
    ("def f():\n    import vlc\n", "vlc"),
    ("import importlib\nimportlib.import_module('PySide6.QtGui')", "PySide6.QtGui"),
    ("__import__('vlc')", "vlc"),
])
def test_checker_catches_every_form(source: str, expected: str) -> None:
    probe = PACKAGE / "core" / "db" / "_layer_probe.py"  # a would-be core module; never written
    assert expected in imported_modules(probe, source)
    assert forbidden_imports(probe, CORE_FORBIDDEN, source)


def test_checker_resolves_relative_imports_from_where_the_file_is() -> None:
    probe = PACKAGE / "core" / "db" / "_layer_probe.py"
    assert imported_modules(probe, "from ..ui import x") >= {"co_app.core.ui"}  # not co_app.ui
    assert imported_modules(PACKAGE / "core" / "__init__.py", "from ..ui import x") >= {"co_app.ui"}


def test_checker_leaves_allowed_imports_alone() -> None:
    probe = PACKAGE / "core" / "_layer_probe.py"
    source = ("import sqlalchemy\nfrom . import i18n\nfrom .db import models\nimport vlcish\n"
              "from co_app.core.foundation.errors import CoError\nfrom co_app import APP_NAME\n")
    assert forbidden_imports(probe, CORE_FORBIDDEN, source) == []


def test_size_checker_names_each_file_at_or_over_the_limit(tmp_path: Path) -> None:
    for name, lines in (("small.py", 499), ("at_limit.py", 500), ("over.py", 517)):
        (tmp_path / name).write_text("x = 1\n" * lines, encoding="utf-8")
    assert oversized(py_files(tmp_path), root=tmp_path) == {"at_limit.py": 500, "over.py": 517}


# --- the rules --------------------------------------------------------------------


def test_core_imports_no_qt_vlc_ui_or_player() -> None:
    files = py_files(PACKAGE / "core")
    assert PACKAGE / "core" / "db" / "migrations" / "env.py" in files  # migrations count too
    assert offenders(files, CORE_FORBIDDEN) == {}


def test_command_line_imports_no_qt_vlc_or_ui() -> None:
    assert offenders(py_files(PACKAGE / "cli"), ("PySide6", "shiboken6", "vlc", "co_app.ui", "co_app.player")) == {}


def test_player_never_imports_qt_or_ui() -> None:
    assert offenders(py_files(PACKAGE / "player"), ("PySide6", "shiboken6", "co_app.ui")) == {}


def test_only_the_vlc_adapter_imports_vlc() -> None:
    importers = sorted(
        str(p.relative_to(REPO)) for p in py_files(PACKAGE)
        if any(m == "vlc" or m.startswith("vlc.") for m in imported_modules(p))
    )
    assert importers == ["co_app/player/vlc_backend.py"]


def test_ui_never_imports_vlc() -> None:
    assert offenders(py_files(PACKAGE / "ui"), ("vlc",)) == {}


def test_importing_the_core_and_cli_loads_no_qt_or_vlc() -> None:
    code = (
        "import pkgutil, importlib, sys\n"
        "import co_app.core, co_app.core.bootstrap, co_app.cli\n"
        "for info in pkgutil.walk_packages(co_app.core.__path__, 'co_app.core.'):\n"
        "    importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'vlc', 'co_app.ui',"
        " 'co_app.player')))\n"
        "assert not bad, bad\n"
        "print(len([m for m in sys.modules if m.startswith('co_app.core')]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 10  # the walk really imported the core


def test_a_cli_command_runs_without_qt_or_vlc(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from co_app.app import main\n"
        f"rc = main(['--data-dir', {str(tmp_path / 'd')!r}, 'media', 'list', '--json'])\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'vlc')))\n"
        "assert rc == 0 and not bad, (rc, bad)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_every_module_stays_under_500_lines() -> None:
    """Code, tests and benchmarks: a file that grew past the limit is named, with its lines."""
    files = [path for folder in SIZED_FOLDERS for path in py_files(REPO / folder)]
    too_big = oversized(files)
    assert not too_big, f"{len(too_big)} module(s) of {MAX_MODULE_LINES} lines or more; split by topic: " + \
        ", ".join(f"{path} ({lines} lines)" for path, lines in sorted(too_big.items()))
