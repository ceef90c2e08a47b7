# Shortcuts for people; CI runs .ci/run. Every target assumes `pip install -e ".[test,dev]"` (or `make install`).
PYTHON ?= python

.PHONY: install lock report test lint format bench

install:  ## the pinned environment (requirements.lock), then the project itself
	$(PYTHON) -m pip install -r requirements.lock
	$(PYTHON) -m pip install --no-deps -e .

lock:  ## re-pin every dependency (test and dev extras included) into requirements.lock
	pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra test --extra dev --output-file requirements.lock pyproject.toml

report:  ## every edition and language from the shipped data, into outputs/
	mcis-report build --edition all --lang all

test:  ## the README's test command
	pytest

lint:  ## lint, format check, types, declared dependencies
	ruff check src tests bench
	ruff format --check src tests bench
	mypy
	deptry src

format:
	ruff check --fix src tests bench
	ruff format src tests bench

bench:  ## build benchmark (prints ratios; see bench/build_bench.py)
	$(PYTHON) bench/build_bench.py --edition all --lang en --runs 3
