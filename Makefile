# dockerlab: two commands do everything on a fresh machine.
#   make lab    set up, make sure an engine answers, build the course images, start JupyterLab
#   make test   set up, make sure an engine answers, build the course images, run every test
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: lab test venv engine engine-down images unit integration notebooks browser bench clean help engines \
	lanes lane-28 lane-28-containerd lane-28-nbval lane-remote lanes-down

help:
	@echo "make lab | make test | make engine | make images | make bench | make clean"
	@echo "make engines (Podman) | make lanes | make lane-28 | make lane-28-containerd | make lane-remote"

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $@

venv: $(STAMP)

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

unit: venv
	$(PY) -m pytest tests/unit -q

# The daemon suites and notebooks on Docker and on Podman (a second engine, started by
# scripts/podman.sh); the table goes to docs/engines.md. Not part of `make test`.
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

lanes-down:
	bash scripts/lane.sh docker28 down
	bash scripts/lane.sh docker28-containerd down

bench: images
	for b in bench/*.py; do $(PY) $$b || exit 1; done

clean:
	-$(PY) -m dockerlab clean --all
