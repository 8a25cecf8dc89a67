"""What the projector shows for each step of an agenda: one idea per screen.

A module becomes its title and objectives, one screen per key message and per section,
one card per myth (turned over to show the reality), one per discussion question, the
group activity and the self-check; a town its summary, its figures, its sections and its
first words; a film one screen that starts it; a break one screen with the time to come
back.  Pure Python: the UI draws the slides, the tests count them.

Slide text comes from the content in the *group's* language (with English fallback, as
the content library gives it).  The few words the application adds ("Myth", "Reality",
"Break"…) are marked with ``N_`` here and translated into the group's language where
they are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from co_app.core.sessions.agenda import Step
from co_app.core.content.library import ContentLibrary
from co_app.core.content.schema import Module, Town
from co_app.core.foundation.i18n import N_
from co_app.core.media.manifest import Manifest

#: Slide kinds the UI knows how to draw.
KINDS = ("title", "points", "text", "myth", "question", "activity", "check", "facts", "words", "film", "break")

LABEL_OBJECTIVES = N_("Today you will")
LABEL_KEY_MESSAGE = N_("Remember")
LABEL_MYTH = N_("Myth")
LABEL_REALITY = N_("Reality")
LABEL_MYTH_PROMPT = N_("True or not?")
LABEL_DISCUSS = N_("Let us talk")
LABEL_ACTIVITY = N_("Group activity")
LABEL_CHECK = N_("What do you think?")
LABEL_FACTS = N_("At a glance")
LABEL_WORDS = N_("First words")
LABEL_FILM = N_("Film")
LABEL_BREAK = N_("Break")
LABEL_MINUTES = N_("{minutes} minutes")
#: Small, at the foot of a slide shared out over several screens: "1 of 2".
LABEL_PART = N_("{number} of {total}")
#: Small, at the foot of the session's first slide: which content the projector shows.
LABEL_CONTENT_VERSION = N_("Content version {version} of {date}")


@dataclass(frozen=True)
class Slide:
    kind: str
    #: The step's title (module or town name) shown small at the top of every slide.
    heading: str
    #: The big line of the slide.
    title: str = ""
    #: Light Markdown for "text" slides; the reality of a myth card.
    body: str = ""
    #: Bullet points, answer options, (label, value) pairs flattened as "label\tvalue".
    items: tuple[str, ...] = ()
    #: An application label (marked with N_) shown above the title, in the group's language.
    label: str = ""
    #: For "check": the index of the right option; for "film": the film id in ``ref``.
    answer: int = -1
    ref: str = ""
    minutes: int = 0
    extra: dict[str, str] = field(default_factory=dict, compare=False)


def module_slides(module: Module) -> list[Slide]:
    h = module.title
    slides = [Slide("title", h, title=module.title, items=module.objectives, label=LABEL_OBJECTIVES)]
    slides += [Slide("points", h, title=message, label=LABEL_KEY_MESSAGE) for message in module.key_messages]
    slides += [Slide("text", h, title=section.title, body=section.body) for section in module.sections]
    slides += [Slide("myth", h, title=myth.myth, body=myth.reality, label=LABEL_MYTH) for myth in module.myths]
    slides += [Slide("question", h, title=question, label=LABEL_DISCUSS) for question in module.questions]
    if module.activity is not None:
        a = module.activity
        slides.append(Slide("activity", h, title=a.title, items=a.steps, label=LABEL_ACTIVITY, minutes=a.minutes))
    slides += [Slide("check", h, title=q.question, items=q.options, answer=q.answer, body=q.explanation,
                     label=LABEL_CHECK) for q in module.self_check]
    return slides


def town_slides(town: Town) -> list[Slide]:
    """The group's screens: no sources, nor notes for the facilitator ("to be confirmed …");
    the first words' pronunciation in the group's script where the content gives it."""
    from co_app.core.content.audience import for_participants as shown

    h = town.name
    slides = [Slide("title", h, title=town.name, body=shown(town.summary), ref=town.id)]
    if town.facts:
        slides.append(Slide("facts", h, title=town.name, label=LABEL_FACTS,
                            items=tuple(f"{fact.label}\t{shown(fact.value)}" for fact in town.facts)))
    slides += [Slide("text", h, title=section.title, body=shown(section.body)) for section in town.sections]
    if town.first_words:
        slides.append(Slide("words", h, title=town.name, label=LABEL_WORDS,
                            items=tuple(f"{w.local}\t{w.pronunciation}\t{w.meaning}" for w in town.first_words)))
    return slides


def step_title(step: Step, content: ContentLibrary, manifest: Manifest | None, language: str) -> str:
    """The step's name in the group's language ("" for a break: the UI names it)."""
    if step.kind == "module":
        module = content.module(step.ref, language)
        return module.title if module else step.ref
    if step.kind == "town":
        town = content.town(step.ref, language)
        return town.name if town else step.ref
    if step.kind == "film":
        film = manifest.film(step.ref) if manifest else None
        name = film.town_name(language) if film else step.ref
        if step.moment:  # "Europe — Daily life and who helps": the moment's name, in the group's language
            moment = step_moment(step, manifest)
            return "{film} — {moment}".format(film=name, moment=moment.title_in(language) if moment else step.moment)
        return name
    return ""


def step_moment(step: Step, manifest: Manifest | None):  # Moment | None
    """The film moment a film step plays (None: the whole film, or a moment the manifest no
    longer has — the runner then plays the film from its start and says so)."""
    film = manifest.film(step.ref) if manifest and step.kind == "film" and step.moment else None
    return film.moment(step.moment) if film else None


def with_content_version(slides: list[Slide], version: int, date: str) -> list[Slide]:
    """The session's first slides, the first of them marked with the content's version."""
    from dataclasses import replace

    if not slides:
        return slides
    first = replace(slides[0], extra={**slides[0].extra, "content_version": str(version), "content_date": date})
    return [first, *slides[1:]]


def step_slides(step: Step, content: ContentLibrary, manifest: Manifest | None, language: str) -> list[Slide]:
    """Every screen of one agenda step, in the group's language.  A step whose module,
    town or film is missing still gets one screen naming it, so the runner never stops."""
    if step.kind == "module":
        module = content.module(step.ref, language)
        if module is not None:
            return module_slides(module)
    elif step.kind == "town":
        town = content.town(step.ref, language)
        if town is not None:
            return town_slides(town)
    elif step.kind == "film":
        film = manifest.film(step.ref) if manifest else None
        title = heading = film.town_name(language) if film else step.ref
        moment = step_moment(step, manifest)
        if moment is not None:  # the town small at the top, the moment's name big
            title = moment.title_in(language)
        return [Slide("film", heading, title=title, body=film.title_in(language) if film else "", ref=step.ref,
                      label=LABEL_FILM, minutes=step.minutes)]
    elif step.kind == "break":
        return [Slide("break", "", label=LABEL_BREAK, minutes=step.minutes)]
    return [Slide("title", step.ref, title=step.ref)]


#: The kinds whose text may be shared out over several screens (by items or paragraphs);
#: a myth card, a question and a check stay whole (their type gets smaller instead).
SPLITTABLE = ("title", "points", "text", "activity", "facts", "words", "film")


def split(slide: Slide, parts: int) -> list[Slide]:
    """``slide`` as ``parts`` screens, in order (fewer when it has fewer pieces): its items,
    or else its body's paragraphs (then sentences), shared out so each screen holds about
    the same length of text.  Each screen keeps the heading, label and title and says
    which part it is (``extra["part"]``, ``extra["parts"]``); only the first keeps the
    content version line."""
    from dataclasses import replace

    if parts <= 1 or slide.kind not in SPLITTABLE:
        return [slide]
    by_items = bool(slide.items)
    pieces = list(slide.items) if by_items else _paragraphs(slide.body, parts)
    groups = _share(pieces, parts)
    if len(groups) <= 1:
        return [slide]
    extra = {k: v for k, v in slide.extra.items() if k not in ("part", "parts")}
    later = {k: v for k, v in extra.items() if not k.startswith("content_")}
    screens = []
    for number, group in enumerate(groups, start=1):
        content = {"items": tuple(group)} if by_items else {"body": "\n\n".join(group)}
        marks = {**(extra if number == 1 else later), "part": str(number), "parts": str(len(groups))}
        screens.append(replace(slide, **content, extra=marks))
    return screens


def _paragraphs(body: str, wanted: int) -> list[str]:
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    if len(paragraphs) >= wanted:
        return paragraphs
    import re

    return [s for p in paragraphs for s in re.split(r"(?<=[.!?።؟])\s+", p) if s]


def _share(pieces: list[str], parts: int) -> list[list[str]]:
    """``pieces`` in at most ``parts`` runs of about equal length, in order, none empty."""
    parts = min(parts, len(pieces))
    if parts <= 1:
        return [pieces] if pieces else []
    total = sum(len(p) + 1 for p in pieces)
    groups: list[list[str]] = [[]]
    done = 0
    for index, piece in enumerate(pieces):
        left = len(pieces) - index  # pieces still to place, this one included
        need = parts - len(groups)  # groups still to open after the current one
        target = total * len(groups) / parts
        if groups[-1] and need > 0 and (done + (len(piece) + 1) / 2 > target or left <= need):
            groups.append([])
        groups[-1].append(piece)
        done += len(piece) + 1
    return groups
