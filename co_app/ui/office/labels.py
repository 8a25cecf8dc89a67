"""Words for the Office page: the report filters' choices (read on a worker) and a
breakdown's rows in the officer's language (co_app/core/office/labels.py, the words the
donor report uses too)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox

from co_app.core.foundation.i18n import _, current_language


@dataclass(frozen=True)
class Choices:
    """What the report's filters offer: the hub's places, facilitators and laptops."""

    places: tuple[str, ...]
    facilitators: tuple[str, ...]
    laptops: tuple[tuple[str, str], ...]  # (device id, name)


def load_choices(engine) -> Choices:  # an Engine; on a worker
    from sqlalchemy import select

    from co_app.core.db.models import CoSession
    from co_app.core.office.laptops import list_laptops

    alive = CoSession.deleted_at.is_(None)
    with engine.connect() as conn:
        places = conn.execute(select(CoSession.place).where(alive, CoSession.place != "").distinct()).scalars()
        places = tuple(sorted(set(places), key=str.casefold))
        people = conn.execute(select(CoSession.facilitator).where(alive, CoSession.facilitator != "")
                              .distinct()).scalars()
        facilitators = tuple(sorted(set(people), key=str.casefold))
    laptops = tuple((laptop.device_id, laptop_name(laptop)) for laptop in list_laptops(engine))
    return Choices(places, facilitators, laptops)


def laptop_name(laptop) -> str:  # a Laptop (co_app/core/office/laptops.py)
    return laptop.name or _("Laptop {id}").format(id=laptop.device_id[:8])


def fill_combo(combo: QComboBox, every: str, items: list[tuple[str, str]]) -> None:
    """``every`` (data None) then ``(data, text)`` items, keeping the current choice."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(every, None)
    for data, text in items:
        combo.addItem(text, data)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)


def labels(services, report=None):  # co_app.core.office.labels.Labels in the window's language
    from co_app.core.office.labels import Labels

    return Labels(current_language(), services.content, getattr(report, "laptop_names", None))


def _sexes(name: str | None, rows) -> list[str]:
    """The sexes of a breakdown's people-by-sex columns (none for the breakdown by sex)."""
    return [] if name == "sex" or not rows else list(rows[0].people_by_sex or {})


def breakdown_headers(services, name: str | None, rows) -> list[str]:
    words = labels(services)
    sexes = _sexes(name, rows)
    return [words.column(name) if name else "", words.figure("people"), *[words.sex(s) for s in sexes],
            words.figure("attendances")]


def breakdown_rows(services, report, breakdown) -> list[list[object]]:
    words = labels(services, report)
    sexes = _sexes(breakdown.name, breakdown.rows)
    return [[words.key(breakdown.name, row.key), row.people, *[int(row.people_by_sex.get(s, 0)) for s in sexes],
             row.attendances] for row in breakdown.rows]
