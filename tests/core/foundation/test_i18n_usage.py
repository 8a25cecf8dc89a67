"""Translated strings must reach the catalogs: Babel cannot see ``_()`` inside an f-string
(Python tokenizes the whole f-string as one token), so such a string is never translated."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3] / "co_app"
CALL = re.compile(r"\b(_|N_|ngettext|pgettext)\(")


def test_no_translation_call_hides_inside_an_f_string() -> None:
    hidden = []
    for path in sorted(ROOT.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.STRING and re.match(r"^[rRbB]*[fF]", token.string) and CALL.search(token.string):
                hidden.append(f"{path.relative_to(ROOT.parent)}:{token.start[0]}")
    assert not hidden, "translation calls inside f-strings (move them out): " + ", ".join(hidden)
