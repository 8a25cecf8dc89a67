"""The words of the office's reports, in any language (not only the interface's): the
donor report is written in the office's language, the window in the officer's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from co_app.core.attendance import definitions as d
from co_app.core.foundation.i18n import (
    N_, country_name, format_number, isolate, plural_translator_for, translator_for,
)
from co_app.core.foundation.languages import is_rtl
from co_app.core.people.participants import SEX_LABELS

BREAKDOWN_TITLES = {
    "sex": N_("By sex"),
    "age_group": N_("By age group"),
    "nationality": N_("By nationality"),
    "destination": N_("By destination"),
    "module": N_("By module covered"),
    "laptop": N_("By laptop"),
}
FIGURE_TITLES = {
    "sessions": N_("Sessions"),
    "people": N_("People"),
    "attendances": N_("Attendances"),
    "absences": N_("Absences"),
    "expected": N_("Expected"),
    "not_here_yet": N_("Not here (yet), at open sessions"),
}
COLUMN_TITLES = {
    "sex": N_("Sex"),
    "age_group": N_("Age (years)"),
    "nationality": N_("Nationality"),
    "destination": N_("Destination"),
    "module": N_("Module"),
    "laptop": N_("Laptop"),
}


class Labels:
    """Labels in ``lang``.  ``content`` (a ContentLibrary) names towns and modules; when
    None it is loaded on first need."""

    def __init__(self, lang: str | None, content: Any = None, laptop_names: dict[str, str] | None = None) -> None:
        self.lang = lang or "en"
        self.t: Callable[[str], str] = translator_for(self.lang)
        self.ngettext: Callable[[str, str, int], str] = plural_translator_for(self.lang)
        self._content = content
        self.laptop_names = laptop_names or {}

    @property
    def content(self) -> Any:
        if self._content is None:
            from co_app.core.content.library import load_content

            self._content = load_content()
        return self._content

    def number(self, value: int | float) -> str:
        return format_number(value, self.lang)

    def key(self, breakdown: str, key: str) -> str:
        """The row label of ``key`` in the breakdown ``breakdown``."""
        if breakdown == "sex":
            return self.t(SEX_LABELS.get(key, SEX_LABELS[d.UNKNOWN]))
        if key == d.UNKNOWN or not key:
            return self.t(N_("Not known"))
        if breakdown == "age_group":  # numbers read left to right in Arabic and Dari too
            return ("\u200e{}\u200e" if is_rtl(self.lang) else "{}").format(key.replace("-", "–"))
        if breakdown == "nationality":
            return country_name(key, self.lang)
        if breakdown == "destination":
            return self._safe(lambda: self.content.town_name(key, self.lang), key)
        if breakdown == "module":
            module = self._safe(lambda: self.content.module(key, self.lang), None)
            return module.title if module is not None else key
        if breakdown == "laptop":
            return self.laptop_names.get(key) or key[:8]
        return key

    @staticmethod
    def _safe(get: Callable[[], Any], default: Any) -> Any:
        try:
            return get()
        except (KeyError, LookupError, OSError, ValueError):
            return default

    def breakdown(self, name: str) -> str:
        return self.t(BREAKDOWN_TITLES[name])

    def column(self, name: str) -> str:
        return self.t(COLUMN_TITLES[name])

    def figure(self, name: str) -> str:
        return self.t(FIGURE_TITLES[name])

    def sex(self, key: str) -> str:
        return self.key("sex", key)

    def future_warning(self, report: Any, shown: Callable[[str], str] | None = None) -> str:
        """"3 sessions dated after today, from Field laptop 5, whose clock seems 12 days
        ahead: check before reporting." ("" when the report counts none).  ``shown`` writes
        a laptop's name (the terminal's: ``printable``); else isolated in right-to-left text."""
        if not report.future:
            return ""
        name = shown or self._name
        laptops = []
        for row in report.future:
            if row.clock_offset_days > 0:
                laptops.append(self.ngettext("{laptop}, whose clock seems {days} day ahead",
                                             "{laptop}, whose clock seems {days} days ahead",
                                             row.clock_offset_days).format(laptop=name(row.name),
                                                                           days=self.number(row.clock_offset_days)))
            else:
                laptops.append(name(row.name))
        count = report.future_sessions
        return self.ngettext("{count} session dated after today, from {laptops}: check before reporting.",
                             "{count} sessions dated after today, from {laptops}: check before reporting.",
                             count).format(count=self.number(count), laptops="; ".join(laptops))

    def _name(self, name: str) -> str:
        """A laptop's name (often Latin) isolated inside a right-to-left sentence."""
        return isolate(name) if is_rtl(self.lang) else name
