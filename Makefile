# critique-suite: `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PARAMS ?= notebooks/params/briefing.yml
JOBS ?= 2
TEST_JOBS ?= 2
# Per-cell time limit in seconds for notebook runs (a slow laptop: make reports TIMEOUT=1800).
TIMEOUT ?= 600
WHEELHOUSE ?= wheelhouse
# Set PIP_OFFLINE=1 (or use `make wheelhouse` first) to install from $(WHEELHOUSE) with no network.
PIP_INSTALL_FLAGS := $(if $(wildcard $(WHEELHOUSE)/*.whl),--no-index --find-links $(WHEELHOUSE),)

.PHONY: help env env-locked lock reports test lab data bench r-packages clean check-html workshop profiles wheelhouse

help: ## List every target
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11+ or run make PYTHON=/path/to/python3.11" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: Python 3.11+ is required, found " + sys.version.split()[0])'
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip $(PIP_INSTALL_FLAGS)
	$(BIN)/python -m pip install --quiet $(PIP_INSTALL_FLAGS) -e '.[test]'
	$(BIN)/python -c "from critique.publish.runner import ensure_kernel; ensure_kernel()"
	touch $(STAMP)

env: $(STAMP) ## Create or refresh the .venv from pyproject.toml (newest versions its bounds allow)

# requirements.lock: every package version of the environment the tests last passed in (pip freeze of
# the .venv that `make env` builds). `make env-locked` installs exactly those versions (as pip
# constraints on pyproject.toml's requirements, so a bound and a pin that disagree fail loudly);
# `make lock` rewrites the file from the current .venv after the tests pass.
LOCK := requirements.lock

env-locked: ## Create the .venv with the exact versions of requirements.lock (the tested environment)
	@test -f $(LOCK) || { echo "error: $(LOCK) not found; run make env, make test, then make lock" >&2; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip $(PIP_INSTALL_FLAGS)
	$(BIN)/python -m pip install --quiet $(PIP_INSTALL_FLAGS) -c $(LOCK) -e '.[test]'
	$(BIN)/python -c "from critique.publish.runner import ensure_kernel; ensure_kernel()"
	touch $(STAMP)

lock: $(STAMP) ## Rewrite requirements.lock from the .venv (run after the tests pass in it)
	{ echo "# The tested environment of critique-suite: pip freeze of the .venv (make lock), installed by make env-locked."; \
	  echo "# Python $$($(BIN)/python -c 'import platform; print(platform.python_version(), platform.system(), platform.machine())')"; \
	  $(BIN)/python -m pip freeze --exclude-editable; } > $(LOCK).tmp && mv $(LOCK).tmp $(LOCK)

reports: $(STAMP) ## Run every notebook into reports/ (PARAMS=..., JOBS=2, TIMEOUT=600 s per cell)
	$(BIN)/critique reports -f $(PARAMS) --jobs $(JOBS) --timeout $(TIMEOUT)

# loadgroup: the tests reading one notebook run share a worker; tests/conftest.py orders the work longest
# first (from the last run's times) and records the run's time for make bench. The 25 slowest are listed.
test: $(STAMP) ## Run the whole test suite on TEST_JOBS processes (default 2; a skipped test says what it needs)
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadgroup --no-loadscope-reorder --durations=25 $(PYTEST_ARGS)

lab: $(STAMP) ## Open JupyterLab on the project
	$(BIN)/jupyter lab --notebook-dir=.

data: $(STAMP) ## Fetch and verify every dataset in data/catalog.yml
	$(BIN)/critique data fetch
	$(BIN)/critique data verify

# R beside the suite in make bench (issue 29): RLIB=dir is a private R library (make r-packages RLIB=dir
# installs into it; make bench RLIB=dir reads it); without RLIB, R's own library paths (R_LIBS, R_LIBS_USER).
RLIB ?=
R_PACKAGES := MultipleSystemsEstimation Rcapture dga LCMCR
R_ENV := $(if $(RLIB),R_LIBS="$(abspath $(RLIB))$${R_LIBS:+:$$R_LIBS}",)
R_INSTALL := lib <- .libPaths()[1]; \
  if (identical(unname(getOption("repos")["CRAN"]), "@CRAN@")) chooseCRANmirror(graphics = FALSE, ind = 1); \
  install.packages(commandArgs(TRUE), lib = lib); \
  missing <- setdiff(commandArgs(TRUE), rownames(installed.packages(lib.loc = lib))); \
  if (length(missing)) stop("not installed: ", paste(missing, collapse = ", "))

bench: $(STAMP) ## Print speed benchmarks, R side by side when installed (BENCH="mse bayes", RLIB=dir)
	$(R_ENV) $(BIN)/python benchmarks/run.py $(BENCH)

r-packages: ## Install the R packages make bench compares with (needs CRAN access; RLIB=dir: a private library)
	@command -v Rscript >/dev/null || { echo "error: Rscript not found; Debian: apt-get install r-base-core r-base-dev libgsl-dev" >&2; exit 1; }
	$(if $(RLIB),mkdir -p "$(RLIB)" &&) $(R_ENV) Rscript -e '$(R_INSTALL)' $(R_PACKAGES)

check-html: $(STAMP) ## Open reports/briefing/index.html in headless Chromium and check links
	$(BIN)/python -m critique.publish.htmlcheck reports/briefing/index.html

workshop: $(STAMP) ## Build the workshop kit (question and answer versions, guide, handouts; TIMEOUT=...)
	$(BIN)/critique workshop --timeout $(TIMEOUT)

profiles: $(STAMP) ## Render every country profile into reports/countries/
	$(BIN)/critique profiles --all --batch --jobs $(JOBS)

wheelhouse: ## Download every Python dependency into wheelhouse/ for offline installs
	$(PYTHON) -m pip download --dest $(WHEELHOUSE) pip setuptools wheel '.[test]'

clean: ## Remove the environment, caches and generated reports (keeps data/raw)
	rm -rf $(VENV) reports .pytest_cache build src/*.egg-info data/cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
