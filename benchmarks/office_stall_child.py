"""A measured office window for the event-loop stall benchmark (needs a screen).

``python -m benchmarks.office_stall_child DATA_DIR HUB STICK_DIR`` opens the window over the
office's hub ``HUB`` (a SQLite hub file, as ``main.py --db HUB``; its records already full),
starts the same 5 ms ``QTimer`` as ``stall_child.py``, and runs what an officer does there:

* the report across laptops — Office → Reports: its choices, then every date, then one
  month (``ReportsPanel``, computed on a worker),
* the folder import — *Import a USB stick…* on ``STICK_DIR``, enrolling its laptop
  (``FolderImportDialog``), until the page has counted again.

Prints ``{"office_report_ms": …, "office_import_ms": …, "office_idle_ms": …}``: the longest
gap between two timer ticks during each.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks.stall_child import measure, run_until, started_window


def main(argv: list[str]) -> int:
    data_dir, hub, stick = argv[0], argv[1], Path(argv[2])
    from co_app.core.bootstrap import bootstrap

    services = bootstrap(data_dir, language="en", hub=hub)
    app, window, monitor = started_window(services)
    office = window.view("office")
    run_until(app, lambda: not office.laptops.busy)  # the first tab's count
    monitor.reset()
    idle_until = time.monotonic() + 1
    run_until(app, lambda: time.monotonic() > idle_until)
    result = {"office_idle_ms": 1000 * monitor.longest}

    def report():
        panel = office.show_tab("reports")  # its choices, then every date
        state = {"month": False}

        def done() -> bool:
            if panel.busy:
                return False
            if not state["month"]:
                state["month"] = True
                start = (date.today() - timedelta(days=120)).replace(day=1)
                panel.set_dates(start, start + timedelta(days=30))
                panel.show_button.click()
                return False
            return panel.report is not None

        return done

    def folder_import():
        dialog = office.import_folder(stick)
        dialog.enrol.setChecked(True)
        dialog.action.click()
        return lambda: dialog.report is not None and not office.tabs.currentWidget().busy

    result["office_report_ms"] = measure(app, monitor, report)
    result["office_import_ms"] = measure(app, monitor, folder_import)
    window.close()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
