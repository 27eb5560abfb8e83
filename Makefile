# One command for every check: `make check` (CI runs the same, through .ci/run).
PYTHON ?= python3

.PHONY: check lint typecheck layers test fuzz fuzz-short bench docs

check: lint typecheck layers test

lint:
	$(PYTHON) -m ruff check ldn_evidence tests bench
	$(PYTHON) -m ruff format --check ldn_evidence tests bench

typecheck:
	$(PYTHON) -m mypy

# The import-linter contracts in pyproject.toml: no circle, nothing imports upward, views draw results.
layers:
	$(PYTHON) -c "import sys; from importlinter.cli import lint_imports_command as run; sys.exit(run())"

test:
	$(PYTHON) -m pytest

fuzz:
	$(PYTHON) tests/fuzz_loader.py --seconds 60

# The short loader fuzz run CI does after `make check`.
fuzz-short:
	$(PYTHON) tests/fuzz_loader.py --seconds 10

bench:
	$(PYTHON) bench/run.py

# The documentation site, as CI builds it (needs the docs extra: pip install -e '.[docs]').
docs:
	NO_MKDOCS_2_WARNING=1 $(PYTHON) -m mkdocs build --strict
