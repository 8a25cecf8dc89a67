"""The learning report (issue 21, point 4) computed from known answers: per module the share
correct before and after and the change, overall and by sex and age group; the questions
most often missed; deleted answers and sessions left out; the same figures on the office's
PostgreSQL hub after a sync."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from co_app.core.content.library import load_content
from co_app.core.db.models import CoSession
from co_app.core.learning import report
from co_app.core.learning.answers import AFTER, BEFORE, Where, clear_person, record_person, record_tally
from co_app.core.sync.hub import open_target
from co_app.core.sync.package import export_package
from co_app.core.sync.service import import_package
from tests.core.sync.test_hub_postgres import postgres
from tests.core.sync_helpers import enrol, laptop, populate

__all__ = ["postgres"]  # the fixture, used by name

HOUSING = load_content().module("housing")
WHO, PAY, FIRE = HOUSING.self_check[:3]  # right answers: 1, 1, 0
# populate's people: Amina F 1988, Yusuf M 1985, Layla F 2016 (5-11), Farid M 1979, Zahra F 1982, Senait F 1995
PAY_BEFORE = (0, 1, 0, 1, 0, 0)
WHO_AFTER = (1, 1, 1, 0, 1, 1)
PAY_AFTER = (1, 1, 0, 1, 1, 1)


def record_known_answers(db, session_id: str, people: list[str]) -> None:
    before, after = BEFORE, AFTER
    with db.session() as s, s.begin():
        record_tally(s, Where(session_id, "housing", WHO, before), {0: 4, 1: 2}, 6, "R. Nasser")  # 2 of 6 right
        record_tally(s, Where(session_id, "housing", FIRE, before), {0: 1, 1: 5}, 6, "R. Nasser")  # 1 of 6
        for person, pay_before, who_after, pay_after in zip(people, PAY_BEFORE, WHO_AFTER, PAY_AFTER):
            record_person(s, Where(session_id, "housing", PAY, before), person, pay_before, "R. Nasser")
            record_person(s, Where(session_id, "housing", WHO, after), person, who_after, "R. Nasser")
            record_person(s, Where(session_id, "housing", PAY, after), person, pay_after, "R. Nasser")


def check_known_figures(found: report.LearningReport) -> None:
    [housing] = found.modules
    overall = housing.overall
    # before: tallies 2/6 + 1/6, people 2/6 → 5 of 18; after: 5/6 + 5/6 → 10 of 12
    assert (overall.before_answers, overall.before_correct, overall.after_answers, overall.after_correct) == (
        18, 5, 12, 10)
    assert Fraction(overall.change).limit_denominator(100) == Fraction(10, 12) - Fraction(5, 18)
    sex = housing.by["sex"]  # per person only: the tallies have no sex
    assert list(sex) == ["female", "male"]
    assert (sex["female"].before_answers, sex["female"].before_correct, sex["female"].after_answers,
            sex["female"].after_correct) == (4, 0, 8, 7)
    assert (sex["male"].before, sex["male"].after, sex["male"].change) == (1.0, 0.75, -0.25)
    age = housing.by["age_group"]
    assert list(age) == ["5-11", "18-59"]
    assert (age["18-59"].before_correct, age["18-59"].before_answers, age["18-59"].after_correct,
            age["18-59"].after_answers) == (2, 5, 9, 10)
    assert (age["5-11"].before, age["5-11"].after) == (0.0, 0.5)
    # most often missed: the fire number (asked only before: 5 of 6 wrong), then the other two (1 of 6 after)
    assert [(m.question_id, m.phase, m.answers, m.wrong) for m in found.missed] == [
        ("fire-number", "before", 6, 5), ("pay-every-month", "after", 6, 1), ("who-chooses", "after", 6, 1)]


def test_a_sessions_learning_figures_from_known_answers(tmp_path: Path) -> None:
    db = laptop(tmp_path, "a")
    ids = populate(db, sessions=2)
    record_known_answers(db, ids["sessions"][0], ids["participants"])
    with db.session() as s:
        check_known_figures(report.for_session(s, ids["sessions"][0]))
        assert report.for_session(s, ids["sessions"][1]).modules == ()
    check_known_figures(report.compute(db.engine))  # all sessions: the same, only one has answers
    # The office's report filter, as conditions on the sessions: the same sessions, the same figures.
    from datetime import date

    from co_app.core.office.report import ReportFilter, session_conditions

    day = date(2026, 11, 20)  # populate's first session
    check_known_figures(report.compute(db.engine, session_conditions(ReportFilter(start=day, end=day))))
    later = ReportFilter(start=date(2026, 11, 21))
    assert report.compute(db.engine, session_conditions(later)).modules == ()
    # A person's answer taken back and a deleted session no longer count.
    with db.session() as s, s.begin():
        clear_person(s, Where(ids["sessions"][0], "housing", PAY, BEFORE), ids["participants"][0])
    with db.session() as s:
        figure = report.for_session(s, ids["sessions"][0]).modules[0].overall
        assert (figure.before_answers, figure.before_correct) == (17, 5)
    with db.session() as s, s.begin():
        from co_app.core.db.base import utcnow

        s.get(CoSession, ids["sessions"][0]).deleted_at = utcnow()
    assert report.compute(db.engine).modules == ()


def test_the_same_figures_on_the_offices_postgresql_hub(tmp_path: Path, postgres: str) -> None:
    a = laptop(tmp_path, "a")
    ids = populate(a, sessions=1)
    record_known_answers(a, ids["sessions"][0], ids["participants"])
    hub = open_target(postgres)
    try:
        enrol(hub, a, folder=tmp_path)
        export_package(a.engine, a.device_id, tmp_path / "a.cosync", passphrase=None)
        import_package(hub.engine, tmp_path / "a.cosync", None, trust_new=True)
        check_known_figures(report.compute(hub.engine))
        found = report.compute(hub.engine, [report.S.c.place == "elsewhere"])
        assert found.modules == ()
    finally:
        hub.dispose()
