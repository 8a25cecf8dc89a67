"""What the command line prints on stdout speaks --lang's language; --json does not (issue 20, point 5).

``main.py --lang ar sync name …`` confirmed in English, ``content check`` listed its problems
("broken link: …", "must be text") in English, and ``--help`` was English under Arabic
headings.  Now the human lines go through the catalogs with named placeholders, a content
problem keeps its template and values until it is printed, and the help texts are translated
when the parser is built (after --lang is read).  ``--json`` stays the same in every language:
scripts read its keys, codes and English messages.  Run as a user runs it, in real processes;
the expected words are read from the shipped Arabic catalog, compiled afresh (``locale_dir``).
"""

from __future__ import annotations

import gettext
import json
import re
import shutil
from pathlib import Path

import pytest

from co_app.core.foundation.resources import content_dir
from tests.system.test_cli import run

ARABIC = re.compile("[\u0600-\u06ff]")


@pytest.fixture(scope="module")
def ar(locale_dir: Path):
    """The Arabic of a message, as the shipped catalog has it."""
    return gettext.translation("co_app", localedir=str(locale_dir), languages=["ar"]).gettext


def test_a_confirmation_line_is_arabic_and_its_json_is_the_same(tmp_path: Path, ar) -> None:
    data = str(tmp_path / "data")
    said = run("--data-dir", data, "--lang", "ar", "sync", "name", "Amman 1")
    assert said.returncode == 0, said.stderr
    template = 'This database is now called "{name}"; the office sees that name from its next package on.'
    assert ar(template) != template
    assert said.stdout.strip() == ar(template).format(name="Amman 1")
    english = run("--data-dir", data, "sync", "name", "Amman 1")
    assert english.stdout.strip() == template.format(name="Amman 1")
    held = run("--data-dir", data, "--lang", "ar", "sync", "held")
    assert held.stdout.strip() == ar("No change is held for review."), held.stdout
    as_json = [json.loads(run("--data-dir", data, *lang, "sync", "name", "Amman 1", "--json").stdout)
               for lang in ((), ("--lang", "ar"))]
    assert as_json[0] == as_json[1] == {"ok": True, "name": "Amman 1"}


@pytest.fixture()
def broken_content(tmp_path: Path) -> Path:
    """The shipped content with Jena's film link broken and its Arabic name a number."""
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    en = root / "towns" / "jena" / "en.toml"
    en.write_text(re.sub(r'(?m)^film = .*$', 'film = "germany-nowhere"', en.read_text(encoding="utf-8")),
                  encoding="utf-8")
    ar_file = root / "towns" / "jena" / "ar.toml"
    ar_file.write_text(re.sub(r'(?m)^name = .*$', "name = 5", ar_file.read_text(encoding="utf-8")), encoding="utf-8")
    return root


def test_content_check_says_its_problems_in_arabic(broken_content: Path, tmp_path: Path, ar) -> None:
    args = ("--data-dir", str(tmp_path / "data"), "content", "check", "--content-dir", str(broken_content))
    checked = run("--lang", "ar", *args)
    assert checked.returncode == 1, checked.stderr
    lines = checked.stdout.splitlines()
    town = ar("town {id}").format(id="jena")
    broken = ar("broken link: no film {film!r} in {manifest}").split("{manifest}")[0]  # the manifest's path after
    link = ar("error: {message}").format(message=ar("{file}: {item}: field '{field}' {message}").format(
        file="content/towns/jena/en.toml", item=town, field="film", message=broken.format(film="germany-nowhere")))
    assert any(line.startswith(link) for line in lines), "\n".join(lines)  # the path and the field as they are
    name = ar("error: {message}").format(message=ar("{file}: {item}: field '{field}' {message}").format(
        file="content/towns/jena/ar.toml", item=town, field="name", message=ar("must be text")))
    assert name in lines, "\n".join(lines)
    assert ar("Towns ({count}):").format(count=9) in lines
    assert "broken link" not in checked.stdout and "must be text" not in checked.stdout
    assert "\\u2068" not in checked.stdout and "\u2068" not in checked.stdout  # no isolation marks on a terminal
    english = run(*args)
    assert "error: content/towns/jena/en.toml: town jena: field 'film' broken link: no film 'germany-nowhere' in " \
        in english.stdout
    assert "error: content/towns/jena/ar.toml: town jena: field 'name' must be text" in english.stdout.splitlines()
    documents = [json.loads(run(*lang, *args, "--json").stdout) for lang in ((), ("--lang", "ar"))]
    assert documents[0] == documents[1]
    problem = next(p for p in documents[1]["problems"] if p["field"] == "name" and "ar.toml" in p["file"])
    assert problem == {"file": "content/towns/jena/ar.toml", "item": "town jena", "field": "name",
                       "message": "must be text", "severity": "error"}


def test_help_is_arabic(ar) -> None:
    top = run("--lang", "ar", "--help")
    assert top.returncode == 0, top.stderr
    for english in ("the film library", "environment variables:", "interface language code (en, ar, fr, …); --lang "
                    "wins over it", "encrypted sync packages between laptops and the office hub"):
        assert ar(english) != english and ar(english) in top.stdout, english
        assert english not in top.stdout
    report = run("--lang", "ar", "report", "--help")
    assert report.returncode == 0, report.stderr
    for english in ("write the donor report as a PDF", "print one JSON document", "only sessions led by this "
                    "facilitator", "options"):
        assert ar(english) != english and ar(english) in report.stdout, english
    assert "donor report" not in report.stdout and "led by this" not in report.stdout
    words = re.sub(r"--?[\w-]+|[A-Z_]{2,}|\(.*?\)|\S*[./]\S*", "", report.stdout.split("\n\n", 1)[1])
    assert not re.search(r"\b[a-z]{4,}\b", words), words  # nothing English left but options, metavars and paths
    assert "the film library" in run("--help").stdout  # English unchanged


def test_a_content_packs_changes_are_said_in_the_readers_language(locale_dir: Path, ar) -> None:
    """A pack's change lines are kept in English in its signed manifest ("town jena changed: ar,
    fr"); content pack, import and rollback say them in --lang's language."""
    from co_app.core.content.pack import change_notice
    from co_app.core.foundation import i18n
    from co_app.core.foundation.errors import terminal_text

    try:
        i18n.set_language("ar", locale_dir)
        assert terminal_text(change_notice("town jena changed: ar, fr")) == ar("{item} changed: {languages}").format(
            item=ar("town {id}").format(id="jena"), languages="ar, fr")
        assert terminal_text(change_notice("films and moments added")) == ar("{item} added").format(
            item=ar("films and moments"))
        assert terminal_text(change_notice("an unexpected line")) == "an unexpected line"
    finally:
        i18n.set_language("en")
    assert terminal_text(change_notice("module housing removed: so")) == "module housing removed: so"
