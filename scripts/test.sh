#!/usr/bin/env bash
# The README test command's body (make test): every suite against the real daemon.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
if [ -d tests/browser ] && ls tests/browser/test_*.py >/dev/null 2>&1; then
  bash scripts/browser-deps.sh
fi
args=(tests)
if ls notebooks/*.ipynb >/dev/null 2>&1; then
  args+=(--nbval notebooks --nbval-sanitize-with notebooks/sanitize.cfg --nbval-cell-timeout 300 -p no:randomly)
fi
exec "$PY" -m pytest "${args[@]}" "$@"
