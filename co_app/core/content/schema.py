"""The shape of a town or module file (content/SCHEMA.md): typed records and the
readers that build them from TOML, collecting every problem instead of stopping
at the first.  ``content.py`` finds the files, overlays translations and checks links.

Field names in problems count list entries from 1: ``facts[2].label`` is the second fact;
town sections are named by id: ``sections[housing].body``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from co_app.core.foundation.errors import Notice
from co_app.core.foundation.i18n import N_
from co_app.core.content.checks import (  # noqa: F401 - SelfCheckQuestion is part of this API
    CHECK_KINDS, SelfCheckQuestion, check_question, unique_checks,
)

FORMAT = 1
REVIEW_STATES = ("draft", "translated", "reviewed")
#: The receiving towns in DESIGN.md's order, then the country and European overviews.
TOWN_IDS = ("gaenserndorf", "zaanstad", "merchtem", "jena", "somcuta-mare", "biella",
            "caranguejeira", "france", "europe")


def town_key(ref: str) -> str:
    """One id per town: sessions store the film id ("germany-jena"), content and some
    rosters the town id ("jena"); both become the town id, so a destination counts once."""
    ref = (ref or "").strip()
    if ref in TOWN_IDS:
        return ref
    return next((town for town in TOWN_IDS if ref.endswith("-" + town)), ref)
TOWN_KINDS = ("town", "country", "overview")
EXPECTED_KIND = {"france": "country", "europe": "overview"}
SECTION_IDS = ("housing", "work", "language", "school", "health", "transport", "support",
               "faith", "surprises")
MODULE_IDS = ("journey-and-arrival", "life-in-a-small-town", "housing", "work-and-money",
              "learning-the-language", "school-and-childcare", "health-and-wellbeing",
              "rights-and-responsibilities", "volunteers-and-local-support", "the-first-year")
MIN_FIRST_WORDS = 6
MIN_MYTHS = 3
SELF_CHECK_RANGE = (3, 6)
HEADER = ("format", "id", "language", "review")
#: A translation file's own header: the hash of the English text it translates, and who
#: reviewed it when (SCHEMA.md, "Review status").
REVIEW_FIELDS = ("source_hash", "reviewed_by", "reviewed_on")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_MOMENT_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*#[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class ContentProblem:
    """One problem in one file; ``str()`` names the file, the item and the field."""

    path: Path
    item: str      # "town jena", "module housing", or "" for the file as a whole
    field: str     # "sections[housing].body", or "" when the whole file is meant
    message: str
    severity: str = "error"  # "error" | "warning"
    file: str = ""  # the path as shown to a person (relative to the content folder's parent)

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.file or str(self.path), self.item) if part)
        subject = f"field '{self.field}' " if self.field else ""
        return f"{where}: {subject}{self.message}"

    def notice(self) -> Notice:
        """The problem as a person reads it, in the interface language where it is shown
        (``terminal_text``, ``Notice.translated``); the file's path and the field's name stay
        as they are inside the sentence.  ``str()`` and ``as_dict()`` stay English."""
        kind, _, item_id = self.item.partition(" ")
        item_template = ITEM_KINDS.get(kind)
        item = Notice(item_template, id=item_id) if item_template else self.item
        template = PROBLEM_SHAPES[(bool(item), bool(self.field))]
        return Notice(template, file=self.file or str(self.path), item=item, field=self.field, message=self.message)

    def as_dict(self) -> dict[str, str]:
        return {"file": self.file or str(self.path), "item": self.item, "field": self.field,
                "message": str(self.message), "severity": self.severity}


#: "town jena", "module housing" in a problem's sentence.
ITEM_KINDS = {"town": N_("town {id}"), "module": N_("module {id}")}
#: A problem's sentence, by (names an item, names a field).
PROBLEM_SHAPES = {(True, True): N_("{file}: {item}: field '{field}' {message}"),
                  (True, False): "{file}: {item}: {message}", (False, True): N_("{file}: field '{field}' {message}"),
                  (False, False): "{file}: {message}"}


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    year: int
    source: str
    confirm: bool = False


@dataclass(frozen=True)
class Section:
    title: str
    body: str  # light Markdown
    id: str = ""  # town sections only: one of SECTION_IDS
    confirm: bool = False


@dataclass(frozen=True)
class FirstWord:
    local: str
    pronunciation: str
    meaning: str


@dataclass(frozen=True)
class FilmVoice:
    moment: str  # "<film id>#<moment id>"
    note: str

    @property
    def film_id(self) -> str:
        return self.moment.partition("#")[0]

    @property
    def moment_id(self) -> str:
        return self.moment.partition("#")[2]


@dataclass(frozen=True)
class Organisation:
    name: str
    what: str
    confirm: bool = False


@dataclass(frozen=True)
class Town:
    id: str
    #: The language of this copy's text: the asked-for language when a file exists for
    #: it (untranslated fields are English), else "en".
    language: str
    review: str  # review status of that language's file
    name: str
    film: str  # "" when there is no film (france)
    country: str
    region: str
    kind: str
    summary: str
    location: Location | None
    facts: tuple[Fact, ...] = ()
    sections: tuple[Section, ...] = ()
    first_words: tuple[FirstWord, ...] = ()
    film_voices: tuple[FilmVoice, ...] = ()
    organisations: tuple[Organisation, ...] = ()

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)


@dataclass(frozen=True)
class Myth:
    myth: str
    reality: str


@dataclass(frozen=True)
class Activity:
    title: str
    minutes: int
    steps: tuple[str, ...]
    materials: tuple[str, ...] = ()


@dataclass(frozen=True)
class Module:
    id: str
    language: str
    review: str
    title: str
    order: int
    minutes: int
    objectives: tuple[str, ...]
    key_messages: tuple[str, ...]
    sections: tuple[Section, ...]
    myths: tuple[Myth, ...]
    questions: tuple[str, ...]
    activity: Activity | None
    moments: tuple[str, ...]
    self_check: tuple[SelfCheckQuestion, ...]
    #: The film moment the module opens with ("<film id>#<moment id>", or ""): the suggested
    #: agenda plays it as a step of its own just before the module.
    opening_moment: str = ""


class Reader:
    """Reads one TOML table; every problem is recorded with file, item and field."""

    def __init__(self, problems: list[ContentProblem], path: Path, file: str, item: str,
                 table: dict[str, Any], prefix: str = ""):
        self.problems, self.path, self.file, self.item = problems, path, file, item
        self.table, self.prefix = table, prefix

    def report(self, name: str, template: str, severity: str = "error", /, **params: Any) -> None:
        """A problem of the field ``name``: ``template`` (marked with ``N_``; it follows the
        field's name: "is missing") filled with ``params``, said in the reader's language
        where it is shown (``ContentProblem.notice``)."""
        message = template if isinstance(template, Notice) else Notice(template, **params)
        self.problems.append(ContentProblem(self.path, self.item, self.prefix + name if name else
                                            self.prefix.rstrip("."), message, severity, self.file))

    def child(self, table: dict[str, Any], prefix: str) -> "Reader":
        return Reader(self.problems, self.path, self.file, self.item, table, self.prefix + prefix)

    def unknown_fields(self, known: tuple[str, ...]) -> None:
        for name in self.table:
            if name not in known:
                self.report(name, N_("is not part of the schema (content/SCHEMA.md); it is ignored"), "warning")

    def text(self, name: str, *, required: bool = True, allow_empty: bool = False) -> str:
        value = self.table.get(name)
        if value is None:
            if required:
                self.report(name, N_("is missing"))
            return ""
        if not isinstance(value, str):
            self.report(name, N_("must be text, not {kind}"), kind=_kind(value))
            return ""
        if not value.strip() and not allow_empty:
            self.report(name, N_("must not be empty"))
        return value

    def choice(self, name: str, allowed: tuple[str, ...]) -> str:
        value = self.text(name)
        if value and value not in allowed:
            self.report(name, N_("has the value {value!r}; allowed: {allowed}"), value=value,
                        allowed=", ".join(allowed))
            return ""
        return value

    def integer(self, name: str, *, low: int = 0, high: int | None = None, required: bool = True) -> int:
        value = self.table.get(name)
        if value is None:
            if required:
                self.report(name, N_("is missing"))
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(name, N_("must be a whole number, not {kind}"), kind=_kind(value))
            return 0
        if value < low or (high is not None and value > high):
            self.report(name, N_("is {value}; it must be between {low} and {high}") if high is not None
                        else N_("is {value}; it must be at least {low}"), value=value, low=low, high=high)
            return 0
        return value

    def flag(self, name: str) -> bool:
        value = self.table.get(name, False)
        if not isinstance(value, bool):
            self.report(name, N_("must be true or false, not {kind}"), kind=_kind(value))
            return False
        return value

    def texts(self, name: str, *, minimum: int = 1, required: bool = True) -> tuple[str, ...]:
        value = self.table.get(name)
        if value is None:
            if required:
                self.report(name, N_("is missing"))
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.report(name, N_("must be a list of non-empty texts"))
            return ()
        if len(value) < minimum:
            self.report(name, N_("has {count} entries; at least {minimum} expected"), count=len(value),
                        minimum=minimum)
        return tuple(value)

    def tables(self, name: str, *, minimum: int = 0, maximum: int | None = None,
               required: bool = False) -> list[tuple[int, dict[str, Any]]]:
        """The [[name]] tables as (number from 1, table) pairs."""
        value = self.table.get(name)
        if value is None:
            value = []
            if required:
                self.report(name, N_("is missing (expected [[{name}]] tables)"), name=name)
                return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.report(name, N_("must be a list of [[{name}]] tables"), name=name)
            return []
        if len(value) < minimum or (maximum is not None and len(value) > maximum):
            self.report(name, N_("has {count} entries; between {minimum} and {maximum} expected") if maximum is not None
                        else N_("has {count} entries; at least {minimum} expected"), count=len(value), minimum=minimum,
                        maximum=maximum)
        return list(enumerate(value, start=1))

    def entry(self, build):
        """Build one list entry; None (left out) when it has errors of its own."""
        before = sum(p.severity == "error" for p in self.problems)
        result = build(self)
        return result if sum(p.severity == "error" for p in self.problems) == before else None


def _kind(value: Any) -> str:
    kinds = {str: N_("text"), bool: N_("true/false"), int: N_("a number"), float: N_("a number"), list: N_("a list"),
             dict: N_("a table")}
    said = kinds.get(type(value))
    return Notice(said) if said else type(value).__name__


def _location(r: Reader, required: bool) -> Location | None:
    value = r.table.get("location")
    if value is None:
        if required:
            r.report("location", N_("is missing"))
        return None
    if not isinstance(value, dict):
        r.report("location", N_("must be a table {{ lat = …, lon = … }}"))
        return None
    coords = {}
    for axis, limit in (("lat", 90), ("lon", 180)):
        number = value.get(axis)
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            r.report(f"location.{axis}", N_("must be a number of decimal degrees"))
        elif not -limit <= number <= limit:
            r.report(f"location.{axis}", N_("is {value}; it must be between -{limit} and {limit}"), value=number,
                     limit=limit)
        else:
            coords[axis] = float(number)
    return Location(coords["lat"], coords["lon"]) if len(coords) == 2 else None


def _moment_link(r: Reader, name: str, value: str) -> None:
    if value and not _MOMENT_RE.match(value):
        r.report(name, N_("is {value!r}; a film moment is written '<film id>#<moment id>'"), value=value)


TOWN_FIELDS = HEADER + ("name", "film", "country", "region", "kind", "summary", "location", "facts",
                        "sections", "first_words", "film_voices", "organisations")


def _town_sections(r: Reader, kind: str | None) -> list[Section]:
    """A town's sections: known ids, each once, in the agreed order (all expected for a town)."""
    sections: list[Section] = []
    for number, table in r.tables("sections", required=kind == "town"):
        sid = table.get("id")
        e = r.child(table, f"sections[{sid if isinstance(sid, str) and sid else number}].")
        e.unknown_fields(("id", "title", "body", "confirm"))
        section_id = e.choice("id", SECTION_IDS)
        if section_id and any(s.id == section_id for s in sections):
            e.report("id", N_("'{id}' appears twice"), id=section_id)
            continue
        built = e.entry(lambda x: Section(x.text("title"), x.text("body"), section_id, x.flag("confirm")))  # noqa: B023 - e.entry calls it at once
        if built is not None and section_id:
            sections.append(built)
    ids = [s.id for s in sections]
    if ids != sorted(ids, key=SECTION_IDS.index):
        r.report("sections", N_("are not in the agreed order ({ids})"), "warning", ids=", ".join(SECTION_IDS))
    if kind == "town":
        missing = [s for s in SECTION_IDS if s not in ids]
        if missing:
            r.report("sections", N_("has no section {ids} (all are expected for a town)"), "warning",
                     ids=", ".join(missing))
    return sections


def build_town(r: Reader, town_id: str, language: str, review: str) -> Town:
    r.unknown_fields(TOWN_FIELDS)
    kind = r.choice("kind", TOWN_KINDS)
    if kind and kind != EXPECTED_KIND.get(town_id, "town"):
        r.report("kind", N_("is {kind!r}; '{expected}' expected for {town}"), "warning", kind=kind,
                 expected=EXPECTED_KIND.get(town_id, "town"), town=town_id)
    country = r.text("country")
    if country and not _COUNTRY_RE.match(country):
        r.report("country", N_("is {value!r}; a two-letter code such as 'DE' (or 'EU') expected"), value=country)

    def fact(e: Reader) -> Fact:
        e.unknown_fields(("label", "value", "year", "source", "confirm"))
        return Fact(e.text("label"), e.text("value"), e.integer("year", low=1900, high=2100),
                    e.text("source"), e.flag("confirm"))

    sections = _town_sections(r, kind)

    def word(e: Reader) -> FirstWord:
        e.unknown_fields(("local", "pronunciation", "meaning"))
        return FirstWord(e.text("local"), e.text("pronunciation"), e.text("meaning"))

    def voice(e: Reader) -> FilmVoice:
        e.unknown_fields(("moment", "note"))
        moment = e.text("moment")
        _moment_link(e, "moment", moment)
        return FilmVoice(moment, e.text("note"))

    def organisation(e: Reader) -> Organisation:
        e.unknown_fields(("name", "what", "confirm"))
        return Organisation(e.text("name"), e.text("what"), e.flag("confirm"))

    def entries(name: str, build, minimum: int = 0) -> tuple:
        built = (r.child(t, f"{name}[{n}].").entry(build) for n, t in r.tables(name, minimum=minimum))
        return tuple(b for b in built if b is not None)

    return Town(
        id=town_id, language=language, review=review,
        name=r.text("name"), film=r.text("film", allow_empty=True), country=country,
        region=r.text("region"), kind=kind, summary=r.text("summary"),
        location=_location(r, required=kind != "overview"),
        facts=entries("facts", fact),
        sections=tuple(sections),
        first_words=entries("first_words", word, MIN_FIRST_WORDS if kind == "town" else 0),
        film_voices=entries("film_voices", voice),
        organisations=entries("organisations", organisation),
    )


MODULE_FIELDS = HEADER + ("title", "order", "minutes", "objectives", "key_messages", "sections", "myths",
                          "questions", "activity", "moments", "self_check", "opening_moment")


def build_module(r: Reader, module_id: str, language: str, review: str) -> Module:
    r.unknown_fields(MODULE_FIELDS)
    order = r.integer("order", low=1)
    if order and module_id in MODULE_IDS and order != MODULE_IDS.index(module_id) + 1:
        r.report("order", N_("is {order}; {place} is this module's place in the agreed order"), "warning",
                 order=order, place=MODULE_IDS.index(module_id) + 1)

    def section(e: Reader) -> Section:
        e.unknown_fields(("title", "body"))
        return Section(e.text("title"), e.text("body"))

    def myth(e: Reader) -> Myth:
        e.unknown_fields(("myth", "reality"))
        return Myth(e.text("myth"), e.text("reality"))

    key_messages = r.texts("key_messages")

    def question(e: Reader) -> SelfCheckQuestion:
        return check_question(e, len(key_messages))

    def entries(name: str, build, **limits) -> tuple:
        built = (r.child(t, f"{name}[{n}].").entry(build) for n, t in r.tables(name, **limits))
        return tuple(b for b in built if b is not None)

    activity = None
    table = r.table.get("activity")
    if table is None:
        r.report("activity", N_("is missing (expected an [activity] table)"))
    elif not isinstance(table, dict):
        r.report("activity", N_("must be an [activity] table"))
    else:
        a = r.child(table, "activity.")
        a.unknown_fields(("title", "minutes", "steps", "materials"))
        activity = Activity(a.text("title"), a.integer("minutes", low=1), a.texts("steps"),
                            a.texts("materials", minimum=0, required=False))
    moments = r.texts("moments", minimum=0, required=False)
    for number, moment in enumerate(moments, start=1):
        _moment_link(r, f"moments[{number}]", moment)
    opening = r.text("opening_moment", required=False)
    _moment_link(r, "opening_moment", opening)
    return Module(
        id=module_id, language=language, review=review,
        title=r.text("title"), order=order, minutes=r.integer("minutes", low=1),
        objectives=r.texts("objectives"), key_messages=key_messages,
        sections=entries("sections", section, minimum=1, required=True),
        myths=entries("myths", myth, minimum=MIN_MYTHS, required=True),
        questions=r.texts("questions"),
        activity=activity, moments=moments, opening_moment=opening,
        self_check=unique_checks(r, entries("self_check", question, minimum=SELF_CHECK_RANGE[0],
                                            maximum=SELF_CHECK_RANGE[1], required=True)),
    )

