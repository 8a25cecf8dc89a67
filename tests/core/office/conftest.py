"""The office tests' fixtures (tests/core/office/world.py): ``hub`` — a SQLite file, then a
fresh database of the real PostgreSQL server — ``world`` (laptops and that hub) and
``postgres`` (the server)."""

from tests.core.office.world import hub, postgres, world  # noqa: F401 - fixtures, registered here
