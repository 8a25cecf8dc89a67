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
        return film.town_name(language) if film else step.ref
    return ""


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
        title = step_title(step, content, manifest, language)
        film = manifest.film(step.ref) if manifest else None
        return [Slide("film", title, title=title, body=film.title_in(language) if film else "", ref=step.ref,
                      label=LABEL_FILM, minutes=step.minutes)]
    elif step.kind == "break":
        return [Slide("break", "", label=LABEL_BREAK, minutes=step.minutes)]
    return [Slide("title", step.ref, title=step.ref)]
