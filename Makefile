# dockerlab: two commands do everything on a fresh machine (./dl lab, ./dl test first install
# make, git and python3-venv where they are missing: scripts/bootstrap.sh).
#   make lab    set up, make sure an engine answers, build the course images, start JupyterLab
#   make test   set up, make sure an engine answers, build the course images, run every test
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: lab test venv engine engine-down images lint unit integration notebooks browser bench clean help engines \
	lanes lane-28 lane-28-containerd lane-28-nbval lane-remote lane-official lanes-down bench-engines

help:
	@echo "make lab | make test | make lint | make unit | make integration | make notebooks | make browser"
	@echo "make engine | make images | make bench | make clean"
	@echo "make engines (Podman 4.3, Podman 5) | make lanes | make lane-28 | make lane-28-containerd | make lane-remote | make lane-official"

# scripts/venv.sh makes .venv again when it is broken (no pip) or stale (pyproject changed).
venv:
	@PYTHON=$(PYTHON) VENV=$(VENV) bash scripts/venv.sh

engine: venv
	@bash scripts/engine.sh up

engine-down:
	@bash scripts/engine.sh down

images: engine
	$(PY) -m dockerlab images

lab: images
	$(PY) -m dockerlab lab

# The whole suite: unit, integration (real daemon), notebooks under strict nbval, browser.
test: images
	bash scripts/test.sh

# ruff (pyflakes, pycodestyle, imports, bugbear, blind excepts...) on everything; mypy on the
# engine boundary and the commands (pyproject.toml configures both). `make test` runs it first.
lint: venv
	$(PY) -m ruff check dockerlab tests bench scripts
	$(PY) -m mypy

unit: venv
	$(PY) -m pytest tests/unit -q

integration: images
	$(PY) -m pytest tests/integration tests/widgets tests/exercises -q

notebooks: images
	$(PY) scripts/notebooks.py stale
	$(PY) -m pytest --nbval notebooks --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg \
	  --nbval-cell-timeout 300 -q

browser: images
	$(PY) -m pytest tests/browser -q

# The daemon suites and notebooks on Docker, on Podman 4.3 (started by scripts/podman.sh) and on
# Podman 5 (the podman5 lane of scripts/lane.sh); the table goes to docs/engines.md. Not part of
# `make test`.
engines: images
	bash scripts/engine-matrix.sh

# Docker Engine 28.5 lanes (scripts/lane.sh): dockerd 28.5 from Debian sid inside a container of
# the host's engine, the suite run inside it; the rootfs image dockerlab-lane:sid-28 is cached.
# Course images are copied from the host engine. Not part of `make test`.
lanes: images
	bash scripts/lane.sh matrix

lane-28: images
	bash scripts/lane.sh docker28 test

lane-28-containerd: images
	bash scripts/lane.sh docker28-containerd test

lane-28-nbval: images
	bash scripts/lane.sh docker28 nbval

lane-remote: images
	bash scripts/lane.sh docker28 remote nbval

lane-official: images
	bash scripts/lane.sh matrix docker28-official

lanes-down:
	bash scripts/lane.sh docker28 down
	bash scripts/lane.sh docker28-containerd down
	bash scripts/lane.sh docker28-official down
	bash scripts/lane.sh docker28-remote down

bench: images
	for b in bench/*.py; do [ $$b = bench/engines.py ] || $(PY) $$b || exit 1; done

# The ratio benchmarks on this machine's engine and in the Engine 28.5 lane, one table
# (docs/engines.md).
bench-engines: images
	$(PY) bench/engines.py docker28

clean:
	-$(PY) -m dockerlab clean --all
