# One command for every check: `make check` (CI runs the same).
PYTHON ?= python3

.PHONY: check lint typecheck test fuzz bench docs

check: lint typecheck test

lint:
	$(PYTHON) -m ruff check ldn_evidence tests bench
	$(PYTHON) -m ruff format --check ldn_evidence tests bench

typecheck:
	$(PYTHON) -m mypy

test:
	$(PYTHON) -m pytest

fuzz:
	$(PYTHON) tests/fuzz_loader.py --seconds 60

bench:
	$(PYTHON) bench/run.py

# The documentation site, as CI builds it (needs the docs extra: pip install -e '.[docs]').
docs:
	NO_MKDOCS_2_WARNING=1 $(PYTHON) -m mkdocs build --strict
