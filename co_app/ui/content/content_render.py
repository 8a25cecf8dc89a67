"""Towns and modules as Markdown for Qt's own renderer (QTextBrowser.setMarkdown).

Emphasis is written ``*like this*``: Qt's reader turns ``_like this_`` into underline.

Film moments become links ``moment:<film id>#<moment id>``; the view that shows the
text turns a click on one into "play that part of the film"."""

from __future__ import annotations

from co_app.core.content.audience import for_facilitator, for_participants
from co_app.core.content.schema import Module, Town
from co_app.core.foundation.i18n import _, country_name, isolate
from co_app.core.media.manifest import Manifest, Moment
from co_app.ui.media.player_panel import format_clock

MOMENT_SCHEME = "moment"


def _moment(manifest: Manifest | None, link: str, language: str) -> tuple[str, Moment] | None:
    film_id, _sep, moment_id = link.partition("#")
    film = manifest.film(film_id) if manifest else None
    moment = film.moment(moment_id) if film else None
    if film is None or moment is None:
        return None
    span = isolate(f"{format_clock(moment.start_ms)}–{format_clock(moment.end_ms)}")
    return f"{film.town_name(language)}: {moment.title_in(language)} ({span})", moment


def moment_link(manifest: Manifest | None, link: str, language: str) -> str:
    found = _moment(manifest, link, language)
    if found is None:
        return ""
    label, _m = found
    return f"[▶ {label}]({MOMENT_SCHEME}:{link})"


def _review_note(review: str) -> str:
    if review == "translated":
        return "*" + _("This text is translated but not yet reviewed by a native speaker.") + "*"
    if review == "draft":
        return "*" + _("This text is a draft: the programme office has not yet reviewed it.") + "*"
    return ""


def _to_confirm() -> str:
    return " *(" + _("to be confirmed by the local office") + ")*"


def _cell(text: object) -> str:
    return str(text).replace("|", "/").replace("\n", " ")


def town_markdown(town: Town, manifest: Manifest | None, *, facilitator: bool = True) -> str:
    """The profile as the facilitator reads it; with ``facilitator=False`` (the viewer) without
    the figures' sources, "to be confirmed" marks and notes for the facilitator."""
    lang = town.language
    out = [f"# {town.name}", f"**{isolate(country_name(town.country))}** · {town.region}", "", town.summary, ""]
    if town.facts and facilitator:
        out += ["## " + _("At a glance"), "", "| | | " + _("Source") + " |", "|---|---|---|"]
        for fact in town.facts:
            value = fact.value + (_to_confirm() if fact.confirm else "")
            out.append(f"| **{_cell(fact.label)}** | {_cell(value)} | {_cell(fact.source)}, {fact.year} |")
        out.append("")
    elif town.facts:  # the viewer: the figures alone (a table's empty header row said nothing)
        out += ["## " + _("At a glance"), ""] + [f"- **{fact.label}**: {fact.value}" for fact in town.facts] + [""]
    for section in town.sections:
        out += [f"## {section.title}", "", section.body.strip()]
        if section.confirm and facilitator:
            out.append(_to_confirm().strip())
        out.append("")
    if town.first_words:
        out += ["## " + _("First words"), "",
                "| " + " | ".join((_("Word"), _("Say it like"), _("Meaning"))) + " |", "|---|---|---|"]
        out += [f"| **{_cell(w.local)}** | {_cell(w.pronunciation)} | {_cell(w.meaning)} |" for w in town.first_words]
        out.append("")
    voices = [(moment_link(manifest, v.moment, lang), v.note) for v in town.film_voices]
    if any(link for link, _note in voices):
        out += ["## " + _("What people in the film say"), ""]
        out += [f"- {link} — {note}" for link, note in voices if link]
        out.append("")
    if town.organisations:
        out += ["## " + _("Who helps"), ""]
        out += [f"- **{o.name}**: {o.what}" + (_to_confirm() if o.confirm and facilitator else "")
                for o in town.organisations]
        out.append("")
    out.append(_review_note(town.review))
    return (for_facilitator if facilitator else for_participants)("\n".join(out))


def module_markdown(module: Module, manifest: Manifest | None) -> str:
    out = [f"# {module.title}", "*" + _("About {minutes} minutes").format(minutes=module.minutes) + "*", ""]
    out += ["## " + _("What we will learn"), ""] + [f"- {o}" for o in module.objectives] + [""]
    out += ["## " + _("Key messages"), ""] + [f"- **{m}**" for m in module.key_messages] + [""]
    for section in module.sections:
        out += [f"## {section.title}", "", section.body.strip(), ""]
    if module.myths:
        out += ["## " + _("Myth or reality?"), ""]
        for myth in module.myths:
            said, really = _("What people say:"), _("In reality:")
            out += [f"- **{said}** {myth.myth}", f"  **{really}** {myth.reality}", ""]
    if module.questions:
        out += ["## " + _("Questions to talk about"), ""] + [f"1. {q}" for q in module.questions] + [""]
    if module.activity:
        activity = module.activity
        out += ["## " + _("Group activity: {title}").format(title=activity.title),
                "*" + _("About {minutes} minutes").format(minutes=activity.minutes) + "*", ""]
        out += [f"1. {step}" for step in activity.steps] + [""]
        if activity.materials:
            out += [_("You need: {materials}").format(materials=", ".join(activity.materials)), ""]
    links = [moment_link(manifest, link, module.language) for link in module.moments]
    if any(links):
        out += ["## " + _("From the films"), ""] + [f"- {link}" for link in links if link] + [""]
    if module.self_check:
        out += ["## " + _("Check what you remember"), ""]
        for number, q in enumerate(module.self_check, start=1):
            out.append(f"{number}. **{q.question}**")
            out += [f"   - {option}" for option in q.options]
            answer = _("Answer:")
            out.append(f"   - *{answer} {q.options[q.answer]} — {q.explanation}*")
        out.append("")
    out.append(_review_note(module.review))
    return for_facilitator("\n".join(out))
