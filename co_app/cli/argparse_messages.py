"""argparse's own words, in our catalogs, so that ``--lang ar`` says them in Arabic.

argparse writes "usage:", "the following arguments are required: %s", "invalid choice:
%(value)r (choose from %(choices)s)", "show this help message and exit"… through a
module-level ``_`` (``from gettext import gettext as _, ngettext``), which looks them up in
gettext's global domain: never in ours, so a facilitator who asked for Arabic got a usage
error in English.  ``in_catalog_language`` points that ``_`` (and ``ngettext``) at
co_app.core.foundation.i18n while the command line is built and parsed.

Why rebind rather than subclass: argparse builds these sentences inside its private methods
(``_parse_known_args``, ``_get_values``, ``_check_value``, the help formatter, the ``-h``
action made in ``ArgumentParser.__init__``); a subclass would have to copy those bodies,
which change between Python versions.  The module's ``_`` is the one hook argparse itself
offers for translation, and in English our ``_`` gives back the same text.

The messages are marked below with ``N_`` so that ``dev.py catalogs`` extracts them; their
``%s`` and ``%(name)r`` placeholders are argparse's and must stay as they are in every
translation (Babel checks them: python-format).  tests/system/test_cli_language.py checks
that every message of the running argparse is either listed here or knowingly left out (a
programming error of ours, never seen by a user), so a new Python's new message is noticed.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from co_app.core.foundation import i18n
from co_app.core.foundation.i18n import N_, ngettext

#: What argparse may say to a person running main.py (Python 3.11's msgids; 3.10–3.13 share them).
USER_FACING = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)

#: argparse's plural message, (singular, plural).
PLURALS = (("expected %s argument", "expected %s arguments"),)


def _marks_the_plurals() -> None:  # never called: it only shows the extraction the plural pair
    ngettext("expected %s argument", "expected %s arguments", 2)


@contextmanager
def in_catalog_language() -> Iterator[None]:
    """argparse's messages from our catalogs, in the interface language of the moment (set
    it first), until the block ends; argparse is left as it was afterwards, even on the
    ``SystemExit`` of a usage error or of ``--help``."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = i18n._, i18n.ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
