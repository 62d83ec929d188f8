#!/usr/bin/env bash
# The README test command's body (make test): every suite against the real daemon —
# unit, integration, widgets, exercises, the notebooks under strict nbval (the learner notebooks
# and notebooks/solutions/, one sanitize file for all), the browser.
set -euo pipefail
cd "$(dirname "$0")/.."
# PY: another interpreter (scripts/lane.sh passes the lane's venv); DOCKERLAB_BROWSER=0: the
# caller leaves the browser tests out (no chromium to install).
PY=${PY:-.venv/bin/python}
# make test's set-up (venv, engine, images) is done when this script starts. With
# DOCKERLAB_SETUP_ONLY=1 it stops here: tests/firstrun and image-warming CI use it.
if [ -n "${DOCKERLAB_SETUP_ONLY:-}" ]; then
  echo "test: set-up done (engine answers, images present); DOCKERLAB_SETUP_ONLY is set: no suites run"
  exit 0
fi
# Lint and types first: a habit that runs, not a suggestion (pyproject.toml configures both).
"$PY" -m ruff check dockerlab tests bench scripts
"$PY" -m mypy
if [ "${DOCKERLAB_BROWSER:-1}" != 0 ] && ls tests/browser/test_*.py >/dev/null 2>&1; then
  bash scripts/browser-deps.sh
fi
# A fresh learner: progress starts empty, as in the stored outputs.
export DOCKERLAB_PROGRESS="${DOCKERLAB_PROGRESS:-$(mktemp -d)/progress.json}"
args=(tests)
if ls notebooks/*.ipynb >/dev/null 2>&1; then
  "$PY" scripts/notebooks.py stale
  args+=(--nbval notebooks --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg
         --nbval-cell-timeout 300)
fi
exec "$PY" -m pytest "${args[@]}" "$@"
