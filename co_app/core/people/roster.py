"""Import a roster (the list of people expected at orientation) from CSV or XLSX.

Three steps, so the interface can show each: ``read_table`` reads the file (any common
encoding and delimiter; a bad file is one ``RosterError`` naming it), ``guess_mapping``
proposes which column holds which field (headers in English, French or Arabic; the user
may change it), and ``preview`` checks every row — each problem names the line, the column
and what is wrong.  ``import_roster`` then writes in one transaction: nothing at all when
a row has a problem, unless the caller asks for the valid rows only.  Every row needs a
case number and a name (given, family or both, with at least one letter): a row without
either is a row error, never a participant nobody can find again.  A row whose case
number and names match a participant already on this computer updates that participant
instead of adding a second one, so importing the same file twice adds no one.

Nationalities may be ISO codes (SY, SYR) or country names in English, French or Arabic
(Babel's territory names, with the common older English names such as "Turkey").

Every name is imported from here; the work is done in ``roster_table`` (reading the file,
the column mapping), ``roster_import`` (checking and writing the rows) and
``roster_values`` (reading one cell).
"""

from __future__ import annotations

from co_app.core.foundation.textdecode import encoding_label
from co_app.core.people.roster_import import (
    ImportResult,
    Preview,
    RowProblem,
    RowResult,
    import_roster,
    preview,
)
from co_app.core.people.roster_table import (
    FIELD_LABELS,
    FIELDS,
    HEADERS,
    MAX_ROWS,
    RosterError,
    Table,
    guess_mapping,
    mapping_problems,
    read_table,
)

__all__ = [
    "FIELDS", "FIELD_LABELS", "HEADERS", "MAX_ROWS", "ImportResult", "Preview", "RosterError", "RowProblem",
    "RowResult", "Table", "encoding_label", "guess_mapping", "import_roster", "mapping_problems", "preview",
    "read_table",
]
