#!/usr/bin/env bash
# The daemon suites on each engine, and the pass/fail table per test module and per notebook.
#
#   scripts/engine-matrix.sh [docker] [podman] [podman5]   (all three by default; `make engines`)
#
# Runs tests/integration, tests/widgets, tests/exercises and the course notebooks (strict nbval)
# once per engine: Docker at the default socket, Podman 4.3 at the service scripts/podman.sh
# starts on .run/podman.sock, Podman 5 in the podman5 lane (scripts/lane.sh podman5: Debian sid's
# podman in a container of the host engine, the suites run inside it with the lane's venv).
# DOCKER_HOST is set for those pytest processes only. JUnit XML and logs go to .run/engines/;
# the table goes to docs/engines.md between its matrix markers (and stdout); an engine left out
# keeps its column from the table already there.
# Exit status: 0 when every Docker result passed (Podman failures are documented differences).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
out=.run/engines
mkdir -p "$out"
engines=("$@")
[ ${#engines[@]} -eq 0 ] && engines=(docker podman podman5)

suites=(tests/integration tests/widgets tests/exercises)
nb_args=()
if ls notebooks/*.ipynb >/dev/null 2>&1; then
  nb_args=(--nbval notebooks --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg
           --nbval-cell-timeout 300)
fi

run_engine() {
  local engine=$1 host
  rm -f "$out/$engine"-*.xml "$out/$engine.seconds" "$out/$engine.version"
  if [ "$engine" = podman5 ]; then
    bash scripts/lane.sh podman5 up || { echo "matrix: the podman5 lane could not be started" >&2; return 1; }
    host="the podman5 lane's unix:///var/run/docker.sock"
    bash scripts/lane.sh podman5 -- docker version --format '{{.Server.Version}}' >"$out/$engine.version" 2>/dev/null || true
  elif [ "$engine" = podman ]; then
    bash scripts/podman.sh up || { echo "matrix: Podman could not be started" >&2; return 1; }
    host=$(bash scripts/podman.sh host)
  else
    host=${DOCKER_HOST:-unix:///var/run/docker.sock}
  fi
  [ "$engine" = podman5 ] || DOCKER_HOST=$host docker version --format '{{.Server.Version}}' >"$out/$engine.version" 2>/dev/null || true
  echo "matrix: $engine at $host" >&2
  local started=$SECONDS
  # One pytest per suite: a crash or hang in one does not cost the others their results.
  for suite in "${suites[@]}" notebooks; do
    local name=${suite##*/} args=("$suite")
    if [ "$suite" = notebooks ]; then
      [ ${#nb_args[@]} -eq 0 ] && continue
      args=("${nb_args[@]}")
    fi
    if [ "$engine" = podman5 ]; then
      # Inside the lane (its venv, its default socket; the lane sets DOCKERLAB_PODMAN=1 and a
      # fresh DOCKERLAB_PROGRESS); the worktree has the same path there.
      bash scripts/lane.sh podman5 -- timeout 1800 python -m pytest "${args[@]}" -q -p no:cacheprovider \
        --junitxml="$PWD/$out/$engine-$name.xml" >"$out/$engine-$name.log" 2>&1
      echo "matrix: $engine $name: $(tail -1 "$out/$engine-$name.log")" >&2
      continue
    fi
    # DOCKERLAB_PODMAN=1 also runs tests/integration/test_podman.py (skipped on Docker).
    DOCKER_HOST=$host DOCKERLAB_PROGRESS=$(mktemp -d)/progress.json \
      DOCKERLAB_PODMAN=$([ "$engine" = podman ] && echo 1) \
      timeout 1800 "$PY" -m pytest "${args[@]}" -q -p no:cacheprovider \
      --junitxml="$out/$engine-$name.xml" >"$out/$engine-$name.log" 2>&1
    echo "matrix: $engine $name: $(tail -1 "$out/$engine-$name.log")" >&2
  done
  echo $((SECONDS - started)) >"$out/$engine.seconds"
}

for e in "${engines[@]}"; do run_engine "$e"; done
"$PY" scripts/engine_table.py "$out" docs/engines.md
