"""Composition root: command line → paths → settings → language → database → Qt.

Nothing is built at import time; ``main`` builds each part and passes it on.
"""

from __future__ import annotations

import os
import sys
from typing import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from co_app.cli import parse_args, run_command

    # Participants' data: every file and folder this process creates (database and its WAL,
    # backups, exports, logs) is readable by its owner only.
    os.umask(0o077)

    args = parse_args(argv)
    if args.command:
        return run_command(args)
    return run_gui(args)


def _say_error(message: object) -> None:
    """One line on stderr, "error: …", in the interface language (a file name made printable)."""
    from co_app.core.foundation.errors import sentence, terminal_text
    from co_app.core.foundation.i18n import N_

    print(terminal_text(sentence(N_("error: {message}"), message=terminal_text(message))), file=sys.stderr)


def run_gui(args) -> int:  # argparse.Namespace
    from co_app.core.bootstrap import bootstrap
    from co_app.core.foundation.errors import CoError, sentence
    from co_app.core.foundation.i18n import N_

    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))):
        # Qt would abort with a long, misleading message about xcb plugins.
        _say_error(sentence(N_("there is no screen to open the window on (DISPLAY is not set); run the application "
                               "from the desktop, or use a command such as 'media list'.")))
        return 2

    if args.kiosk and getattr(args, "db", None):
        _say_error(sentence(N_("the viewer runs on a laptop's own data, not over the office's hub: leave out --kiosk "
                               "or --db.")))
        return 2
    try:
        # The database opens after the window's first paint when it needs no migration.
        services = bootstrap(args.data_dir, language=args.lang or os.environ.get("CO_APP_LANG"), open_db=False,
                             hub=getattr(args, "db", None))
    except CoError as exc:
        _say_error(exc.args[0] if len(exc.args) == 1 else exc)
        from co_app.ui.shell.application import show_fatal_error

        show_fatal_error(str(exc))
        return exc.exit_code
    from co_app.core.foundation.datalock import APP_WINDOW, DataFolderBusy, WriterLock
    from co_app.ui.shell.application import run_application

    lock = WriterLock(services.paths.root, APP_WINDOW)
    try:
        lock.acquire()  # one data folder, one writer: a second window is told at once
    except DataFolderBusy as exc:
        from co_app.ui.shell.application import busy_sentence, show_fatal_error

        _say_error(exc.args[0] if exc.args else exc)
        show_fatal_error(busy_sentence(exc, services.paths.root))
        services.close()
        return exc.exit_code
    import threading

    from co_app.core.foundation.diskspace import ensure_spare

    # The database's spare room on a disk that fills up (made in the background: on a slow
    # USB stick without fallocate it is 8 MB written).
    threading.Thread(target=ensure_spare, args=(services.paths.root,), name="co-app-spare", daemon=True).start()
    try:
        return run_application(services, kiosk=args.kiosk)
    finally:
        services.close()
        lock.release()
