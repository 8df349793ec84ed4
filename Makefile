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
.PHONY: all build test check clean help setup system-deps golden bench

# `make -B` means "rebuild everything": pass it on to secbrief.
ifneq (,$(findstring B,$(firstword -$(MAKEFLAGS))))
BUILD_OPTS += --force
endif

all: build ## set up .venv when missing, then build every brief into build/

setup: $(STAMP) ## create .venv and install secbrief with its test tools

$(STAMP): pyproject.toml
	@bash .ci/system-deps
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

build: $(STAMP) ## render briefs to build/<id>/<id>.{md,html,pdf} (only what changed)
	$(SECBRIEF) build $(BUILD_OPTS)

check: $(STAMP) ## validate incidents, registries and briefs; list every problem
	$(SECBRIEF) check

test: $(STAMP) ## run the test suite
	$(BIN)/python -m pytest -q

golden: $(STAMP) ## regenerate golden files after a deliberate template change (review the diff!)
	SECBRIEF_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

bench: $(STAMP) ## benchmarks: ratios against baselines measured in the same run (bench/README.md)
	$(BIN)/python bench/run.py

clean: ## remove build/ (keeps .venv)
	rm -rf build

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
