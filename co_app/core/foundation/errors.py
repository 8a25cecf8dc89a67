"""The project's own errors: each carries one sentence a user can act on.

Every error that reaches a person (on the command line or in a dialog) is a
``CoError``: it names the file and the problem.  Anything else escaping to the top
is a bug, logged with its traceback and shown as a calm one-line message.
"""

from __future__ import annotations


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
        return _(self.template).format(**{key: value.translated() if isinstance(value, Notice) else isolate(value)
                                          for key, value in self.params.items()})


def sentence(template: str, **params: object) -> str:
    """``template`` (marked with ``N_`` where it is written) in the interface language of the
    moment, its named placeholders filled in: the message of an error raised now.  In a
    right-to-left language each value is isolated (``i18n.isolate``), so a Latin file name
    cannot reorder the sentence around it; elsewhere the values are left as they are."""
    from co_app.core.foundation.i18n import _, isolate, layout_is_rtl

    rtl = layout_is_rtl()
    return _(template).format(**{key: isolate(value) if rtl else value for key, value in params.items()})
