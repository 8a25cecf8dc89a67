"""The project's own errors: each carries one sentence a user can act on.

Every error that reaches a person (on the command line or in a dialog) is a
``CoError``: it names the file and the problem.  Anything else escaping to the top
is a bug, logged with its traceback and shown as a calm one-line message.
"""

from __future__ import annotations

import string


class CoError(Exception):
    """A problem a user can understand and act on.  ``str(err)`` is the message."""

    #: Exit status on the command line: 2 = bad usage or unreadable input.
    exit_code = 2


class DataDirError(CoError):
    """The data folder cannot be created or written."""


class DatabaseTooNewError(CoError):
    """The database was written by a newer version of the application."""


class DatabaseError(CoError):
    """The database file cannot be opened or upgraded."""


class ManifestError(CoError):
    """The media manifest is malformed; the message names the file and field."""


class DemoMediaError(CoError):
    """The demo media pack could not be built."""


class Cancelled(CoError):
    """The user cancelled long work (an import, a check, a sync); what was done so far is
    kept (a partial copy resumes next time).  Every domain's background work raises it."""

    exit_code = 130


class Notice(str):
    """A message for the user that is not an error: the English text *is* the string,
    and ``translated()`` renders it again in the interface language of the moment.

    Templates are marked with ``N_`` where they are written, so they reach the catalogs.
    """

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, **params: object) -> "Notice":
        notice = super().__new__(cls, template.format(**params))
        notice.template = template
        notice.params = params
        return notice

    def translated(self) -> str:
        from co_app.core.foundation.i18n import _, isolate

        # A notice inside another (a field's problem inside a form's sentence) is translated too.
        return _IsolatingFormatter(isolate).format(_(self.template), **self.params)


def sentence(template: str, **params: object) -> str:
    """``template`` (marked with ``N_`` where it is written) in the interface language of the
    moment, its named placeholders filled in: the message of an error raised now.  In a
    right-to-left language each value is isolated (``i18n.isolate``), so a Latin file name
    cannot reorder the sentence around it; elsewhere the values are left as they are.

    The result is a ``Notice`` (a ``str``): it keeps its template and values, so the command
    line can say it again without the isolation marks (``terminal_text``) and a window can
    say it again in another language.  A placeholder may carry a format spec (``{size:.1f}``)
    or a conversion (``{name!r}``): the value is formatted first, then isolated."""
    from co_app.core.foundation.i18n import _, isolate, layout_is_rtl

    notice = Notice(template, **params)
    text = _IsolatingFormatter(isolate if layout_is_rtl() else str).format(_(template), **params)
    translated = str.__new__(Notice, text)
    translated.template, translated.params = notice.template, notice.params
    return translated


class _IsolatingFormatter(string.Formatter):
    def __init__(self, wrap) -> None:  # Callable[[str], str]
        super().__init__()
        self.wrap = wrap

    def format_field(self, value: object, format_spec: str) -> str:
        from co_app.core.foundation.i18n import _

        if isinstance(value, Notice):  # a notice inside another is translated too, its values isolated alike
            return self.format(_(value.template), **value.params)
        return self.wrap(format(value, format_spec))


def terminal_text(message: object) -> str:
    """A message for a terminal, in the language of the moment: a ``Notice``'s template
    translated and filled with its values made printable (``printable``: a file name's
    newline or escape sequence shown as ``\\n``, ``\\x1b``), without the isolation marks a
    window's text gets; any other message made printable as it is."""
    from co_app.core.foundation.i18n import _
    from co_app.core.foundation.printable import printable

    if not isinstance(message, Notice):
        return printable(message)
    return _PrintableFormatter().format(_(message.template), **message.params)


class _PrintableFormatter(string.Formatter):
    def format_field(self, value: object, format_spec: str) -> str:
        from co_app.core.foundation.printable import printable

        if isinstance(value, Notice):
            return terminal_text(value)
        return printable(format(value, format_spec))
