"""Sync packages: attendance recorded on many offline laptops reaches the programme office
complete, once and safely.

* ``package.export_package`` writes one file (manifest + JSON lines per table, tombstones
  included), encrypted with a passphrase whenever it holds personal data;
* ``reader.open_package`` checks a package completely before anything is imported;
* ``merge.merge_package`` merges it into a laptop's or the hub's database in one transaction.

Import the submodules directly; this package imports nothing at start-up.
"""
