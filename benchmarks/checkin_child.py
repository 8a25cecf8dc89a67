"""A measured application process for the check-in search benchmark (needs a screen).

``python -m benchmarks.checkin_child DATA_DIR QUERIES`` opens the main window on
``DATA_DIR`` (20,000 participants), opens the last session's check-in page as "Start a
session" does, and types each query of ``QUERIES`` (a JSON file: a list of strings) into
the search field one key at a time with QTest.  Each keystroke is timed from the key
press until the result table is filled and the event loop has processed what it posted
(the repaint).  Prints ``{"ms": [one figure per keystroke]}``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def type_key(widget, char: str) -> None:
    """One key as a keyboard types it (QTest only knows ASCII keys; Arabic comes as text)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    if char.isascii():
        QTest.keyClicks(widget, char)
        return
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def main(argv: list[str]) -> int:
    data_dir, queries = argv[0], json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    from co_app.core.sessions import service as session_service
    from co_app.core.bootstrap import bootstrap
    from co_app.ui.shell.application import create_main_window, qt_application

    services = bootstrap(data_dir, language="en", open_db=False)  # as main.py: the database after the paint
    app = qt_application()
    window = create_main_window(app, services)
    window.show()
    window.finish_startup()
    with services.db.session() as db:
        session_id = session_service.recent_sessions(db, 1)[0].id
    window.open_session(session_id, "checkin")
    panel = window.view("attendance").pages["checkin"]
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        app.processEvents()
    if panel.desk is None or not panel.search.isVisible():
        sys.exit("the check-in page did not open")
    field = panel.search
    samples: list[float] = []
    for number, query in enumerate(queries):
        field.clear()
        panel._on_text()
        app.processEvents()
        for char in query:
            start = time.perf_counter()
            type_key(field, char)
            app.processEvents()
            if number:  # the first query warms up
                samples.append(1000 * (time.perf_counter() - start))
        if panel.table.rowCount() == 0 and number:
            sys.exit(f"no results for {query!r}")
    window.close()
    print(json.dumps({"ms": samples}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
