"""A child of the donor_xlsx benchmark: write the donor XLSX (ours) or the same records
with openpyxl's write_only mode (the baseline); print one JSON line with the seconds the
writing took and the process's peak memory (resource.getrusage: ru_maxrss).

``python -m benchmarks.donor_child ours|baseline HUB OUT``
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    from co_app.core.db.engine import make_engine, sqlite_url
    from co_app.core.office import donor
    from co_app.core.office.labels import Labels
    from co_app.core.office.report import compute

    import openpyxl  # noqa: F401 - imported before either side's clock starts, as an application has it

    side, hub, out = argv[0], Path(argv[1]), Path(argv[2])
    engine = make_engine(sqlite_url(hub))
    report = compute(engine)
    if side == "ours":
        start = time.perf_counter()
        donor.write_xlsx(engine, report, out, "en")
        elapsed = time.perf_counter() - start
        rows = report.expected
    else:
        from openpyxl import Workbook

        records = list(donor.record_rows(engine, report, Labels("en", laptop_names=report.laptop_names)))
        start = time.perf_counter()
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Records")
        for row in records:
            sheet.append(row)
        book.save(out)
        elapsed = time.perf_counter() - start
        rows = len(records)
    engine.dispose()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(json.dumps({"seconds": elapsed, "peak_mib": peak_mib, "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
