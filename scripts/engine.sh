#!/usr/bin/env bash
# Make sure a Docker engine answers, provisioning Debian's own where none does.
#
#   scripts/engine.sh up      use DOCKER_HOST / the default socket, else install and start dockerd
#   scripts/engine.sh down    stop the dockerd this script started (nothing else)
#   scripts/engine.sh status  exit 0 when an engine answers /_ping
#
# The dockerd we start keeps its log and pid under .run/ (git ignores it).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
run_dir="$here/.run"
pidfile="$run_dir/dockerd.pid"
logfile="$run_dir/dockerd.log"
sock=/var/run/docker.sock

say() { printf 'engine: %s\n' "$*" >&2; }

# ssh://user@host[:port]: /_ping through the toolkit's own path (docker-py + paramiko in the
# venv), else through the ssh client and `docker system dial-stdio` on the remote side, as the
# docker CLI does. Neither available: say so and count it as not answering.
ping_ssh() {
  local py="$here/.venv/bin/python"
  if [ -x "$py" ] && "$py" -c 'import docker, paramiko' 2>/dev/null; then
    "$py" - <<'PY'
import os, sys, docker
try:
    c = docker.DockerClient(base_url=os.environ["DOCKER_HOST"], version="1.41", timeout=10)
    sys.exit(0 if c.ping() else 1)
except Exception as e:  # noqa: BLE001
    print(f"engine: {os.environ['DOCKER_HOST']}: {type(e).__name__}: {e}", file=sys.stderr)
    sys.exit(1)
PY
    return
  fi
  if command -v ssh >/dev/null; then
    local target=${DOCKER_HOST#ssh://} port=()
    target=${target%%/*}
    if [[ $target =~ ^(.*):([0-9]+)$ ]]; then target=${BASH_REMATCH[1]}; port=(-p "${BASH_REMATCH[2]}"); fi
    printf 'GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n' \
      | timeout 15 ssh -o BatchMode=yes -o ConnectTimeout=5 "${port[@]}" "$target" docker system dial-stdio 2>/dev/null \
      | head -1 | grep -q '^HTTP/1\.[01] 200'
    return
  fi
  say "cannot check $DOCKER_HOST: no ssh client and no .venv with docker[ssh] yet"
  return 1
}

# /_ping with nothing but python3's standard library, so this works before any venv exists.
ping_engine() {
  case "${DOCKER_HOST:-}" in ssh://*) ping_ssh; return ;; esac
  python3 - "$@" <<'PY'
import http.client, os, socket, sys
from urllib.parse import urlparse
host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
u = urlparse(host)
try:
    if u.scheme == "unix":
        class C(http.client.HTTPConnection):
            def connect(self):
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.settimeout(3)
                self.sock.connect(u.path)
        c = C("localhost", timeout=3)
    elif u.scheme in ("tcp", "http", "https"):
        if os.environ.get("DOCKER_TLS_VERIFY") or u.scheme == "https":
            sys.exit(0 if u.hostname else 1)  # TLS: leave the handshake to docker-py's doctor
        c = http.client.HTTPConnection(u.hostname, u.port or 2375, timeout=3)
    else:  # ssh:// is pinged by ping_ssh; anything else is not a daemon address we know
        sys.exit(1)
    c.request("GET", "/_ping")
    sys.exit(0 if c.getresponse().status == 200 else 1)
except OSError:
    sys.exit(1)
PY
}

# No DOCKER_HOST: the current Docker CLI context's endpoint (Docker Desktop, Colima, `docker
# context use`), resolved as docker-py resolves it (dockerlab/engine/endpoint.py); empty if
# the context is the default one or the venv is not there yet.
context_host() {
  # $PY first (scripts/test.sh's python: in a lane, the lane's venv), then the worktree's .venv,
  # the active venv (a lane runs the worktree with its own venv: the host's .venv interpreter is
  # not in its rootfs) and python3.
  [ -z "${DOCKER_HOST:-}" ] || return 0
  local py
  for py in "${PY:-}" "$here/.venv/bin/python" ${VIRTUAL_ENV:+"$VIRTUAL_ENV/bin/python"} python3; do
    [ -n "$py" ] && command -v "$py" >/dev/null || continue
    "$py" -c 'from dockerlab.engine.endpoint import resolve; e = resolve(); print(e.url if e.context else "")' \
      2>/dev/null && return 0
  done
  return 0
}

how_to_install() {
  cat >&2 <<'TXT'
engine: no Docker engine answers, and this machine cannot get one automatically.
  Pick one:
  - Docker Desktop (macOS, Windows): install it and start it, then run this again.
  - Linux with systemd:   sudo systemctl start docker
  - Socket not permitted: sudo usermod -aG docker "$USER"   (then log out and in)
  - A remote daemon:      export DOCKER_HOST=ssh://user@host   (or tcp://host:2376 with
                          DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH=~/.docker)
  - Podman:               systemctl --user start podman.socket
                          export DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock
TXT
}

kit_tools() {
  # What the offline image kit needs on the host.
  local missing=()
  command -v busybox >/dev/null || [ -x /bin/busybox ] || missing+=(busybox-static)
  command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
  # The Debian base is debootstrapped from Debian's archive: Ubuntu lacks its key by default.
  [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring)
  echo "${missing[@]:-}"
}

apt_install() {
  say "installing $* with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if [ ! -f "$run_dir/.apt-updated" ]; then
    apt-get update -qq && touch "$run_dir/.apt-updated"
  fi
  apt-get install -y -qq --no-install-recommends "$@" >"$run_dir/apt.log" 2>&1 \
    || { tail -20 "$run_dir/apt.log" >&2; return 1; }
}

can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }

up() {
  mkdir -p "$run_dir"
  if can_apt; then
    local need; need=$(kit_tools)
    [ -n "$need" ] && apt_install $need
  fi
  local ctx; ctx=$(context_host)
  if [ -n "$ctx" ]; then
    if DOCKER_HOST=$ctx ping_engine; then say "an engine answers at $ctx (the current Docker context)"; return 0; fi
    say "the current Docker context's endpoint $ctx does not answer (docker context use default to leave it)"
    how_to_install; return 1
  fi
  if ping_engine; then
    say "an engine answers at ${DOCKER_HOST:-unix://$sock}"
    return 0
  fi
  if [ -n "${DOCKER_HOST:-}" ]; then
    say "DOCKER_HOST=$DOCKER_HOST does not answer; unset it to use a local engine"
    how_to_install; return 1
  fi
  if ! can_apt; then how_to_install; return 1; fi
  if ! command -v dockerd >/dev/null; then apt_install docker.io ca-certificates; fi
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    say "dockerd (pid $(cat "$pidfile")) is starting"
  else
    say "starting dockerd (log: $logfile)"
    # setsid: the daemon outlives this shell and make; it is ours to stop with 'down'.
    setsid dockerd --host "unix://$sock" >"$logfile" 2>&1 < /dev/null &
    echo $! >"$pidfile"
  fi
  for _ in $(seq 1 120); do
    if ping_engine; then say "dockerd answers"; return 0; fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      say "dockerd exited; last lines of $logfile:"; tail -20 "$logfile" >&2; return 1
    fi
    sleep 0.5
  done
  say "dockerd did not answer within 60 s; see $logfile"; return 1
}

down() {
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill "$(cat "$pidfile")"
    # A daemon with many containers takes a while to stop; a new one must not start meanwhile.
    for _ in $(seq 1 240); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.25; done
    say "dockerd stopped"
  fi
  rm -f "$pidfile"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  status) ctx=$(context_host); if [ -n "$ctx" ]; then DOCKER_HOST=$ctx ping_engine; else ping_engine; fi ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
