"""Text that came from outside — a file's name, a name in a roster or a sync package —
made safe to print on a terminal or write into the log.

A file name may hold a newline (which forges a second line of output, or of the log) or an
escape sequence (``ESC [ 31 m`` turns the terminal red; others move the cursor, retitle
the window, or hide what follows).  ``printable`` shows every such character as a visible
escape (``\\n``, ``\\x1b``, ``\\u202e``), so what reaches the screen is exactly one line
of plain text.  Also escaped: the C1 controls (``\\x9b`` is ESC [ on some terminals),
Unicode's line and paragraph separators, the bidirectional overrides and isolates that
can make a name read backwards, the byte-order mark, and the lone surrogates with which
Python stands in for a file name's bytes that are not UTF-8 (printing those raises).
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(value: object, *, keep_newlines: bool = False) -> str:
    """``str(value)`` with every control, separator and direction-changing character
    written as a visible escape; ``keep_newlines`` keeps line breaks (a traceback)."""
    text = str(value)
    if not _UNSAFE.search(text):
        return text
    if keep_newlines:
        return _UNSAFE.sub(lambda m: m.group() if m.group() == "\n" else _escape(m.group()), text)
    return _UNSAFE.sub(lambda m: _escape(m.group()), text)
