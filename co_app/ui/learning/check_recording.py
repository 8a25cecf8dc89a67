"""The edges of recording a learning check (co_app/ui/learning/check_window.py), found in a
fresh-eyes run: after the last person of the list a number key no longer changes the last
answer — the list stops at its end and says so (↑ goes back to change an answer), and
closing the check with a tally that could not be saved (more answers than people present,
the PIN refused) asks whether to keep editing or discard it, instead of dropping it."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from co_app.core.foundation.i18n import _, ngettext


def next_row(row: int, step: int, count: int) -> int:
    """The person highlighted after ↓ (``step`` 1) or ↑ (-1) from ``row``; ``count``
    stands for "after the last person" (the end of the list), which ↓ never leaves and ↑
    leaves for the last person."""
    if row < 0 or row > count:
        row = count
    moved = row + step
    if moved >= count:
        return row if row >= count - 1 and step > 0 else min(moved, count - 1)
    return max(0, moved)


def end_of_list_hint(answered: int, count: int, last_question: bool) -> str:
    """What the console says once the last person's answer is recorded."""
    done = ngettext("End of the list: {answered} of {count} person answered this question.",
                    "End of the list: {answered} of {count} people answered this question.",
                    count).format(answered=answered, count=count)
    then = (_("Finish the check (Esc) · ↑: back to change an answer.") if last_question
            else _("Page Down: the next question · ↑: back to change an answer."))
    return f"{done} {then}"


def discard_unsaved_tally(parent: QWidget, problem: str) -> bool:
    """Closing with a tally that was not saved: True when the facilitator discards it (the
    check closes), False to keep editing (the default: nothing lost by a stray Esc)."""
    box = QMessageBox(parent)
    box.setObjectName("unsavedTally")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Learning check"))
    box.setText(_("The tally of this question is not saved."))
    box.setInformativeText(problem)
    keep = box.addButton(_("Keep editing"), QMessageBox.ButtonRole.RejectRole)
    discard = box.addButton(_("Discard the tally and close"), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard
