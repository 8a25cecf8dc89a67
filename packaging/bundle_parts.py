"""What every platform's PyInstaller spec shares: the application's modules and data.

Imported by packaging/<platform>/co-app.spec (PyInstaller runs a spec as Python with
SPECPATH set); standard library and PyInstaller only.
"""

from __future__ import annotations

from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

ROOT = Path(__file__).resolve().parents[1]
ENTRY = str(ROOT / "main.py")
RUNTIME_HOOK = str(ROOT / "packaging" / "runtime_hook_vlc.py")
NAME = "co-app"  # the executable; the folder is welcoming-communities-co (co_app.APP_SLUG)


def hidden_imports() -> list[str]:
    """Every module of co_app: pages, commands and migrations are imported inside functions
    or by name, which PyInstaller's scan may miss."""
    return collect_submodules("co_app")


def datas() -> list[tuple[str, str]]:
    """Content, compiled catalogs (.mo), the film manifest and the fonts (package data, read
    through importlib.resources), and Alembic's migration scripts, which Alembic reads as
    files.  The .po sources stay out: the application reads only the .mo files."""
    found = collect_data_files("co_app", excludes=["**/*.po", "**/*.pot", "**/__pycache__"])
    found += collect_data_files("co_app.core.db", include_py_files=True, subdir="migrations",
                                excludes=["**/__pycache__"])
    if not any(dest.endswith("LC_MESSAGES") for _src, dest in found):
        raise SystemExit("the message catalogs are not compiled (co_app/data/locales/*/LC_MESSAGES/*.mo); "
                         "run `python3 dev.py catalogs` or use `python3 dev.py dist`")
    return found


#: Never needed at run time: test tools, and the Python standard library's Tk.
EXCLUDES = ["tkinter", "pytest", "_pytest", "hypothesis", "pytestqt", "pypdf", "ruff", "setuptools", "pip",
            "PyInstaller"]
