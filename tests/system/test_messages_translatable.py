"""Every message the core raises and the command line prints goes through the catalogs.

An AST scan of ``co_app/core``, ``co_app/cli`` and ``co_app/app.py``: an error raised or built with English
text written in place (``raise XError(f"{path} is empty.")``, ``return XError("...")``),
a ``print(..., file=sys.stderr)`` of such text, or a ``sentence()``/``Notice()`` whose
template is not marked with ``N_`` fails this test, so a new English-only message cannot
slip in.  The way to write one: ``raise XError(sentence(N_("{file} is empty."), file=path))``
(``co_app.core.foundation.errors``), printed by the command line with ``terminal_text``.

The same holds for a refusal a function of the core returns or keeps instead of raising it
(``return f"{path} is truncated: …"``, ``problem = f"…"``, ``problems[lang] = f"…"``,
``SubtitleProblem(line, "The cue has no text.")``): the media check's refusals were such
text, stored in the database and shown in English on an Arabic screen.

Text without a letter in its written parts (``f"{file}: {problem}"``, a progress line
``f"[{done}/{total}] {film_id}"``) has nothing to translate and passes; so does a lone
identifier (``bad("given_name", N_("A name is needed…"))``: the field's key).

What the command line prints on stdout is read by a person too ("Wrote …", "Dry run: nothing
was changed."): in ``co_app/cli`` a ``print()`` or a ``.write()`` of English words written in
place fails, as on stderr; the way is ``say(N_("Wrote {file}."), file=path)`` or, with a
number, ``fill(ngettext(...), count=n)`` (co_app/cli/common.py).  JSON for scripts is built
from keys and values, not from such text, and is not concerned.  A content check's problem
(``reader.report(field, N_("is missing"))``, ``loader.problem(path, item, field,
N_("has no content yet"))``) is a template marked for the catalogs, never English in place.

And ``--lang ar`` shows a command's error in Arabic, its "error:" prefix too (run as a
user runs it, in a subprocess).
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = [ROOT / "co_app" / "core", ROOT / "co_app" / "cli", ROOT / "co_app" / "app.py"]

#: Exceptions that stay English, with the reason.  They are raised for a programming error
#: of the caller (a naive datetime given to a UTC column, an unknown audit action, a query
#: run on the wrong database): none is meant to reach a person as a sentence; if one ever
#: does, the command line says "unexpected ValueError …" and the log has the details.
DEVELOPER_ERRORS = {"ValueError", "TypeError", "RuntimeError", "KeyError", "AssertionError", "NotImplementedError"}

#: (file, exception) pairs allowed to stay English, with the reason.  (None now: argparse's
#: own words and our types' refusals speak --lang's language, co_app/cli/argparse_messages.py.)
ALLOWED: set[tuple[str, str]] = set()

#: Calls that build a user-facing error or message from their first argument.
MESSAGE_CALL = re.compile(r"(Error|Cancelled|Busy)$")
#: Calls that build a problem from any of their arguments (``SubtitleProblem(line, message)``).
PROBLEM_CALL = re.compile(r"Problem$")
#: Names (or the collections) that hold a refusal kept to be shown later.
MESSAGE_NAME = re.compile(r"(problem|error|reason|message)s?$")
#: The content check's problem builders, and which argument is the message:
#: ``Reader.report(field, template, …)``, ``_Loader.problem(path, item, field, template, …)``.
CONTENT_PROBLEM_ARG = {"report": 1, "problem": 3}
#: A terminal's control sequence (``"\r\033[K"`` clears a progress line): no word in it.
TERMINAL_CONTROL = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _has_words(node: ast.expr) -> bool:
    """A string literal or f-string (or a concatenation with one) whose written parts hold
    a letter: English text to translate."""
    if isinstance(node, ast.Constant):  # a lone identifier is a key (a field's name), not a word
        return (isinstance(node.value, str) and bool(re.search(r"[A-Za-z]", TERMINAL_CONTROL.sub("", node.value)))
                and not node.value.isidentifier())
    if isinstance(node, ast.JoinedStr):  # its written parts, and words written inside a value (f"{'in all':>8}")
        return any(_has_words(value.value if isinstance(value, ast.FormattedValue) else value) for value in node.values
                   if isinstance(value, ast.Constant) or (isinstance(value, ast.FormattedValue)
                                                          and isinstance(value.value, ast.Constant)))
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _has_words(node.left) or _has_words(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _has_words(node.func.value)
    return False


def _is_sentence(node: ast.expr) -> bool:
    """English words to translate that end like a sentence, with a full stop (a value such as
    'with names', a key or a line of SQL is not a message)."""
    if not _has_words(node):
        return False
    parts = [node] if isinstance(node, ast.Constant) else [v for v in ast.walk(node) if isinstance(v, ast.Constant)]
    text = "".join(p.value for p in parts if isinstance(p.value, str)).strip()
    return bool(re.search(r"[A-Za-z]+ [A-Za-z]+", text)) and text.endswith(".")


def _alternatives(node: ast.expr | None) -> list[ast.expr]:
    """The values an expression may give: each element of a tuple, each branch of an ``if``."""
    if isinstance(node, ast.Tuple):
        return [value for element in node.elts for value in _alternatives(element)]
    if isinstance(node, ast.IfExp):
        return _alternatives(node.body) + _alternatives(node.orelse)
    return [] if node is None else [node]


def _target_name(target: ast.expr) -> str:
    if isinstance(target, ast.Subscript):
        return _target_name(target.value)
    return target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else ""


def _kept_refusals(tree: ast.AST, rel: str) -> list[str]:
    """English sentences a function returns, or keeps in a ``problem``/``error``/… variable."""
    found = []
    for node in ast.walk(tree):
        values: list[ast.expr] = []
        if isinstance(node, ast.Return):
            values = _alternatives(node.value)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    values += [value for name, value in zip(target.elts, node.value.elts)
                               if MESSAGE_NAME.search(_target_name(name))]
                elif MESSAGE_NAME.search(_target_name(target)):
                    values += _alternatives(node.value)
        found += [f"{rel}:{value.lineno}: {ast.unparse(value)[:80]}" for value in values if _is_sentence(value)]
    return found


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _message_arg(call: ast.Call) -> ast.expr | None:
    name = _name(call.func)
    if not call.args:
        return None
    if name == "fail":  # the media manifest's field.fail(field_name, problem)
        return call.args[-1]
    return call.args[0]


def _content_problem(node: ast.Call, name: str) -> ast.expr | None:
    """The English words of a content problem built in place (``r.report("id", f"is {x!r}")``), if any."""
    index = CONTENT_PROBLEM_ARG.get(name)
    if index is None or len(node.args) <= index:
        return None
    return next((value for value in _alternatives(node.args[index]) if _has_words(value)), None)


def _problems(path: Path, rel: str | None = None) -> list[str]:
    rel = rel or path.relative_to(ROOT).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = _kept_refusals(tree, rel) if rel.startswith("co_app/core/") else []
    in_cli = rel.startswith("co_app/cli/")
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        english = _content_problem(node, name) if rel.startswith("co_app/core/content/") else None
        if english is not None:
            found.append(f"{rel}:{node.lineno}: {name}(… {ast.unparse(english)[:80]})")
            continue
        if PROBLEM_CALL.search(name):
            found += [f"{rel}:{node.lineno}: {name}(… {ast.unparse(arg)[:80]})" for arg in node.args if _has_words(arg)]
            continue
        arg = _message_arg(node)
        if arg is None:
            continue
        if name in {"sentence", "Notice"}:
            if not (isinstance(arg, ast.Call) and _name(arg.func) == "N_") and not isinstance(arg, (ast.Name,
                                                                                                    ast.Attribute)):
                found.append(f"{rel}:{node.lineno}: {name}() of a template not marked with N_")
            continue
        is_print = (name == "print" and (in_cli or any(k.arg == "file" for k in node.keywords))) or (
            in_cli and name == "write")
        builds_error = MESSAGE_CALL.search(name) or name in {"fail", "bad", "CoError"}
        if not (is_print or builds_error) or name in DEVELOPER_ERRORS or (rel, name) in ALLOWED:
            continue
        shown = node.args if is_print and in_cli else [arg]  # print(a, b): each is read
        if any(_has_words(value) for value in shown):
            found.append(f"{rel}:{node.lineno}: {name}({ast.unparse(arg)[:80]})")
    return found


def test_core_and_cli_messages_go_through_the_catalogs():
    files = sorted(path for place in SCANNED for path in ([place] if place.is_file() else place.rglob("*.py")))
    problems = [problem for path in files for problem in _problems(path)]
    assert not problems, ("English text written in place of a translatable message; write it as "
                          "sentence(N_('... {named} ...'), named=value):\n" + "\n".join(problems))


def test_the_scan_catches_an_english_only_message(tmp_path):
    """The scan is not vacuous: each kind of English-only message is found, the allowed
    kinds are not."""
    source = '''
import sys
def f(path, exc):
    raise CoError(f"{path} is empty.")
def g():
    return PackageError("The package is damaged.")
def h(path):
    print(f"warning: {path} was skipped", file=sys.stderr)
def i(what):
    return sentence(f"{what} went wrong")
def ok(path, problem, done, total):
    raise CoError(sentence(N_("{file} is empty."), file=path))
def ok2(path, problem):
    raise ValueError(f"a programming error: {path}")
def ok3(path, problem, done, total):
    print(f"[{done}/{total}] {path}: {problem}", file=sys.stderr)
def j(path, size):
    return f"{path} is empty (a copy that never started)."
def k(path, exc, problems, lang):
    problem, digest = f"{path} cannot be read ({exc}).", None
    problems[lang] = f"{path} cannot be written."
    return FilmStatus.CORRUPT, f"{path} is damaged." if exc else None
def m(line):
    return SubtitleProblem(line, "The cue has no text.")
def n(args, paths, films):
    print(f"Wrote {paths.out}: {films} films.")
    sys.stdout.write("Dry run: nothing was changed.")
def p(r, loader, value, path):
    r.report("id", f"is {value!r}; it must be the folder name")
    loader.problem(path, "town jena", "", "has no content yet", "warning")
def ok5(r, loader, value, path, films):
    r.report("id", N_("is {value!r}; it must be the folder name"), value=value)
    loader.problem(path, "town jena", "", N_("has no content yet"), "warning")
    print(say(N_("Wrote {file}."), file=path) + f" [{films}]")
    sys.stderr.write("\\r\\033[K")
def ok4(path, line, key):
    problem = media_problem("not-video", file=path)
    reason = exc.strerror or "not UTF-8"
    name = f"{path} holds no film"
    return SubtitleProblem(line, sentence(N_("The cue has no text."))), "utf-8", f"{key}.{path}"
def q(films):
    print(f"  {films:>8}", f"{'review status':>14}{films:>8}")
'''
    probe = tmp_path / "probe.py"
    probe.write_text(source, encoding="utf-8")
    found = _problems(probe, "co_app/core/probe.py")
    assert sorted(int(line.split(":")[1]) for line in found) == [4, 6, 8, 10, 18, 20, 21, 22, 24], found
    # The command line's stdout too: a print() or write() of English in place.
    found = _problems(probe, "co_app/cli/probe.py")
    assert sorted(int(line.split(":")[1]) for line in found) == [4, 6, 8, 10, 24, 26, 27, 42], found
    # A content check's problem built with English in place.
    found = _problems(probe, "co_app/core/content/probe.py")
    assert sorted(int(line.split(":")[1]) for line in found) == [4, 6, 8, 10, 18, 20, 21, 22, 24, 29, 30], found


def test_lang_ar_shows_a_command_error_in_arabic(tmp_path):
    roster = tmp_path / "jena.csv"
    roster.write_bytes(b"")
    env = {**os.environ, "CO_APP_HOME": str(tmp_path / "data")}
    env.pop("CO_APP_LANG", None)
    run = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path / "data"), "--lang", "ar",
                          "roster", "import", str(roster)], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 2
    line = run.stderr.strip()
    assert "jena.csv" in line and "Traceback" not in line, run.stderr
    assert not line.startswith("error:"), line  # the prefix is Arabic too
    assert re.search("[\u0600-\u06ff]", line.split("jena.csv")[0]), line  # Arabic before the file name
    assert "empty" not in line and "\\u2068" not in line, line  # no English word, no escaped isolation mark
    english = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path / "data"), "roster",
                              "import", str(roster)], capture_output=True, text=True, env=env, timeout=120)
    assert english.returncode == 2 and english.stderr.startswith("error: "), english.stderr
    assert "empty" in english.stderr, english.stderr
