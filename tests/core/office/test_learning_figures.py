"""The learning figures (issue 21, point 4) are the same everywhere: from the same known
answers the session report (on the laptop), the office's report on the hub (a SQLite file
and the real PostgreSQL server), ``report --json`` and the donor report's "Learning"
sheet (XLSX) and PDF document give the same shares, changes and questions missed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from co_app.core.content.library import load_content
from co_app.core.learning import report as learning
from co_app.core.learning.answers import AFTER, BEFORE, Where, record_person, record_tally
from co_app.core.office import donor
from co_app.core.office.report import ReportFilter, compute
from tests.core.office.test_report import hub_url, run
from tests.core.office.world import World
from tests.core.sync_helpers import populate

WHO_CHOOSES = load_content().module("housing").self_check[0]  # three options, the second (1) right


def _answered(world: World):
    """Amman: a group tally before (2 of 6 right), each person after (4 of 6). Beirut: each
    person before (2 of 6) and after (5 of 6).  Women are people 0, 2, 4, 5."""
    amman, beirut = world.laptop("Amman"), world.laptop("Beirut")
    sessions = {}
    for db, answers in ((amman, (None, (1, 1, 1, 0, 1, 2))), (beirut, ((0, 1, 0, 0, 1, 2), (1, 1, 1, 1, 0, 1)))):
        ids = populate(db, sessions=1)
        session, people = ids["sessions"][0], ids["participants"]
        sessions[db.device_id] = session
        with db.session() as s, s.begin():
            for phase, chosen in zip((BEFORE, AFTER), answers):
                where = Where(session, "housing", WHO_CHOOSES, phase)
                if chosen is None:
                    record_tally(s, where, {0: 4, 1: 2}, present=6, recorded_by="R. Nasser")
                else:
                    for person, answer in zip(people, chosen):
                        record_person(s, where, person, answer, "R. Nasser")
        world.to_hub(db)
    return amman, beirut, sessions


def test_the_same_answers_give_the_same_figures_in_every_report(world: World, tmp_path: Path) -> None:
    amman, beirut, sessions = _answered(world)
    everything = compute(world.hub.engine).learning
    housing = everything.module("housing")
    assert (housing.overall.before_answers, housing.overall.before_correct) == (12, 4)
    assert (housing.overall.after_answers, housing.overall.after_correct) == (12, 9)
    assert housing.overall.before == pytest.approx(1 / 3) and housing.overall.after == pytest.approx(0.75)
    assert housing.overall.change == pytest.approx(0.75 - 1 / 3)
    female, male = housing.by["sex"]["female"], housing.by["sex"]["male"]  # per-person answers only
    assert (female.before_correct, female.before_answers, female.after_correct, female.after_answers) == (1, 4, 6, 8)
    assert (male.before_correct, male.before_answers, male.after_correct, male.after_answers) == (1, 2, 3, 4)
    assert housing.by["age_group"]["5-11"].after_answers == 2  # Layla, 10 in 2026, on both laptops
    assert [(m.question_id, m.phase, m.wrong, m.answers) for m in everything.missed] == [
        (WHO_CHOOSES.id, AFTER, 3, 12)]
    for db in (amman, beirut):  # one laptop's sessions at the office = that laptop's session report
        with db.session() as s:
            on_laptop = learning.for_session(s, sessions[db.device_id])
        at_office = compute(world.hub.engine, ReportFilter(laptop=db.device_id)).learning
        assert at_office.as_json() == on_laptop.as_json() and on_laptop.modules
    assert compute(world.hub.engine, ReportFilter(place="nowhere")).learning.modules == ()

    done = run("--data-dir", str(tmp_path / "office-data"), "report", "--db", hub_url(world), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["learning"] == everything.as_json()
    done = run("--data-dir", str(tmp_path / "office-data"), "report", "--db", hub_url(world))
    assert done.returncode == 0, done.stderr
    assert "Housing" in done.stdout and "33%" in done.stdout and "75%" in done.stdout and "+42 points" in done.stdout

    out = tmp_path / "donor.xlsx"
    donor.write_xlsx(world.hub.engine, compute(world.hub.engine), out, "en")
    book = load_workbook(out)
    assert book.sheetnames[-2:] == ["Learning", "Records"]
    rows = list(book["Learning"].iter_rows(values_only=True))
    everyone = next(r for r in rows if r[1] == "Everyone")
    assert everyone[2:7] == (pytest.approx(1 / 3), 0.75, pytest.approx(41.7), 12, 12)
    women = next(r for r in rows if r[1] == "Female")
    assert women[2:7] == (0.25, 0.75, 50.0, 4, 8)
    missed = rows[rows.index(next(r for r in rows if r[0] == "Questions most often missed")) + 2]
    assert missed[1:] == (WHO_CHOOSES.question, "after", 3, 12, None, None)
    titles = [r[0] for r in rows[rows.index(("Definitions",) + (None,) * 6):] if r[0]]
    assert titles == ["Definitions", "Share correct", "Change", "Most often missed"]
    document = donor.html(compute(world.hub.engine), "en")
    assert "What the group knew before and after" in document and "+42 points" in document
