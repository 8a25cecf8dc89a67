"""The office console's core: what the programme office reads from its hub (issue 18).

Pure Python, no Qt.  Everything takes a SQLAlchemy ``Engine`` (the hub's: PostgreSQL or a
SQLite file, opened with ``co_app.core.sync.hub.open_target(url)``, or a laptop's own).

**Reports across laptops** (``co_app.core.office.report``)::

    from co_app.core.office.report import ReportFilter, Report, compute

    flt = ReportFilter(start=date(2026, 5, 1), end=date(2026, 5, 31),   # None: open end
                       destination="jena",      # a town id (or film id); None: every town
                       place="Amman",           # the session's place, exactly; None: any
                       laptop=device_id,        # the device that created the session; None: any
                       facilitator="Rania")     # the session's facilitator, exactly; None: any
    report = compute(engine, flt, progress=None, cancel=None)

  ``progress(done, total)`` is called after each query (a few); ``cancel()`` returning True
  between queries raises ``co_app.core.foundation.errors.Cancelled``.  Run it on a worker.
  ``Report`` (frozen): ``sessions``, ``people``, ``attendances``, ``absences``, ``expected``,
  ``not_here_yet``; ``breakdowns``: a tuple of ``Breakdown(name, rows)`` with ``name`` one of
  ``BREAKDOWNS`` ("sex", "age_group", "nationality", "destination", "module", "laptop") and
  rows ``BreakdownRow(key, people, attendances, people_by_sex)``; ``laptop_names`` (device id
  → name); ``report.as_json()`` is what ``python main.py report --json`` prints.
  ``report.breakdown("sex")`` finds one.  Labels for keys: ``co_app.core.office.labels``.

**The definitions** of every figure (people, attendances, absences, expected, not here
yet, age group, destination...) are written once in ``co_app.core.attendance.definitions``
(the screen's reports and the exports live below the office, so they sit there): SQL
expressions, the Python twins, and ``DEFINITIONS`` — the prose shown in README and at the
bottom of the donor report, translated with ``definition_texts(translate)``.

**The donor report** (``co_app.core.office.donor``)::

    from co_app.core.office import donor
    donor.write_xlsx(engine, report, path, lang="ar")       # streaming (openpyxl write_only),
                                                            # one sheet per breakdown, charts,
                                                            # totals at top, definitions at bottom
    html = donor.html(report, lang="ar")                    # the PDF's content (QTextDocument HTML)

  The PDF is drawn by Qt, which the core may not import: ``co_app.ui.office.donor_pdf.
  write_pdf(report, path, lang)`` (UI layer) renders ``donor.html``; the command line runs it
  in a child process.  Errors the user sees are ``co_app.core.office.report.ReportError``
  (a ``CoError``: one sentence naming the file).

Other modules here (another engineer): ``laptops`` (every laptop that sent a package),
``usb_import`` (a folder of packages in one go), ``duplicates`` (possible duplicate people).
"""
