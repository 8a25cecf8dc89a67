"""argparse's own refusals speak --lang's language (issue 20, point 5).

``main.py --lang ar nosuchcommand`` said "invalid choice: 'nosuchcommand' (choose from …)"
in English: argparse takes its words from gettext's global domain, never from our catalogs,
and it ran before --lang was applied.  Now --lang (or $CO_APP_LANG) is read first and
argparse's words come from our catalogs (co_app/cli/argparse_messages.py).  Run as a user
runs it: real ``python main.py`` processes, and main() itself for the in-process hook.
"""

from __future__ import annotations

import argparse
import ast
import gettext
import os
import re
import subprocess
import sys

import pytest

from co_app.cli.argparse_messages import PLURALS, USER_FACING
from co_app.core.foundation import i18n
from tests.system.test_cli import REPO, TIMEOUT, run

ARABIC = re.compile("[\u0600-\u06ff]")
#: argparse's English words, none of which an Arabic refusal may print.
ENGLISH = ("usage", "error", "required", "invalid", "choice", "choose", "unrecognized", "expected", "argument",
           "Run ", "for usage", "not a date")

#: argparse's messages that only a programming error of ours could show (a parser built
#: wrongly, a FileType we do not use), and its default error line, which _Parser.error replaces.
DEVELOPER_ONLY = {
    ".__call__() not defined", "conflicting subparser: %s", "conflicting subparser alias: %s",
    'argument "-" with mode %r', "can't open '%(filename)s': %(error)s", "cannot merge actions - two groups are "
    "named %r", "'required' is an invalid argument for positionals", "invalid option string %(option)r: must start "
    "with a character %(prefix_chars)r", "dest= is required for options like %r", "invalid conflict_resolution "
    "value: %r", "conflicting option string: %s", "mutually exclusive arguments must be optional",
    "cannot have multiple subparser arguments", "%r is not callable", "%(prog)s: error: %(message)s\n",
}


def one_arabic_line(result, *, naming: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr and result.stdout == "", result.stderr
    [line] = result.stderr.strip().splitlines()
    assert naming in line and ARABIC.search(line), line
    assert not [word for word in ENGLISH if word in line], line
    return line


@pytest.mark.parametrize(("args", "naming"), [
    (("attendance", "export", "--bogus"), "--format, --out"),  # required arguments missing (before --bogus)
    (("nosuchcommand",), "'nosuchcommand'"),
    (("attendance", "export", "--format", "csv", "--out", "x.csv", "--bogus"), "--bogus"),
    (("attendance", "export", "--out", "x.csv", "--format"), "--format"),  # expected one argument
    (("attendance", "export", "--format", "pdf", "--out", "x.pdf"), "'pdf'"),  # invalid choice
    (("report", "--from", "2026-13-01"), "'2026-13-01'"),  # our type's refusal inside argparse's
    (("sync", "held", "--accept", "x"), "'x'"),  # invalid number_or_all value
], ids=["required", "command", "unrecognized", "one-argument", "choice", "date", "type"])
def test_a_usage_error_is_one_arabic_line_and_exit_2(args: tuple[str, ...], naming: str) -> None:
    one_arabic_line(run("--lang", "ar", *args), naming=naming)


def test_the_arabic_sentences_are_the_catalogs() -> None:
    line = one_arabic_line(run("--lang", "ar", "nosuchcommand"), naming="nosuchcommand")
    assert line.startswith("main.py: الوسيط COMMAND: اختيار غير صالح: 'nosuchcommand' (اختر من 'media', ")
    assert line.endswith(". شغّل 'python main.py --help' لمعرفة طريقة الاستخدام.")
    line = one_arabic_line(run("--lang", "ar", "attendance", "export"), naming="--format")
    assert line.startswith("main.py attendance export: الوسائط التالية مطلوبة: --format, --out. ")


def test_the_language_may_come_from_co_app_lang_or_after_an_equals_sign() -> None:
    one_arabic_line(run("attendance", "export", "--bogus", env={"CO_APP_LANG": "ar"}), naming="--format")
    one_arabic_line(run("--lang=ar", "nosuchcommand"), naming="nosuchcommand")
    one_arabic_line(run("--lang", "fr", "--lang", "ar", "nosuchcommand"), naming="nosuchcommand")  # the last one
    french = run("--lang", "fr", "nosuchcommand")
    assert french.returncode == 2 and "choix invalide : 'nosuchcommand'" in french.stderr, french.stderr


def test_english_stays_as_it_was() -> None:
    result = run("nosuchcommand")
    assert result.returncode == 2
    assert result.stderr.startswith("main.py: argument COMMAND: invalid choice: 'nosuchcommand' (choose from 'media'")
    assert result.stderr.rstrip().endswith(". Run 'python main.py --help' for usage.")


def test_an_unknown_language_is_refused_in_english() -> None:
    result = run("--lang", "xx", "media", "list")
    assert result.returncode == 2 and "unknown language 'xx'" in result.stderr, result.stderr


def test_a_value_with_control_characters_is_shown_escaped() -> None:
    result = run("--lang", "ar", "attendance", "export", "--format", "csv", "--out", "x.csv", "\x1b[2Jred\nline")
    line = one_arabic_line(result, naming="\\x1b[2Jred\\nline")
    assert "\x1b" not in line


def test_help_is_headed_in_arabic() -> None:
    result = run("--lang", "ar", "media", "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("الاستخدام: main.py media ")
    assert "الخيارات:" in result.stdout and "اعرض رسالة المساعدة هذه واخرج" in result.stdout
    assert "usage:" not in result.stdout and "show this help message" not in result.stdout
    top = run("--lang", "ar", "--help")
    assert "اعرض رقم إصدار البرنامج واخرج" in top.stdout  # --version's help, which argparse leaves English


def test_the_window_s_own_refusals_speak_arabic_too() -> None:
    """Before the window opens main.py refuses in one line: no screen, or the viewer over a hub."""
    line = one_arabic_line(run("--lang", "ar", "--kiosk", "--db", "postgresql://office/hub"), naming="--kiosk")
    assert line.startswith("خطأ: ")
    environ = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "main.py", "--lang", "ar"], cwd=REPO, env=environ, capture_output=True,
                            text=True, timeout=TIMEOUT)
    line = one_arabic_line(result, naming="DISPLAY")
    assert line.startswith("خطأ: ") and "'media list'" in line


@pytest.fixture
def english_again():
    yield
    i18n.set_language("en")


def test_main_says_it_in_arabic_and_leaves_argparse_as_it_was(capsys, english_again) -> None:
    from co_app.app import main

    with pytest.raises(SystemExit) as stopped:
        main(["--lang", "ar", "attendance", "export", "--out", "x.csv"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "الوسائط التالية مطلوبة: --format" in err and "required" not in err, err
    # argparse's hook is given back: another parser of this process still says it in English.
    assert argparse._ is gettext.gettext and argparse.ngettext is gettext.ngettext  # type: ignore[attr-defined]


def _argparse_msgids() -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(open(argparse.__file__, encoding="utf-8").read())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
            if node.args and isinstance(node.args[0], ast.Constant):
                found.add(node.args[0].value)
    return found


def test_every_message_of_argparse_is_in_our_catalogs_or_knowingly_left_out() -> None:
    """A new Python's new argparse message is noticed here, and every one we translate is
    one argparse really says (the msgid must match to the letter)."""
    ours = set(USER_FACING) | {singular for singular, _plural in PLURALS}
    said = _argparse_msgids()
    assert not ours - said, f"not argparse's messages (any more): {sorted(ours - said)}"
    assert not said - ours - DEVELOPER_ONLY, f"argparse messages neither translated nor left out: " \
                                              f"{sorted(said - ours - DEVELOPER_ONLY)}"
