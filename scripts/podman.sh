#!/usr/bin/env bash
# A second engine for the course: Podman's Docker-compatible API on a socket of our own.
#
#   scripts/podman.sh up      install Debian's podman if missing, start `podman system service`
#                             (rootful) on .run/podman.sock, load the course images from Docker
#   scripts/podman.sh down    stop the service this script started (nothing else)
#   scripts/podman.sh status  exit 0 when the Podman socket answers /_ping
#   scripts/podman.sh env     print the DOCKER_HOST line to use it in ONE process
#
# Nothing here touches Docker or sets DOCKER_HOST globally: other people use Docker at the same
# time. Use it per process:  DOCKER_HOST=$(scripts/podman.sh host) .venv/bin/pytest ...
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
run_dir="$here/.run"
sock="$run_dir/podman.sock"
pidfile="$run_dir/podman.pid"
logfile="$run_dir/podman.log"
host="unix://$sock"
# The images the notebooks and tests use; copied from Docker's store when Podman lacks them.
images=(${DOCKERLAB_PODMAN_IMAGES:-busybox:1.36 debian:bookworm-slim nginx:1.25 postgres:15 registry:2})

conf="$run_dir/podman-containers.conf"
registries="$run_dir/podman-registries.conf"

say() { printf 'podman: %s\n' "$*" >&2; }

ping_sock() {
  [ -S "$sock" ] && curl -sf --max-time 3 --unix-socket "$sock" http://d/_ping >/dev/null 2>&1
}

load_images() {
  # Podman keeps its own image store; the course images come from Docker's without a registry.
  local missing=()
  for ref in "${images[@]}"; do
    podman image exists "$ref" 2>/dev/null || missing+=("$ref")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v docker >/dev/null || ! DOCKER_HOST= docker image inspect "${missing[@]}" >/dev/null 2>&1; then
    say "not in Docker either: ${missing[*]} — build them with: DOCKER_HOST=$host .venv/bin/dockerlab images --offline"
    return 0
  fi
  say "copying ${missing[*]} from Docker (docker save | podman load)"
  DOCKER_HOST= docker save "${missing[@]}" | podman load -q >>"$logfile" 2>&1
  # `podman load` names a Docker archive's "busybox:1.36" localhost/busybox:1.36; a pull would
  # have named it docker.io/library/busybox:1.36. Give it the pulled name, as a learner has it.
  local full
  for ref in "${missing[@]}"; do
    case "$ref" in */*) full="docker.io/$ref" ;; *) full="docker.io/library/$ref" ;; esac
    if podman image exists "localhost/$ref" 2>/dev/null; then
      podman tag "localhost/$ref" "$full" && podman untag "localhost/$ref" "localhost/$ref"
    fi
  done
}

write_conf() {
  # Rootful Podman gives containers nofile/nproc limits of ~1M; where this process may not raise
  # its own hard limits (a container, a VM with CAP_SYS_RESOURCE dropped) runc then fails with
  # "error setting rlimit type 7: operation not permitted". Docker keeps the daemon's limits; do
  # the same: Debian's containers.conf plus default_ulimits at what we actually have. The
  # service caps nproc at 32768 for itself (seen in /proc/PID/limits), so no more than that.
  local nofile nproc
  nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
  [ "$nofile" = unlimited ] && nofile=1048576
  { [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
  sed "/^\[containers\]/a default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\"]" \
    /usr/share/containers/containers.conf >"$conf"
  # Docker talks plain HTTP to registries on 127.0.0.0/8 (the course's local registry);
  # Podman wants TLS everywhere unless registries.conf says `insecure`. Say it for loopback
  # only, for this service only ("127.0.0.1" matches any port: containers/image prefix rule).
  { [ -f /etc/containers/registries.conf ] && cat /etc/containers/registries.conf
    printf '\n[[registry]]\nlocation = "127.0.0.1"\ninsecure = true\n'
    printf '\n[[registry]]\nlocation = "localhost"\ninsecure = true\n'; } >"$registries"
}

up() {
  mkdir -p "$run_dir"
  if ! command -v podman >/dev/null; then
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
      || { say "podman is not installed: sudo apt-get install podman"; return 1; }
    say "installing podman with apt-get (log: $run_dir/apt-podman.log)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman >"$run_dir/apt-podman.log" 2>&1 \
      || { tail -20 "$run_dir/apt-podman.log" >&2; return 1; }
  fi
  if ping_sock; then
    say "answers at $host"
  else
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      say "service (pid $(cat "$pidfile")) is starting"
    else
      rm -f "$sock"
      write_conf
      say "starting podman system service on $host (log: $logfile)"
      # setsid: the service outlives this shell; --time=0: it never exits on idle.
      CONTAINERS_CONF="$conf" CONTAINERS_REGISTRIES_CONF="$registries" setsid podman system service --time=0 "$host" >"$logfile" 2>&1 </dev/null &
      echo $! >"$pidfile"
    fi
    local ok=
    for _ in $(seq 1 60); do
      if ping_sock; then ok=1; break; fi
      if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        say "the service exited; last lines of $logfile:"; tail -20 "$logfile" >&2; return 1
      fi
      sleep 0.5
    done
    [ -n "$ok" ] || { say "no answer within 30 s; see $logfile"; return 1; }
    say "answers at $host"
  fi
  load_images
}

down() {
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill "$(cat "$pidfile")"
    for _ in $(seq 1 40); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.25; done
    say "service stopped"
  fi
  rm -f "$pidfile" "$sock"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  status) ping_sock ;;
  host) echo "$host" ;;
  env) echo "DOCKER_HOST=$host" ;;
  *) echo "usage: $0 up|down|status|host|env" >&2; exit 2 ;;
esac
