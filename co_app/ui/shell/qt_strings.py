"""Qt's own words (a text field's right-click menu, dialog buttons, the file dialog) in the
interface language.

Qt ships translations of its ``qtbase`` strings for some of our languages (Arabic, Persian,
French) and none for others (Tigrinya, Somali).  ``QtStringsTranslator`` answers the strings
people meet from our own gettext catalogs, so translators keep one catalog; it is installed
after Qt's file, where there is one, and so has the last word for these few strings.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTranslator

from co_app.core.foundation.i18n import pgettext

#: Qt's translation contexts for the same few words.
TEXT_MENU = ("QLineEdit", "QWidgetTextControl")
BUTTONS = ("QPlatformTheme",)
FILE_DIALOG = ("QFileDialog",)
FILE_LIST = ("QFileSystemModel",)


def qt_answers() -> dict[tuple[str, str], str]:
    """(Qt context, Qt's English text) → the words in the current interface language.

    Written as ``pgettext`` calls so that ``dev.py catalogs`` extracts them; the ``&`` of
    Qt's keyboard accelerators is left out of our catalogs (a translator need not place it)."""
    pairs = [
        (TEXT_MENU, "&Undo", pgettext("Qt: text field menu", "Undo")),
        (TEXT_MENU, "&Redo", pgettext("Qt: text field menu", "Redo")),
        (TEXT_MENU, "Cu&t", pgettext("Qt: text field menu", "Cut")),
        (TEXT_MENU, "&Copy", pgettext("Qt: text field menu", "Copy")),
        (TEXT_MENU, "&Paste", pgettext("Qt: text field menu", "Paste")),
        (TEXT_MENU, "Delete", pgettext("Qt: text field menu", "Delete")),
        (TEXT_MENU, "Select All", pgettext("Qt: text field menu", "Select All")),
        (TEXT_MENU, "Copy &Link Location", pgettext("Qt: text field menu", "Copy Link Location")),
        (BUTTONS, "OK", pgettext("Qt: dialog button", "OK")),
        (BUTTONS, "Cancel", pgettext("Qt: dialog button", "Cancel")),
        (BUTTONS, "&Yes", pgettext("Qt: dialog button", "Yes")),
        (BUTTONS, "&No", pgettext("Qt: dialog button", "No")),
        (BUTTONS, "Close", pgettext("Qt: dialog button", "Close")),
        (BUTTONS, "Save", pgettext("Qt: dialog button", "Save")),
        (BUTTONS, "Open", pgettext("Qt: dialog button", "Open")),
        (BUTTONS, "Apply", pgettext("Qt: dialog button", "Apply")),
        (BUTTONS, "Discard", pgettext("Qt: dialog button", "Discard")),
        (BUTTONS, "Help", pgettext("Qt: dialog button", "Help")),
        (BUTTONS, "Retry", pgettext("Qt: dialog button", "Retry")),
        (BUTTONS, "Ignore", pgettext("Qt: dialog button", "Ignore")),
        (BUTTONS, "Abort", pgettext("Qt: dialog button", "Abort")),
        (FILE_DIALOG, "&Look in:", pgettext("Qt: file dialog", "Look in:")),
        (FILE_DIALOG, "File &name:", pgettext("Qt: file dialog", "File name:")),
        (FILE_DIALOG, "Files of &type:", pgettext("Qt: file dialog", "Files of type:")),
        (FILE_DIALOG, "&Open", pgettext("Qt: file dialog", "Open")),
        (FILE_DIALOG, "Open", pgettext("Qt: file dialog", "Open")),
        (FILE_DIALOG, "&Save", pgettext("Qt: file dialog", "Save")),
        (FILE_DIALOG, "Save As", pgettext("Qt: file dialog", "Save As")),
        (FILE_DIALOG, "&Choose", pgettext("Qt: file dialog", "Choose")),
        (FILE_DIALOG, "All Files (*)", pgettext("Qt: file dialog", "All Files (*)")),
        (FILE_DIALOG, "&New Folder", pgettext("Qt: file dialog", "New Folder")),
        (FILE_DIALOG, "Create New Folder", pgettext("Qt: file dialog", "New Folder")),
        (FILE_DIALOG, "Back", pgettext("Qt: file dialog", "Back")),
        (FILE_DIALOG, "Forward", pgettext("Qt: file dialog", "Forward")),
        (FILE_DIALOG, "Parent Directory", pgettext("Qt: file dialog", "Parent folder")),
        (FILE_DIALOG, "&Rename", pgettext("Qt: file dialog", "Rename")),
        (FILE_DIALOG, "&Delete", pgettext("Qt: file dialog", "Delete")),
        (FILE_DIALOG, "Show &hidden files", pgettext("Qt: file dialog", "Show hidden files")),
        (FILE_DIALOG, "Directory:", pgettext("Qt: file dialog", "Folder:")),
        (FILE_LIST, "Name", pgettext("Qt: file dialog", "Name")),
        (FILE_LIST, "Size", pgettext("Qt: file dialog", "Size")),
        (FILE_LIST, "Type", pgettext("Qt: file dialog", "Type")),
        (FILE_LIST, "Date Modified", pgettext("Qt: file dialog", "Date Modified")),
        (FILE_LIST, "Computer", pgettext("Qt: file dialog", "Computer")),
    ]
    # A word our catalog does not translate yet is left to Qt's file rather than answered in English.
    return {(context, source): text for contexts, source, text in pairs for context in contexts
            if text != source.replace("&", "")}


class QtStringsTranslator(QTranslator):
    """Answers Qt's own strings listed in ``qt_answers`` (in the language current when it
    was made); any other string is left to the next translator, or stays Qt's English."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._answers = qt_answers()

    def translate(self, context: str, source_text: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:  # Qt override
        return self._answers.get((context, source_text))

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False
