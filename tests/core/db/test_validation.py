"""The validation layer itself (co_app/core/db/validation.py): it knows every field of every
synced table, everything the application writes passes it, and each kind of value that
passed the old checks and broke later work is refused with a sentence naming the field."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from co_app.core.attendance.demo_seed import seed_demo
from co_app.core.db import validation
from co_app.core.db.models import SYNCED_MODELS
from co_app.core.sync import records
from tests.core.sync_helpers import laptop, populate
from tests.core.valid_data import assert_every_record_valid


def test_every_field_of_every_synced_table_has_a_rule() -> None:
    for model in SYNCED_MODELS:
        table = model.__table__
        travelling = {c.name for c in table.columns} - validation.LOCAL_COLUMNS
        assert set(validation.RULES[table.name]) == travelling, table.name
        assert set(records.CODECS[table.name].columns) == travelling, "the sync records and the rules disagree"


def test_everything_the_application_writes_passes(tmp_path: Path) -> None:
    """The records of the sync tests' laptops and of the demo seed (sessions, agendas,
    households, people with every need, check-ins, module marks) are all valid."""
    db = laptop(tmp_path, "a")
    populate(db)
    with db.session() as s:
        seed_demo(s, towns=[("jena", "germany-jena"), ("biella", "italy-biella")],
                  modules=[("journey-and-arrival", 45), ("housing", 45), ("work-and-money", 60),
                           ("health-and-wellbeing", 45), ("the-first-year", 60)], sessions=6, today=date(2026, 11, 20))
    assert_every_record_valid(db)
    db.dispose()


#: Values the sync import took before (they passed a length or a fromisoformat check) and
#: that broke a later export, a database or the order of the records.
@pytest.mark.parametrize(("table", "field", "value", "said"), [
    ("participants", "given_name", "Ami\x1bna", "holds an invisible control character (U+001B)"),
    ("participants", "family_name", "Had\x00dad", "holds an invisible control character (U+0000)"),
    ("co_sessions", "place", "Amman\u0085", "holds an invisible control character (U+0085)"),
    ("households", "case_number", "\ud800", "holds an invisible control character (U+D800)"),
    ("participants", "given_name", "Amina\nHaddad", "holds an invisible control character (U+000A)"),
    # A name that reads backwards in every export, or hides a line break (an attacker's probe).
    ("participants", "family_name", "\u200f\u202eabc\u202c", "holds an invisible control character (U+202E)"),
    ("participants", "given_name", "Amina\u2066", "holds an invisible control character (U+2066)"),
    ("participants", "given_name", "Amina\u2028Haddad", "holds an invisible control character (U+2028)"),
    ("participants", "languages", [1, 2], "the field 'languages[1]' should be text, not 1"),
    ("participants", "needs", ["literacy", {"a": 1}], "the field 'needs[2]' should be one of"),
    ("co_sessions", "destination_towns", [None], "the field 'destination_towns[1]' should be text, not null"),
    ("co_sessions", "agenda", [{"kind": "film", "ref": "x", "minutes": 2**64}],
     "the field 'agenda[1].minutes' should be between 1 and 240"),
    ("co_sessions", "agenda", [{"kind": "film", "minutes": 10, "who": "me"}], "should be a step with a kind"),
    ("co_sessions", "agenda", [{"kind": "film", "ref": "europe", "minutes": 5, "moment": "<b>Moment</b>"}],
     "the field 'agenda[1].moment'"),
    ("participants", "birth_year", 10**20, "should be between 1900 and"),
    ("participants", "birth_year", -1985, "should be between 1900 and"),
    ("participants", "birth_year", True, "should be a whole number, not true"),
    ("co_sessions", "number_of_day", 2**31, "should be between 1 and 999"),
    ("participants", "consent_date", "2026-W45-3", "should be a date from 1900 to 2199 written YYYY-MM-DD"),
    ("participants", "consent_date", "20261120", "written YYYY-MM-DD"),
    ("participants", "consent_date", "2026-02-30", "written YYYY-MM-DD"),
    ("co_sessions", "session_date", "0001-01-01", "written YYYY-MM-DD"),
    ("attendance", "checked_in_at", "2026-11-20 10:00:00.1+0530", "should be a UTC time written"),
    ("attendance", "checked_in_at", "2026-11-20T10:00:00.000000", "should be a UTC time written"),
    ("attendance", "checked_in_at", "2026-11-20 10:00:00", "should be a UTC time written"),
    ("attendance", "checked_in_at", "2026-11-20 24:00:00.000000", "should be a UTC time written"),
    ("participants", "family_name", "x" * 201, "is longer than 200 characters"),
    ("participants", "nationality", "sy", "should be a code such as SY"),
    ("participants", "sex", "F", 'should be one of "female", "male", "other", "unknown", not "F"'),
    ("attendance", "status", None, "must be filled in"),
    ("participants", "id", "../x", "should be a code such as"),
    ("participants", "versions", {"": ["device", -1, 5]}, "does not say validly who changed each field when"),
])
def test_a_value_that_broke_later_work_is_refused_naming_its_field(table: str, field: str, value: Any,
                                                                    said: str) -> None:
    problem = validation.value_problem(table, field, value)
    assert problem is not None and said in str(problem) and f"'{field}" in str(problem)
    assert str(problem).isprintable(), "the message must not carry the value's control characters"
    assert not validation.batch_check(table, field)([value])


@pytest.mark.parametrize(("table", "field", "value"), [
    ("participants", "given_name", "نور الهدى"),
    ("participants", "family_name", "Ḥaddād\u200c"),  # a joiner: part of Dari and Persian spelling
    ("participants", "family_name", "\u200fمحمد\u200e"),  # direction marks are not control codes
    ("attendance", "note", "came late,\r\nwith\ta child"),  # a note may hold tabs and line breaks
    ("participants", "birth_year", 1900),
    ("participants", "birth_year", None),
    ("participants", "languages", ["ar", "fa_AF", "sr-Latn"]),
    ("co_sessions", "agenda", [{"kind": "break", "minutes": 15}]),
    ("co_sessions", "agenda", [{"kind": "film", "ref": "europe", "minutes": 5, "moment": "daily-life"}]),
    ("co_sessions", "closed_at", "9999-12-31 23:59:59.999999"),
    ("participants", "nationality", ""),
])
def test_a_good_value_passes(table: str, field: str, value: Any) -> None:
    assert validation.value_problem(table, field, value) is None
    assert validation.batch_check(table, field)([value, value])


def test_typed_text_is_made_one_clean_line() -> None:
    assert validation.single_line(" Ami\x1b[31mna \t Had\x00dad\r\n") == "Ami[31mna Haddad"
    assert validation.single_line("SYR-\x85\x9b1\ud800") == "SYR-1"
    assert validation.multi_line("came late\r\n\x07with a child\x00") == "came late\r\nwith a child"
    assert validation.shown("a\x1bb") == '"a\\u001bb"'
