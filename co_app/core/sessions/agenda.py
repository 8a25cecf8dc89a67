"""A session's agenda and the runner that steps through it — the core of the session
runner (the UI shows it; this module decides what comes next and what was covered).

An agenda is a list of steps kept as plain JSON in ``CoSession.agenda``:
``{"kind": "module" | "film" | "town" | "break", "ref": "<id>", "minutes": 20}``; a film
step may add ``"moment": "<moment id>"`` (a moment of that film in the film manifest):
it then plays that time range, not the whole film.
Pure Python: the clock is passed in, so the timer is tested without waiting.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from co_app.core.db.models import CoSession, ModuleCoverage
from co_app.core.foundation.errors import CoError, sentence
from co_app.core.foundation.i18n import N_

KINDS = ("module", "film", "town", "break")
#: How long a new step of each kind lasts until the facilitator changes it (a module's
#: length comes from its content file); the suggested agenda and the agenda editor use these.
STEP_MINUTES = {"film": 10, "town": 20, "break": 15, "moment": 5}
#: The longest a step may last, and the shortest.
MIN_STEP_MINUTES, MAX_STEP_MINUTES = 1, 240


class AgendaError(CoError):
    """An agenda step that cannot be run (unknown kind, missing reference, bad length)."""


@dataclass(frozen=True)
class Step:
    kind: str
    ref: str
    minutes: int
    #: A film step's moment: a moment id of the film ``ref`` (media manifest); the step then
    #: plays that time range only.  "" plays the whole film.
    moment: str = ""

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "ref": self.ref, "minutes": self.minutes}
        if self.moment:
            data["moment"] = self.moment
        return data


def moment_step(link: str, minutes: int = STEP_MINUTES["moment"]) -> Step:
    """A film step playing one moment, from a content link ``"<film id>#<moment id>"``."""
    film_id, _, moment_id = link.partition("#")
    return Step("film", film_id, minutes, moment_id)


def parse_agenda(raw: Iterable[Any]) -> list[Step]:
    """Steps from the stored JSON; an error names the step and what is wrong with it."""
    steps = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise AgendaError(sentence(N_("Agenda step {number} is not a step."), number=number))
        kind, ref, minutes = item.get("kind"), item.get("ref", ""), item.get("minutes")
        if kind not in KINDS:
            raise AgendaError(sentence(N_("Agenda step {number} has the unknown kind {kind!r}."),
                                       number=number, kind=kind))
        if kind != "break" and not (isinstance(ref, str) and ref):
            raise AgendaError(sentence(N_("Agenda step {number} ({kind}) does not say which {kind}."),
                                       number=number, kind=kind))
        if (isinstance(minutes, bool) or not isinstance(minutes, int)
                or not MIN_STEP_MINUTES <= minutes <= MAX_STEP_MINUTES):
            raise AgendaError(sentence(N_("Agenda step {number} must last {minimum} to {maximum} "
                                          "minutes."),
                                       number=number, minimum=MIN_STEP_MINUTES,
                                       maximum=MAX_STEP_MINUTES))
        steps.append(Step(kind, ref or "", minutes, _step_moment(number, kind, item.get("moment"))))
    return steps


def _step_moment(number: int, kind: str, moment: Any) -> str:
    """A stored step's film moment: a moment id, on a film step only."""
    if moment is None or moment == "":
        return ""
    if not isinstance(moment, str) or not moment.strip() or "#" in moment:
        raise AgendaError(sentence(N_("Agenda step {number} names its film moment wrongly: a moment is named "
                                      "by its id, such as 'daily-life'."), number=number))
    if kind != "film":
        raise AgendaError(sentence(N_("Agenda step {number} ({kind}) names a film moment; only a film step can "
                                      "play one."), number=number, kind=kind))
    return moment


def default_agenda(modules: Iterable[tuple[str, int]], destination_film: str | None,
                   destination_town: str | None, openings: Mapping[str, str] | None = None) -> list[Step]:
    """A first agenda to edit: the destination's film and town, then every module in
    order (id, minutes), with a break after every two modules.  A module that opens with a
    film moment (``openings``: module id → ``"<film id>#<moment id>"``, the module's
    ``opening_moment`` in the content) has that moment as a step of its own just before it:
    the group watches, then talks."""
    steps: list[Step] = []
    if destination_film:
        steps.append(Step("film", destination_film, STEP_MINUTES["film"]))
    if destination_town:
        steps.append(Step("town", destination_town, STEP_MINUTES["town"]))
    for index, (module_id, minutes) in enumerate(modules):
        if openings and openings.get(module_id):
            steps.append(moment_step(openings[module_id]))
        steps.append(Step("module", module_id, minutes))
        if index % 2 == 1:
            steps.append(Step("break", "", STEP_MINUTES["break"]))
    if steps and steps[-1].kind == "break":
        steps.pop()
    return steps


#: A session day's length the suggestion fits in (a morning and an early afternoon).
SUGGESTED_DAY_MINUTES = 300


def suggested_agenda(content: Any, destination_films: Iterable[str], *, skip: Iterable[str] = (),
                     day_minutes: int = SUGGESTED_DAY_MINUTES) -> list[Step]:
    """The default agenda for a session going to ``destination_films`` (film ids): that
    town's film and profile, then the modules of ``content`` (a ContentLibrary) in order —
    leaving out ``skip`` (already covered) — as many as fit in ``day_minutes`` with the
    breaks.  The facilitator edits it from there."""
    film_id = next(iter(destination_films), None)
    town = next((t for t in content.towns() if film_id and t.film == film_id), None)
    skipped = set(skip)
    openings = opening_moments(content)
    modules: list[tuple[str, int]] = []
    for module in content.modules():
        if module.id in skipped:
            continue
        candidate = default_agenda([*modules, (module.id, module.minutes)], film_id, town.id if town else None,
                                   openings)
        if modules and sum(step.minutes for step in candidate) > day_minutes:
            break
        modules.append((module.id, module.minutes))
    return default_agenda(modules, film_id, town.id if town else None, openings)


def opening_moments(content: Any) -> dict[str, str]:
    """Module id → the film moment it opens with (``opening_moment`` in its content file)."""
    return {m.id: m.opening_moment for m in content.modules() if getattr(m, "opening_moment", "")}


@dataclass
class AgendaRunner:
    """Where the group is in the agenda and how long the current step has run."""

    steps: list[Step]
    clock: Callable[[], float] = time.monotonic
    index: int = 0
    _started: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        if not self.steps:
            raise AgendaError(sentence(N_("The agenda is empty: add a module, a film, a town or a break first.")))
        self._started = self.clock()

    @property
    def current(self) -> Step:
        return self.steps[self.index]

    @property
    def is_last(self) -> bool:
        return self.index == len(self.steps) - 1

    def elapsed_seconds(self) -> int:
        return int(self.clock() - self._started)

    def remaining_seconds(self) -> int:
        """Negative once the step has run over its time (the timer shows it in red)."""
        return self.current.minutes * 60 - self.elapsed_seconds()

    def go_to(self, index: int) -> Step:
        self.index = max(0, min(len(self.steps) - 1, index))
        self._started = self.clock()
        return self.current

    def next(self) -> Step:
        return self.go_to(self.index + 1)

    def previous(self) -> Step:
        return self.go_to(self.index - 1)


def load_agenda(db: Session, session_id: str) -> list[Step]:
    row = db.get(CoSession, session_id)
    if row is None or row.deleted_at is not None:
        raise AgendaError(sentence(N_("That session no longer exists.")))
    return parse_agenda(row.agenda or [])


def save_agenda(db: Session, session_id: str, steps: list[Step]) -> None:
    row = db.get(CoSession, session_id)
    if row is None:
        raise AgendaError(sentence(N_("That session no longer exists.")))
    row.agenda = [step.as_json() for step in steps]
    db.commit()


def set_module_covered(db: Session, session_id: str, module_id: str, covered: bool = True) -> None:
    """Record (or correct) that a module was covered in a session; one row per pair, kept
    when un-covered so the correction itself is synced."""
    row = db.scalar(select(ModuleCoverage).where(ModuleCoverage.session_id == session_id,
                                                 ModuleCoverage.module_id == module_id))
    if row is None:
        db.add(ModuleCoverage(session_id=session_id, module_id=module_id, covered=covered))
    else:
        row.covered = covered
    db.commit()


def covered_modules(db: Session, session_id: str) -> list[str]:
    rows = db.scalars(select(ModuleCoverage.module_id).where(
        ModuleCoverage.session_id == session_id, ModuleCoverage.covered.is_(True),
        ModuleCoverage.deleted_at.is_(None)).order_by(ModuleCoverage.created_at))
    return list(rows)
