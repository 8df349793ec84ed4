# secbrief: the editor's interface. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SECBRIEF := $(BIN)/secbrief
# Extra options for `secbrief build`, e.g. make BUILD_OPTS=--force
BUILD_OPTS ?=
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := all
.PHONY: all build test check clean help setup lock system-deps golden schema hooks weekly publish deliver bench serve mapdata

# `make -B` means "rebuild everything": pass it on to secbrief.
ifneq (,$(findstring B,$(firstword -$(MAKEFLAGS))))
BUILD_OPTS += --force
endif
# ...but not reinstall .venv (slow, and needs the network): once it is set up,
# the targets below depend on its stamp only without -B. `make setup` still reinstalls.
SETUP := $(if $(and $(findstring B,$(firstword -$(MAKEFLAGS))),$(wildcard $(STAMP))),,$(STAMP))

all: build ## set up .venv when missing, then build every brief into build/

setup: $(STAMP) ## create .venv and install secbrief with its test tools, exactly as requirements.lock says

# Every package .venv holds, pip and setuptools included, comes from
# requirements.lock at the version and hash it records; a changed lock (or
# pyproject.toml) gives a new .venv, so nothing the lock no longer lists stays.
# pip reads neither pip.conf nor PIP_* variables (--isolated), so every machine
# installs the same way from PyPI; `make PIP_ISOLATION=` uses your own pip
# settings (a mirror, a proxy), and the hashes must still match.
LOCK := requirements.lock
PIP_ISOLATION ?= --isolated
PIP = $(BIN)/python -m pip $(PIP_ISOLATION) --disable-pip-version-check --quiet
VALIDATORS := tests/validators
$(STAMP): $(LOCK) pyproject.toml $(VALIDATORS)/package-lock.json
	@bash .ci/system-deps
	@rm -rf $(VENV) && $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes --no-deps -r $(LOCK)
	@# secbrief itself, editable, built with the locked setuptools (no build isolation: nothing
	@# unpinned is downloaded). setuptools' note that an editable install is one is not shown.
	PYTHONWARNINGS="ignore:Editable installation" $(PIP) install --no-deps --no-build-isolation -e .
	@# the outside validators the tests run (vnu, axe-core, markdownlint), as package-lock.json pins them
	npm ci --prefix $(VALIDATORS) --ignore-scripts --no-audit --no-fund --silent
	@touch $@

# make lock: bring requirements.lock in line with pyproject.toml, keeping every pin
# that still fits; make lock UPGRADE=1 moves every package to its newest release.
UPGRADE ?=
lock: $(SETUP) ## refresh requirements.lock after changing dependencies in pyproject.toml (UPGRADE=1: newest releases)
	$(BIN)/uv pip compile pyproject.toml --extra test --group pyproject.toml:tools \
		--universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock" \
		--quiet $(if $(UPGRADE),--upgrade) -o $(LOCK)

build: $(SETUP) ## render briefs to build/<id>/<id>.{md,html,pdf} (only what changed)
	$(SECBRIEF) build $(BUILD_OPTS)

check: $(SETUP) ## validate incidents, registries and briefs; list every problem
	$(SECBRIEF) check

# -n auto: one pytest worker per core (pytest-xdist); TEST_OPTS adds pytest options,
# e.g. make test TEST_OPTS="-n 0 -k hostile" for one process and some tests.
TEST_OPTS ?=
test: $(SETUP) ## run the test suite on every core
	$(BIN)/python -m pytest -q -n auto $(TEST_OPTS)

golden: $(SETUP) ## regenerate golden files after a deliberate template change (review the diff!)
	SECBRIEF_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

schema: $(STAMP) ## regenerate docs/schema/*.schema.json (JSON Schema for editors) from the data model
	$(SECBRIEF) schema

# make mapdata WORLD_ATLAS=/tmp/package: regenerate the maps' boundary data from
# Natural Earth as the npm package world-atlas holds it (unpacked: npm pack
# world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz). See docs/maps.md.
WORLD_ATLAS ?= /tmp/package
mapdata: $(SETUP) ## regenerate the maps' boundary data (secbrief/render/maps) from Natural Earth (WORLD_ATLAS=dir)
	$(BIN)/python scripts/mapdata.py $(WORLD_ATLAS)

hooks: ## install a git pre-commit hook that runs `secbrief check` on the staged YAML files
	@hook="$$(git rev-parse --git-path hooks)/pre-commit"; \
	if [ -e "$$hook" ] && ! cmp -s .ci/pre-commit "$$hook"; then \
		echo "$$hook exists and is not secbrief's; remove it first, or call .ci/pre-commit from it" >&2; exit 1; \
	fi; \
	mkdir -p "$$(dirname "$$hook")" && cp .ci/pre-commit "$$hook" && chmod +x "$$hook" && echo "installed $$hook"
# make weekly WEEK=2023-W42: this ISO week's brief for every client.
WEEK ?=
weekly: $(SETUP) ## write and build each client's brief for WEEK=2023-W42 (never overwrites one)
	@test -n "$(WEEK)" || { echo "usage: make weekly WEEK=2023-W42" >&2; exit 2; }
	$(SECBRIEF) weekly $(WEEK) $(filter --force,$(BUILD_OPTS))

# make publish DEST=/srv/www/briefs [CEILING=GREEN] [BRIEFS="id1 id2"]
DEST ?=
CEILING ?= CLEAR
BRIEFS ?=
publish: $(SETUP) ## copy the archive to DEST=<dir>, refusing briefs above CEILING (default CLEAR)
	@test -n "$(DEST)" || { echo "usage: make publish DEST=<dir> [CEILING=CLEAR] [BRIEFS=\"id ...\"]" >&2; exit 2; }
	@# the brief ids before --ceiling: argparse takes no positional after it ("unrecognized arguments")
	$(SECBRIEF) publish "$(DEST)" $(BRIEFS) --ceiling "$(CEILING)"

# make deliver WEEK=2023-W42 [BRIEFS="id ..."] [DELIVER_OPTS="--dry-run"]: email the week's
# client briefs to each client's recipients, exactly once (docs/delivery.md). Without
# SECBRIEF_SMTP_HOST in the environment it is a dry run: build/outbox/*.eml, nothing sent.
DELIVER_OPTS ?=
deliver: $(SETUP) ## email WEEK=2023-W42's client briefs (or BRIEFS="id ...") to their recipients, once (dry run without SECBRIEF_SMTP_HOST)
	@test -n "$(WEEK)$(BRIEFS)" || { echo "usage: make deliver WEEK=2023-W42 [BRIEFS=\"id ...\"] [DELIVER_OPTS=--dry-run]" >&2; exit 2; }
	$(SECBRIEF) deliver $(WEEK) $(BRIEFS) $(DELIVER_OPTS)

# make serve [SERVE_PORT=8001] [BRIEFS="id ..."] [SERVE_OPTS="--editor-url 'vscode://file/{path}:{line}:{col}'"]
# Not PORT and HOST: shells and platforms set those in the environment, and make would
# take a HOST=<this machine's name> from there and serve beyond loopback.
SERVE_PORT ?= 8000
SERVE_HOST ?= 127.0.0.1
SERVE_OPTS ?=
serve: $(SETUP) ## live preview at http://127.0.0.1:8000/: briefs re-render as you save, problems shown in the page
	$(SECBRIEF) serve $(BRIEFS) --port "$(SERVE_PORT)" --host "$(SERVE_HOST)" $(SERVE_OPTS)

bench: $(STAMP) ## benchmarks: ratios against baselines measured in the same run (bench/README.md)
	$(BIN)/python bench/run.py

system-deps: ## install the Debian packages secbrief and its tests need (as root; else it names them)
	@bash .ci/system-deps

clean: ## remove build/ (keeps .venv)
	rm -rf build

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
