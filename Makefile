# Conveniences: each target is one dev.py command (dev.py needs only Python 3, not make).
# Pass extra arguments with ARGS, e.g.  make test ARGS="tests/core -q"
.PHONY: run test setup bench catalogs

run test setup bench catalogs:
	python3 dev.py $@ $(ARGS)
