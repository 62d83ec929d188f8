#!/usr/bin/env bash
# Debian's chromium for the browser tests (Playwright drives the system browser; it never
# downloads one).
set -euo pipefail
if command -v chromium >/dev/null; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "browser: installing Debian's chromium" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
else
  echo "browser: chromium is missing; install it (apt-get install chromium) or the browser tests skip" >&2
fi
