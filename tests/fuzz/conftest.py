"""Property-based tests: bounded and reproducible, so they run with every test run.

The "ci" profile (the default) tries a fixed set of 200 examples per property, derandomized
so a failure reproduces, without deadlines (a slow laptop is not a bug) and without writing
an example database into the repository.  ``--hypothesis-profile=deep`` explores further.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

_COMMON = dict(deadline=None, database=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
settings.register_profile("ci", max_examples=200, derandomize=True, **_COMMON)
settings.register_profile("deep", max_examples=5_000, **_COMMON)
settings.load_profile("ci")
