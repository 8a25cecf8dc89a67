"""Import a roster: choose the file, check which column is which, look at the preview with
the problems highlighted, then import everything — or, knowingly, only the valid rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QFileDialog, QHBoxLayout,
                               QLabel, QListWidget, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from co_app.core.people import roster
from co_app.core.bootstrap import Services
from co_app.core.foundation.errors import CoError
from co_app.core.foundation.i18n import _, format_number, isolate, join_list, ngettext
from co_app.ui.shell.page import resize_within_screen
from co_app.ui.sessions.lock import ensure_editable
from co_app.ui.shell.task_dialog import read_in_background
from co_app.ui.shell.widgets import muted

BAD_CELL = QColor("#f8d0c8")
PREVIEW_ROWS = 500  # the preview shows this many; every row is still checked and imported


def file_description(table: roster.Table) -> str:
    """"roster.csv: 9 rows · UTF-8 · separated by commas" (a workbook: "· Excel workbook")."""
    count = len(table.rows)
    parts = [ngettext("{count} row", "{count} rows", count).format(count=count)]
    if table.delimiter:
        parts.append(isolate(table.encoding))
        separated = {",": _("separated by commas"), ";": _("separated by semicolons"), "\t": _("separated by tabs"),
                     "|": _("separated by vertical bars")}
        parts.append(separated.get(table.delimiter, table.delimiter))
    else:
        parts.append(_("Excel workbook"))
    return _("{file}: {details}").format(file=isolate(table.source), details=" · ".join(parts))


def import_summary(result: roster.ImportResult) -> str:
    """"Roster imported: 6 people added and 2 people updated." — what the import did."""
    parts = [ngettext("{count} person added", "{count} people added", result.added).format(count=result.added),
             ngettext("{count} person updated", "{count} people updated", result.updated).format(count=result.updated)]
    if result.skipped:
        parts.append(ngettext("{count} row with a problem left out", "{count} rows with a problem left out",
                              result.skipped).format(count=result.skipped))
    return _("Roster imported: {summary}.").format(summary=join_list(parts))


class RosterImportDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None, *, session_id: str | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.session_id = session_id
        self.table_data: roster.Table | None = None
        self.mapping: list[str | None] = []
        self.checked: roster.Preview | None = None
        self.imported: roster.ImportResult | None = None
        self.setWindowTitle(_("Import a roster"))
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.choose = QPushButton(_("Choose a file…"))
        self.file_label = muted(_("A CSV or XLSX file with one row per person and column names in the first row."))
        top.addWidget(self.choose)
        top.addWidget(self.file_label, 1)
        self.mapping_hint = muted(_("Check the first row: it says what each column holds. Change it where the "
                                    "guess is wrong, or choose “Leave out”."))
        self.preview = QTableWidget(0, 0)
        self.preview.setObjectName("rosterPreview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")
        self.problems = QListWidget()
        self.problems.setObjectName("rosterProblems")
        self.problems.setMaximumHeight(150)
        self.expected = QCheckBox(_("Everyone imported is expected at this session"))
        self.expected.setChecked(True)
        self.expected.setVisible(session_id is not None)
        buttons = QHBoxLayout()
        self.import_all = QPushButton(_("Import"))
        self.import_all.setObjectName("primary")
        self.import_valid = QPushButton()
        self.cancel = QPushButton(_("Cancel"))
        buttons.addStretch(1)
        buttons.addWidget(self.import_valid)
        buttons.addWidget(self.import_all)
        buttons.addWidget(self.cancel)
        layout.addLayout(top)
        layout.addWidget(self.mapping_hint)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems)
        layout.addWidget(self.expected)
        layout.addLayout(buttons)
        self.choose.clicked.connect(self.choose_file)
        self.import_all.clicked.connect(lambda: self.run_import(valid_only=False))
        self.import_valid.clicked.connect(lambda: self.run_import(valid_only=True))
        self.cancel.clicked.connect(self.reject)
        self._update()
        resize_within_screen(self, 980, 640)  # a netbook gets less

    # -- loading --

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Choose the roster"), str(Path.home()),
                                                    _("Spreadsheets (*.csv *.xlsx *.txt);;All files (*)"))
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> bool:
        """Read ``path`` and check its rows on a worker thread (a big or hostile file never
        freezes the window; after a moment a dialog with Cancel shows it is being read), then
        show its preview; a bad file is said in the dialog, a cancelled reading leaves it as it was."""
        towns = self._towns()

        def work(_progress, cancel):  # on the worker thread
            try:
                table = roster.read_table(path, cancel=cancel)
            except CoError as exc:  # said here, in the interface language
                return exc
            mapping = roster.guess_mapping(table.headers)
            return table, mapping, roster.preview(table, mapping, towns=towns, today=date.today())

        outcome, value = read_in_background(self, _("Import a roster"), _("Reading {file}…").format(
            file=isolate(path.name)), work)
        if outcome == "cancelled":
            return False
        if outcome == "failed" or isinstance(value, CoError):
            said = value.args[0] if isinstance(value, CoError) and value.args else value
            self.table_data, self.checked, self.mapping = None, None, []
            self.file_label.setText(said.translated() if hasattr(said, "translated") else str(said))
            self.file_label.setStyleSheet("color: #8c1f08; font-weight: bold;")
            self._fill()
            return False
        self.table_data, self.mapping, self.checked = value
        self.file_label.setStyleSheet("")
        self.file_label.setText(file_description(self.table_data))
        self._fill()
        return True

    def set_field(self, column: int, field: str | None) -> None:
        """Say that ``column`` holds ``field`` (None: leave the column out), and check every
        row again — on a worker thread: 20,000 rows take seconds.  Cancel keeps the choice
        that was there."""
        assert self.table_data is not None
        table, towns = self.table_data, self._towns()
        mapping = list(self.mapping)
        mapping[column] = field
        count = len(table.rows)
        outcome, value = read_in_background(
            self, _("Import a roster"), ngettext("Checking {count} row…", "Checking {count} rows…", count).format(
                count=format_number(count)),
            lambda _progress, _cancel: roster.preview(table, mapping, towns=towns, today=date.today()))
        if outcome != "done":
            if outcome == "failed":
                self.summary.setText(value)
            # The column choices as they were (later: this runs inside a choice's own signal).
            QTimer.singleShot(0, self, self._fill)
            return
        self.mapping, self.checked = mapping, value
        self._fill_cells()

    def _towns(self) -> dict[str, list[str]]:
        """Every town's names in every language, as the roster's destination column may give them."""
        content = self.services.content
        return {t.id: [t.name, *(content.town(t.id, lang).name for lang in content.languages
                                 if content.town(t.id, lang) is not None)]
                for t in content.towns() if t.kind == "town"}

    # -- showing --

    def _fill(self) -> None:
        """A new file: the row of column choices, then the cells."""
        table, result = self.preview, self.checked
        table.clear()
        if result is None:
            table.setRowCount(0)
            table.setColumnCount(0)
            self._update()
            return
        headers = result.table.headers
        table.setColumnCount(len(headers))
        table.setRowCount(1)
        table.setHorizontalHeaderLabels(headers)
        for col in range(len(headers)):
            combo = QComboBox()
            combo.addItem(_("Leave out"), None)
            for name in roster.FIELDS:
                combo.addItem(_(roster.FIELD_LABELS[name]), name)
            combo.setCurrentIndex(max(0, combo.findData(result.mapping[col])))
            # The longest field name must not make every column that wide; the list opens wider.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
            combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
            combo.currentIndexChanged.connect(lambda _i, c=col, box=combo: self.set_field(c, box.currentData()))
            table.setCellWidget(0, col, combo)
        self._fill_cells()

    def _fill_cells(self) -> None:
        """The rows under the column choices (kept: a choice may be what called this)."""
        table, result = self.preview, self.checked
        assert result is not None
        headers = result.table.headers
        shown = result.rows[:PREVIEW_ROWS]
        table.setRowCount(len(shown) + 1)
        table.setVerticalHeaderLabels([_("Column holds")] + [str(r.line) for r in shown])
        for row, line in enumerate(shown, start=1):
            tips: dict[int, list[str]] = {}
            for problem in line.problems:
                index = headers.index(problem.column) if problem.column in headers else -1
                tips.setdefault(index, []).append(problem.message.translated())
            for col in range(len(headers)):
                item = QTableWidgetItem(line.cells[col] if col < len(line.cells) else "")
                if col in line.bad_columns or (not line.ok and -1 in tips):
                    item.setBackground(QBrush(BAD_CELL))
                    item.setToolTip("\n".join(tips.get(col, []) + tips.get(-1, [])))
                table.setItem(row, col, item)
        table.resizeColumnsToContents()
        for col in range(len(headers)):
            table.setColumnWidth(col, max(150, min(table.columnWidth(col), 260)))
        self._update()

    def is_highlighted(self, line: int, column: int) -> bool:
        """Whether the preview marks this cell (``line`` as in the file) as a problem."""
        assert self.checked is not None
        for row, result_row in enumerate(self.checked.rows[:PREVIEW_ROWS], start=1):
            if result_row.line == line:
                item = self.preview.item(row, column)
                return item is not None and item.background().color() == BAD_CELL
        return False

    def _problem_lines(self) -> list[str]:
        assert self.checked is not None
        lines = [_("Columns: {problem}").format(problem=p.translated()) for p in self.checked.mapping_problems]
        for p in self.checked.problems:
            if p.column:
                lines.append(_("Line {line}, column “{column}”: {problem}").format(
                    line=p.line, column=isolate(p.column), problem=p.message.translated()))
            else:
                lines.append(_("Line {line}: {problem}").format(line=p.line, problem=p.message.translated()))
        return lines

    def _update(self) -> None:
        result = self.checked
        self.problems.clear()
        if result is None:
            self.summary.setText("")
            self.import_all.setEnabled(False)
            self.import_valid.setEnabled(False)
            self.import_valid.setText(_("Import the valid rows"))
            self.problems.hide()
            return
        total, valid = len(result.rows), len(result.valid_rows)
        self.problems.addItems(self._problem_lines())
        self.problems.setVisible(self.problems.count() > 0)
        if result.ok:
            self.summary.setText(ngettext("{count} row is ready to import.", "All {count} rows are ready to import.",
                                          total).format(count=total))
        elif result.mapping_problems:
            self.summary.setText(_("Set what the columns hold before importing."))
        else:
            self.summary.setText(ngettext(
                "{bad} of {total} rows has a problem (highlighted). Nothing is imported until it is corrected, "
                "unless you import only the valid rows.",
                "{bad} of {total} rows have a problem (highlighted). Nothing is imported until they are "
                "corrected, unless you import only the valid rows.", total - valid).format(
                bad=total - valid, total=total))
        self.import_all.setEnabled(result.ok)
        self.import_valid.setText(ngettext("Import the {count} valid row", "Import the {count} valid rows",
                                           valid).format(count=valid))
        self.import_valid.setEnabled(not result.ok and valid > 0)
        self.import_valid.setVisible(not result.ok)

    # -- importing --

    def run_import(self, *, valid_only: bool) -> None:
        if self.checked is None:
            return
        session_id = self.session_id if self.session_id and self.expected.isChecked() else None
        if session_id and not ensure_editable(self, self.services, session_id, "roster import"):
            return
        try:
            with self.services.db.session() as db:
                self.imported = roster.import_roster(db, self.checked, session_id=session_id, valid_only=valid_only)
        except CoError as exc:
            self.summary.setText(str(exc))
            return
        self.summary.setText(import_summary(self.imported))
        self.accept()
