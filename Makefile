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
.PHONY: all build test check clean help setup system-deps golden schema hooks weekly publish bench

# `make -B` means "rebuild everything": pass it on to secbrief.
ifneq (,$(findstring B,$(firstword -$(MAKEFLAGS))))
BUILD_OPTS += --force
endif
# ...but not reinstall .venv (slow, and needs the network): once it is set up,
# the targets below depend on its stamp only without -B. `make setup` still reinstalls.
SETUP := $(if $(and $(findstring B,$(firstword -$(MAKEFLAGS))),$(wildcard $(STAMP))),,$(STAMP))

all: build ## set up .venv when missing, then build every brief into build/

setup: $(STAMP) ## create .venv and install secbrief with its test tools

$(STAMP): pyproject.toml
	@bash .ci/system-deps
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

build: $(SETUP) ## render briefs to build/<id>/<id>.{md,html,pdf} (only what changed)
	$(SECBRIEF) build $(BUILD_OPTS)

check: $(SETUP) ## validate incidents, registries and briefs; list every problem
	$(SECBRIEF) check

test: $(SETUP) ## run the test suite
	$(BIN)/python -m pytest -q

golden: $(SETUP) ## regenerate golden files after a deliberate template change (review the diff!)
	SECBRIEF_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

schema: $(STAMP) ## regenerate docs/schema/*.schema.json (JSON Schema for editors) from the data model
	$(SECBRIEF) schema

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
	$(SECBRIEF) publish "$(DEST)" --ceiling "$(CEILING)" $(BRIEFS)

bench: $(STAMP) ## benchmarks: ratios against baselines measured in the same run (bench/README.md)
	$(BIN)/python bench/run.py

clean: ## remove build/ (keeps .venv)
	rm -rf build

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
