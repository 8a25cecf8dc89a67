"""Check questions as content (issue 21, point 1): each module's [[self_check]] entries with
their id, kind, key message and pictures, validated with the file and field named; the
coverage ``content check`` reports; the shipped modules; and a content pack carrying a
question's picture."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from co_app.core.content.checks import check_coverage
from co_app.core.content.library import load_content
from co_app.core.content.pack import content_files, make_pack
from co_app.core.content.store import shipped
from tests.core.content.test_content import MANIFEST, REPO, checks, content, module_en, write

__all__ = ["content"]  # the fixture, used by name

#: A PNG of one pixel: what a picture file holds is not checked, only that it is there.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")
EN = "content/modules/housing/en.toml: module housing: "


def test_kinds_key_messages_and_pictures_load(content: Path) -> None:
    text = checks(3).replace('[[self_check]]\nid = "q1"', '[[self_check]]\nid = "q1"\nkind = "true_false"\n'
                             'picture = "pictures/q1.png"', 1).replace('options = ["a", "b", "c"]\nanswer = 1\n'
                                                                      'explanation = "Because 1."',
                                                                      'options = ["True", "False"]\nanswer = 1\n'
                                                                      'explanation = "Because 1."')
    write(content, "modules/housing/en.toml", module_en(checks=text))
    (content / "modules/housing/pictures").mkdir()
    (content / "modules/housing/pictures/q1.png").write_bytes(PNG)
    library = load_content(content, MANIFEST)
    assert library.errors == [], [str(p) for p in library.errors]
    first, second = library.module("housing").self_check[:2]
    assert (first.id, first.kind, first.key_message, first.picture) == ("q0", "choice", 0, "")
    assert (second.id, second.kind, second.options, second.answer, second.picture) == (
        "q1", "true_false", ("True", "False"), 1, "pictures/q1.png")


def test_each_wrong_field_is_named(content: Path) -> None:
    cases = [
        (checks().replace('id = "q0"', 'id = "Who Chooses"'), "field 'self_check[1].id' is 'Who Chooses'; an id is"),
        (checks().replace('id = "q0"\n', ''), "field 'self_check[1].id' is missing"),
        (checks().replace('id = "q1"', 'id = "q0"'), "field 'self_check[2].id' 'q0' appears twice in this module"),
        (checks().replace('id = "q0"', 'id = "q0"\nkind = "essay"'), "field 'self_check[1].kind' has the value"),
        (checks().replace('key_message = 0', 'key_message = 1', 1), "field 'self_check[1].key_message' is 1; it "
                                                                    "must be an index into key_messages, from 0 to 0"),
        (checks().replace('id = "q0"', 'id = "q0"\nkind = "true_false"'), "field 'self_check[1].options' a true_false "
                                                                         "question has two options"),
        (checks().replace('["a", "b", "c"]', '["a", "b", "c", "d", "e"]', 1), "field 'self_check[1].options' has 5 "
                                                                              "entries; at most 4"),
        (checks().replace('id = "q0"', 'id = "q0"\npicture = "pictures/none.png"'),
         "field 'self_check[1].picture' is 'pictures/none.png'; there is no such file in housing/"),
        (checks().replace('id = "q0"', 'id = "q0"\npicture = "../../towns/jena/en.toml"'),
         "field 'self_check[1].picture' is '../../towns/jena/en.toml'; a picture is named relative"),
        (checks().replace('id = "q0"', 'id = "q0"\noption_pictures = ["a.png"]'),
         "field 'self_check[1].option_pictures' has 1 entries; one per option (3) expected"),
        (checks().replace('id = "q0"', 'id = "q0"\noption_pictures = ["pictures/a.png", "pictures/gone.png", '
                                       '"pictures/a.png"]'),
         "field 'self_check[1].option_pictures[2]' is 'pictures/gone.png'; there is no such file in housing/"),
        (checks().replace('id = "q0"', 'id = "q0"\noption_pictures = ["pictures/a.png", "pictures/a.gif", '
                                       '"pictures/a.png"]'),
         "field 'self_check[1].option_pictures[2]' is 'pictures/a.gif'; a picture is a .png, .jpg, .jpeg, .svg file"),
    ]
    (content / "modules/housing/pictures").mkdir()
    (content / "modules/housing/pictures/a.png").write_bytes(PNG)
    for text, message in cases:
        write(content, "modules/housing/en.toml", module_en(checks=text))
        errors = [str(p) for p in load_content(content, MANIFEST).errors]
        assert any(e.startswith(EN + message) for e in errors), (message, errors)


def test_shipped_modules_carry_three_to_six_checks_in_every_language() -> None:
    library = load_content()
    assert library.ok, [str(p) for p in library.errors]
    kinds = set()
    for module in library.modules():
        coverage = check_coverage(module, library.module_status(module.id))
        assert 3 <= coverage.questions <= 6 and coverage.key_messages - len(coverage.uncovered) >= 3, coverage
        assert set(coverage.languages) == {"en", "ar", "fa_AF", "ti", "fr", "so"}, coverage
        assert all(share == 1.0 for share in coverage.languages.values()), coverage
        assert all(s.state in ("source", "machine") for s in library.module_status(module.id).values())
        kinds |= {kind for kind, n in coverage.kinds.items() if n}
        ids = [check.id for check in module.self_check]
        for language in ("ar", "ti"):  # the same questions, in the same order, with their own text
            translated = library.module(module.id, language).self_check
            assert [c.id for c in translated] == ids and translated[0].question != module.self_check[0].question
    assert kinds == {"choice", "true_false", "what_would_you_do"}


def test_shipped_picture_choices_have_a_picture_per_answer_that_exists() -> None:
    """Choose one of 2–4 pictures (issue 21, 1): at least two shipped modules ask one, each
    answer with its own picture file in the module's folder, in every language."""
    library = load_content()
    found = {}
    for module in library.modules():
        for check in module.self_check:
            if check.option_pictures:
                assert len(check.option_pictures) == len(check.options), (module.id, check.id)
                folder = library.root / "modules" / module.id
                assert all((folder / name).is_file() for name in check.option_pictures), (module.id, check.id)
                found[module.id] = check.id
                for language in library.languages:  # a translation keeps English's pictures
                    same = next(c for c in library.module(module.id, language).self_check if c.id == check.id)
                    assert same.option_pictures == check.option_pictures
    assert found == {"housing": "tap-leaking", "health-and-wellbeing": "child-cough"}


def test_content_check_reports_the_coverage(content: Path) -> None:
    text = checks(3).replace('id = "q2"', 'id = "q2"\nkind = "what_would_you_do"')
    write(content, "modules/housing/en.toml", module_en(checks=text).replace(
        'key_messages = ["Pay rent on time."]', 'key_messages = ["Pay rent on time.", "Sort rubbish."]'))
    run = subprocess.run([sys.executable, str(REPO / "main.py"), "content", "check", "--content-dir", str(content),
                          "--json"], capture_output=True, text=True, cwd=REPO)
    doc = json.loads(run.stdout)
    housing = next(c for c in doc["checks"] if c["module"] == "housing")
    assert housing["questions"] == 3 and housing["kinds"] == {"choice": 2, "true_false": 0, "what_would_you_do": 1}
    assert housing["uncovered_key_messages"] == [2] and housing["languages"]["ar"] == 0.0
    plain = subprocess.run([sys.executable, str(REPO / "main.py"), "content", "check", "--content-dir", str(content)],
                           capture_output=True, text=True, cwd=REPO).stdout
    assert ("housing                        3 (2 choice, 1 what would you do); key messages 1/2 (none checks 2); "
            "not fully translated: ar 0%") in plain


def test_a_content_pack_carries_the_pictures(tmp_path: Path) -> None:
    folder = tmp_path / "office-content"
    shutil.copytree(shipped().root, folder, ignore=shutil.ignore_patterns("SCHEMA.md"))
    shutil.copy(shipped().films, folder / "films.toml")
    (folder / "modules/housing/pictures/fire.png").write_bytes(PNG)  # beside the shipped picture
    en = folder / "modules/housing/en.toml"
    en.write_text(en.read_text(encoding="utf-8").replace('id = "who-chooses"', 'id = "who-chooses"\n'
                                                         'picture = "pictures/fire.png"'), encoding="utf-8")
    housing = load_content(folder, MANIFEST).module("housing")
    assert housing.self_check[0].picture == "pictures/fire.png"
    assert housing.self_check[2].picture == "pictures/emergency-call.png"  # shipped: the phone and the fire
    assert {"modules/housing/pictures/fire.png", "modules/housing/pictures/emergency-call.png"} <= set(
        content_files(folder))
    out = tmp_path / "v2.copack"
    make_pack(folder, out, Ed25519PrivateKey.from_private_bytes(bytes(range(32))), signer_name="Office",
              signer_fingerprint="AAAA", version=2)
    with zipfile.ZipFile(out) as pack:
        assert pack.read("files/modules/housing/pictures/fire.png") == PNG
