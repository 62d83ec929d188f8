#!/usr/bin/env bash
# The README test command's body (make test): every suite against the real daemon —
# unit, integration, widgets, exercises, the notebooks under strict nbval, the browser.
set -euo pipefail
cd "$(dirname "$0")/.."
# PY: another interpreter (scripts/lane.sh passes the lane's venv); DOCKERLAB_BROWSER=0: the
# caller leaves the browser tests out (no chromium to install).
PY=${PY:-.venv/bin/python}
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
