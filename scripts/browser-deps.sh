#!/usr/bin/env bash
# Debian's chromium for the browser tests (Playwright drives the system browser at
# /usr/bin/chromium, or $DOCKERLAB_CHROMIUM; it never downloads one). Without it the browser
# tests skip locally; with CI set they fail, and so does this script.
set -euo pipefail
chromium="${DOCKERLAB_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "browser: installing Debian's chromium" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
fi
if [ ! -x "$chromium" ]; then
  echo "browser: no chromium at $chromium; install it (apt-get install chromium) or the browser tests skip" >&2
  if [ -n "${CI:-}" ]; then exit 1; fi
fi
