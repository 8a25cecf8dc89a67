from datetime import date
from pathlib import Path

import pytest

from co_app.core.sessions import service as session_service
from co_app.core.sessions.agenda import (
    AgendaError, AgendaRunner, Step, covered_modules, default_agenda, moment_step, parse_agenda, save_agenda,
    set_module_covered,
)
from co_app.core.db.engine import open_database
from co_app.core.db.models import CoSession


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_default_agenda_starts_with_the_destination_and_puts_breaks_between_modules() -> None:
    steps = default_agenda([("journey-and-arrival", 40), ("housing", 45), ("work-and-money", 45)],
                           "germany-jena", "jena")
    assert [(s.kind, s.ref) for s in steps] == [
        ("film", "germany-jena"), ("town", "jena"), ("module", "journey-and-arrival"), ("module", "housing"),
        ("break", ""), ("module", "work-and-money")]


def test_runner_steps_and_times_each_step() -> None:
    clock = FakeClock()
    runner = AgendaRunner([Step("film", "germany-jena", 10), Step("break", "", 15)], clock=clock)
    clock.now += 9 * 60
    assert runner.remaining_seconds() == 60
    clock.now += 2 * 60
    assert runner.remaining_seconds() == -60  # over time: the screen says so
    assert runner.next().kind == "break" and runner.remaining_seconds() == 15 * 60 and runner.is_last
    assert runner.next().kind == "break"  # the end stays the end
    assert runner.previous().kind == "film"
    with pytest.raises(AgendaError, match="empty"):
        AgendaRunner([])


def test_a_film_step_may_play_one_moment_and_keeps_it_through_storage() -> None:
    """A moment step (issue 20): a film step with the id of one of its film's moments."""
    raw = [{"kind": "film", "ref": "europe", "minutes": 5, "moment": "daily-life"},
           {"kind": "film", "ref": "germany-jena", "minutes": 10}, {"kind": "break", "minutes": 15, "moment": ""}]
    steps = parse_agenda(raw)
    assert steps[0] == Step("film", "europe", 5, "daily-life") == moment_step("europe#daily-life")
    assert steps[1].moment == "" and steps[2].moment == ""
    assert [step.as_json() for step in steps] == [raw[0], raw[1], {"kind": "break", "ref": "", "minutes": 15}]
    # A module opening with a moment has it as a step of its own, just before the module.
    agenda = default_agenda([("journey-and-arrival", 40), ("life-in-a-small-town", 45)], "germany-jena", "jena",
                            {"life-in-a-small-town": "europe#daily-life"})
    assert [(s.kind, s.ref, s.moment) for s in agenda] == [
        ("film", "germany-jena", ""), ("town", "jena", ""), ("module", "journey-and-arrival", ""),
        ("film", "europe", "daily-life"), ("module", "life-in-a-small-town", "")]


@pytest.mark.parametrize(("raw", "message"), [
    ([{"kind": "module", "ref": "housing", "minutes": 5, "moment": "daily-life"}],
     "step 1 \\(module\\) names a film moment; only a film step can play one"),
    ([{"kind": "film", "ref": "europe", "minutes": 5, "moment": 3}], "step 1 names its film moment wrongly"),
    ([{"kind": "film", "ref": "europe", "minutes": 5, "moment": "europe#welcome"}], "names its film moment wrongly"),
    ([{"kind": "film", "ref": "europe", "minutes": 5, "moment": " "}], "names its film moment wrongly"),
])
def test_a_moment_on_the_wrong_step_or_written_wrongly_names_the_step(raw, message) -> None:
    with pytest.raises(AgendaError, match=message):
        parse_agenda(raw)


@pytest.mark.parametrize(("raw", "message"), [
    ([{"kind": "dance", "ref": "x", "minutes": 5}], "unknown kind"),
    ([{"kind": "module", "ref": "", "minutes": 5}], "does not say which module"),
    ([{"kind": "film", "ref": "europe", "minutes": 0}], "1 to 240 minutes"),
    (["not a step"], "not a step"),
])
def test_a_bad_stored_agenda_names_the_step(raw, message) -> None:
    with pytest.raises(AgendaError, match=message):
        parse_agenda(raw)


def test_agenda_and_module_coverage_are_stored_for_the_session(tmp_path: Path) -> None:
    db = open_database(tmp_path / "co.sqlite3")
    with db.session() as s:
        summary = session_service.create_session(s, day=date.today(), place="Hall", facilitator="F",
                                                 language="ar", destination_towns=["germany-jena"])
        steps = default_agenda([("housing", 45)], "germany-jena", "jena")
        save_agenda(s, summary.id, steps)
        set_module_covered(s, summary.id, "housing")
        set_module_covered(s, summary.id, "health-and-wellbeing")
        set_module_covered(s, summary.id, "health-and-wellbeing", covered=False)  # the facilitator corrects it
    with db.session() as s:
        assert parse_agenda(s.get(CoSession, summary.id).agenda) == steps
        assert covered_modules(s, summary.id) == ["housing"]
    db.dispose()


def test_the_suggestion_fits_a_day_and_leaves_out_what_was_covered() -> None:
    from co_app.core.sessions.agenda import SUGGESTED_DAY_MINUTES, suggested_agenda
    from co_app.core.content.library import load_content

    content = load_content()
    steps = suggested_agenda(content, ["germany-jena"])
    assert steps[:2] == [Step("film", "germany-jena", 10), Step("town", "jena", 20)]
    modules = [s.ref for s in steps if s.kind == "module"]
    order = [m.id for m in content.modules()]
    assert modules == order[:len(modules)] and 2 <= len(modules) < len(order)
    assert sum(s.minutes for s in steps) <= SUGGESTED_DAY_MINUTES
    later = suggested_agenda(content, ["germany-jena"], skip=modules)
    assert not set(modules) & {s.ref for s in later if s.kind == "module"}
    assert [s.ref for s in later if s.kind == "module"][0] == order[len(modules)]
