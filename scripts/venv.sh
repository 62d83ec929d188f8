#!/usr/bin/env bash
# The project's virtual environment, made (or made again) until it works.
#
# A .venv counts only when its python runs and has pip, and the stamp .venv/.installed holds
# the hash of the pyproject.toml it was installed from. A half-made .venv (python3 -m venv
# without python3-venv leaves one behind with no pip) is removed and made again.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
EXTRAS=${EXTRAS:-test}
stamp="$VENV/.installed"
say() { printf 'venv: %s\n' "$*" >&2; }

want="$(sha256sum pyproject.toml | cut -d' ' -f1) [$EXTRAS]"
if [ -e "$VENV" ] && ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
  say "$VENV is broken (its python or pip does not run): making it again"
  rm -rf "$VENV"
fi
if [ ! -e "$VENV" ]; then
  if ! "$PYTHON" -m venv "$VENV"; then
    rm -rf "$VENV"
    say "'$PYTHON -m venv' failed. On Debian/Ubuntu: apt-get install python3-venv (./dl does it)."
    exit 1
  fi
fi
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
   && "$VENV/bin/python" -c 'import dockerlab' >/dev/null 2>&1; then
  exit 0
fi
say "installing dockerlab and its [$EXTRAS] extras into $VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
# Before the rename the distribution was called `dockerlab` (and on PyPI that name is another
# project): remove it so one distribution owns `import dockerlab`.
if "$VENV/bin/python" -m pip show -q dockerlab >/dev/null 2>&1; then
  "$VENV/bin/python" -m pip uninstall -y -q dockerlab
fi
"$VENV/bin/python" -m pip install -q -e ".[$EXTRAS]"
echo "$want" >"$stamp"
