"""Reading a file someone gave us without being stalled by it: only a regular file, and only
up to a limit.

``open()`` on a FIFO waits for a writer forever, and a symbolic link to ``/dev/zero`` never
ends, so a roster or a content file that is one of those hung the application or ate its
memory.  ``read_regular_file`` opens without blocking, checks what it opened (not what the
name pointed to a moment before), and reads at most one byte past the limit.  The errors
carry no sentence for people: each caller says it in its own words, naming its file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from co_app.core.foundation.errors import sentence
from co_app.core.foundation.i18n import N_


class NotRegularFileError(OSError):
    """The path is a folder, a device, a FIFO or a socket, not a file of bytes."""


class FileTooLargeError(ValueError):
    """The file holds more than the caller's limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, at most ``limit`` of them.

    Raises ``NotRegularFileError`` for anything but a regular file (a symbolic link counts
    as what it points to), ``FileTooLargeError`` past ``limit`` and ``OSError`` as is."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except IsADirectoryError:
        raise NotRegularFileError(sentence(N_("{path} is a folder"), path=path)) from None
    try:
        regular = stat.S_ISREG(os.fstat(descriptor).st_mode)
    except OSError:
        os.close(descriptor)
        raise
    if not regular:
        os.close(descriptor)
        raise NotRegularFileError(sentence(N_("{path} is not a regular file"), path=path))
    with os.fdopen(descriptor, "rb") as f:
        raw = f.read(limit + 1)
    if len(raw) > limit:
        raise FileTooLargeError(limit)
    return raw
