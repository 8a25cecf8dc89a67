"""The runner's agenda list: one row per step (its name, then its kind, a moment's times and
its minutes), a long name wrapped over as many lines as it needs rather than cut."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSize, Qt
from PySide6.QtWidgets import QListWidget, QStyledItemDelegate, QStyleOptionViewItem

#: The theme's ``QListWidget::item { margin: 4px 2px; }`` and a little more: Qt wraps a row's
#: text for the whole row's width but paints it inside the margins, so a line that just fitted
#: was cut short ("Film · 00:06–00:11 · 5 …"); measured this much narrower, every line shows.
SLACK_PX = 8


class WrappingDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802 - Qt override
        narrower = QStyleOptionViewItem(option)
        if narrower.rect.width() > SLACK_PX:
            narrower.rect.setWidth(narrower.rect.width() - SLACK_PX)
        return super().sizeHint(narrower, index)


def steps_list() -> QListWidget:
    steps = QListWidget()
    steps.setObjectName("agendaSteps")
    steps.setMinimumWidth(260)
    steps.setMaximumWidth(340)
    steps.setWordWrap(True)  # a long name (a film's moment, Tigrinya) wraps rather than cut
    steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    steps.setItemDelegate(WrappingDelegate(steps))
    return steps
