#!/usr/bin/env bash
# What the Makefile needs before it can run, on a machine with only bash and python3:
# make, git, and a python3 that can make a venv (Debian/Ubuntu split that into python3-venv).
# Installs the missing ones with apt-get, as root or through sudo; elsewhere says what to
# install and stops. The engine, its tools and the Python packages come later (make lab/test).
set -euo pipefail
say() { printf 'bootstrap: %s\n' "$*" >&2; }
PYTHON=${PYTHON:-python3}

if ! command -v "$PYTHON" >/dev/null; then
  say "no $PYTHON: install Python 3.11 or newer (Debian/Ubuntu: apt-get install python3)"; exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  say "$("$PYTHON" -V 2>&1) is too old: dockerlab needs Python 3.11 or newer."
  say "  Ubuntu 22.04: apt-get install python3.11 python3.11-venv, then PYTHON=python3.11 ./dl lab"
  say "  macOS: brew install python (or python.org's installer), then PYTHON=python3.12 ./dl lab"
  exit 1
fi
missing=()
command -v make >/dev/null || missing+=(make)
command -v git >/dev/null || missing+=(git)
if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
  # python3-venv for the distribution's python3; pythonX.Y-venv for another one (PYTHON=python3.11).
  pyv=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  if [ "$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$pyv" ]; then
    missing+=(python3-venv)
  else
    missing+=("python$pyv-venv")
  fi
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null; then
  if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
    say "missing: ${missing[*]}. Run as root, or install sudo, or: apt-get install ${missing[*]}"; exit 1
  fi
  say "installing ${missing[*]} with apt-get${sudo:+ (sudo)}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  "$PYTHON" -c 'import ensurepip, venv' || { say "python3-venv did not give $PYTHON ensurepip"; exit 1; }
  exit 0
fi
say "missing: ${missing[*]}. Install them with your system's package manager"
say "  (macOS: xcode-select --install gives make and git; python.org's or Homebrew's python has venv)."
exit 1
