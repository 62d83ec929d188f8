#!/usr/bin/env bash
# Second engines for the suite: Docker Engine 28.5 (Debian sid's docker.io + docker-buildx)
# running as the command of a container on the host's engine, with the suite run INSIDE that
# container (its own network, mount and pid namespaces: `docker exec`, bind mounts and published
# ports behave as on a host).
#
#   scripts/lane.sh LANE up          provision (cached) and start the lane; load the course images
#   scripts/lane.sh LANE down        stop and remove the lane container (its volumes stay)
#   scripts/lane.sh LANE purge       down, and remove its engine-state volume
#   scripts/lane.sh LANE status      exit 0 when the lane's engine answers
#   scripts/lane.sh LANE test [ARGS] the whole suite inside the lane (scripts/test.sh's arguments)
#   scripts/lane.sh LANE nbval [ARGS] strict nbval of the course notebooks inside the lane
#   scripts/lane.sh LANE -- CMD...   run CMD inside the lane (cwd = this worktree, venv on PATH)
#   scripts/lane.sh LANE remote nbval [ARGS] | remote -- CMD
#                                    the remote lane: the toolkit in a second container (own pid
#                                    and mount namespaces, the lane's localhost and /tmp shared,
#                                    as with Docker Desktop) talking to the lane's dockerd over a
#                                    unix socket
#   scripts/lane.sh LANE host        print the DOCKER_HOST of the lane's engine for this machine
#   scripts/lane.sh LANE remote-here CMD  run CMD on this machine with that DOCKER_HOST (a remote
#                                    daemon: its ports and bind mounts are not this machine's)
#   scripts/lane.sh image            only build (or find) the cached rootfs image
#   scripts/lane.sh LANE image       the same for that lane's image (podman5 has its own)
#   scripts/lane.sh matrix [LANE..]  every lane (docker28 docker28-containerd docker28-official
#                                    docker28-remote docker28-remote-here):
#                                    suite or nbval, JUnit XML in .run/lanes/, table in
#                                    docs/engines.md (make lanes)
#
# Lanes: docker28 (overlay2), docker28-containerd (containerd image store, Engine 29's default),
# docker28-remote (a third engine like docker28, for the remote lane: `docker28-remote remote nbval`;
# any lane takes `remote`, this one keeps the remote runs apart from the others), docker28-official
# (overlay2 with the course images official-shaped: copied from the host without any dockerlab.kit
# label, scripts/unkit.py; strict nbval and the exercise checkers), podman5 (Podman 5 from sid:
# `podman system service --time=0 unix:///var/run/docker.sock` as the lane's command, its own
# rootfs image dockerlab-lane:sid-podman5 and storage volume dockerlab-lane-podman5-var on
# /var/lib/containers; the docker CLI and docker-py inside find it at the default socket;
# scripts/engine-matrix.sh podman5 runs the engine matrix's suites in it).
#
# Cached: the imported rootfs image dockerlab-lane:sid-28 (label dockerlab.infra=lane) is reused
# when present; the lane's venv lives in the volume dockerlab-lane-venv-HASH (one per worktree); each lane's engine state
# (images included) in dockerlab-lane-LANE-var. Nothing here touches the host engine's other
# containers, images or volumes, and DOCKER_HOST is never set globally.
#
# Environment: LANE_IMAGES=load (default: `docker save | docker load` the course images from the
# host engine, again whenever they change there), official (the same, without the kit's labels) or kit (this worktree's kit, built offline by
# the lane's engine with `python -m dockerlab images --offline`: use it on a machine whose host
# images other sessions rebuild with another kit); LANE_BROWSER=1 to
# keep the browser tests (skipped by default: the rootfs has no chromium).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
image=${LANE_ROOTFS_IMAGE:-dockerlab-lane:sid-28}
mirror=${LANE_MIRROR:-http://deb.debian.org/debian}
suite=${LANE_SUITE:-sid}
# One venv volume per worktree: the venv is installed editable from the worktree's path, and two
# worktrees sharing one volume would rebuild it under each other's running lanes.
venv_vol=dockerlab-lane-venv-$(printf '%s' "$here" | sha256sum | cut -c1-8)
venv=/opt/lane-venv
course_images=(${DOCKERLAB_LANE_IMAGES:-busybox:1.36 debian:bookworm-slim nginx:1.25 postgres:15 registry:2})
packages=(docker.io docker-cli docker-buildx containerd runc iptables ca-certificates python3 python3-venv
          busybox-static debootstrap procps iproute2 curl tar gzip)
apt_opts=(-o Acquire::Check-Valid-Until=false -o APT::Install-Recommends=false)
# The engine the rootfs image runs by default, and how it names its version (overridden per lane).
image_cmd='["dockerd"]'
version_cmd=(dockerd --version)

say() { printf 'lane: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
hostdocker() { DOCKER_HOST= docker "$@"; }   # always the host's engine, whatever the caller set

lane_known() { case "$1" in docker28|docker28-containerd|docker28-remote|docker28-official|podman5) return 0 ;; esac; return 1; }
is_podman_lane() { [ "$lane" = podman5 ]; }

# ---- the rootfs image (cold: debootstrap + apt; warm: present) --------------------------------
recipe() { printf '%s\n' "$suite" "$mirror" "${packages[@]}" | sha256sum | cut -c1-12; }

build_image() {
  # Reused when present and made from the same recipe (suite, mirror, package list).
  local have; have=$(hostdocker image inspect -f '{{index .Config.Labels "dockerlab.lane.recipe"}}' "$image" 2>/dev/null || true)
  [ -n "$have" ] && [ "$have" = "$(recipe)" ] && return 0
  [ -n "$have" ] && say "$image was made from another recipe ($have): building it again"
  [ "$(id -u)" = 0 ] || die "building $image needs root (debootstrap)"
  command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] \
    || die "debootstrap is missing: apt-get install debootstrap"
  local work="$here/.run/lanes/rootfs" t0=$SECONDS
  mkdir -p "$here/.run/lanes"
  rm -rf "$work"; mkdir -p "$work"
  say "cold start: debootstrap $suite from $mirror (log: .run/lanes/rootfs.log)"
  /usr/sbin/debootstrap --variant=minbase "$suite" "$work" "$mirror" >"$here/.run/lanes/rootfs.log" 2>&1 \
    || { tail -20 "$here/.run/lanes/rootfs.log" >&2; die "debootstrap failed"; }
  local t1=$SECONDS
  say "debootstrap: $((t1 - t0)) s; apt-get install ${packages[*]}"
  # No daemon may start inside the chroot; apt needs /proc. Everything is undone on exit.
  printf '#!/bin/sh\nexit 101\n' >"$work/usr/sbin/policy-rc.d"; chmod +x "$work/usr/sbin/policy-rc.d"
  mount -t proc proc "$work/proc"
  trap 'umount "'"$work"'/proc" 2>/dev/null || true' EXIT
  cp /etc/resolv.conf "$work/etc/resolv.conf"
  chroot "$work" env DEBIAN_FRONTEND=noninteractive sh -c "
      apt-get ${apt_opts[*]} update -qq &&
      apt-get ${apt_opts[*]} install -y -qq ${packages[*]} &&
      apt-get clean && rm -rf /var/lib/apt/lists/*" >>"$here/.run/lanes/rootfs.log" 2>&1 \
    || { tail -30 "$here/.run/lanes/rootfs.log" >&2; die "apt-get install in the rootfs failed"; }
  umount "$work/proc"; trap - EXIT
  rm -f "$work/usr/sbin/policy-rc.d"
  local t2=$SECONDS
  say "apt-get install: $((t2 - t1)) s; docker import as $image"
  tar -C "$work" --numeric-owner -c . | hostdocker import \
      --change 'LABEL dockerlab.infra=lane' \
      --change "LABEL dockerlab.lane.suite=$suite" \
      --change "LABEL dockerlab.lane.recipe=$(recipe)" \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change "CMD $image_cmd" - "$image" >/dev/null
  rm -rf "$work"
  say "rootfs image built in $((SECONDS - t0)) s ($(hostdocker run --rm "$image" "${version_cmd[@]}"))"
}

# ---- one lane -----------------------------------------------------------------------------
setup_lane() {
  lane=$1
  lane_known "$lane" || die "unknown lane '$lane' (docker28, docker28-containerd, docker28-remote, docker28-official, podman5)"
  images_mode=${LANE_IMAGES:-load}
  [ "$lane" = docker28-official ] && images_mode=official
  name=${LANE_CONTAINER:-dockerlab-lane-$lane}
  state="$here/.run/lanes/$lane"        # daemon.json and the engine's socket, seen from here too
  var_vol=dockerlab-lane-$lane-var
  var_dir=/var/lib/docker
  engine_cmd=(dockerd --config-file /run/lane/daemon.json)
  lane_env=()
  load_word="docker load"
  if is_podman_lane; then
    load_word="podman load"
    # Podman 5 from sid, isolated as the Engine 28 lanes are: its own rootfs image (recipe hash
    # of this package list), its storage on a volume (overlay on the container's overlay fails;
    # a volume on the host's ext4 works), the API on the default socket inside the lane.
    image=${LANE_ROOTFS_IMAGE_PODMAN:-dockerlab-lane:sid-podman5}
    packages=(podman runc crun conmon netavark aardvark-dns catatonit iptables nftables docker-cli
              python3 python3-venv ca-certificates procps iproute2 curl tar gzip busybox-static
              debootstrap)
    image_cmd='["podman", "system", "service", "--time=0", "unix:///var/run/docker.sock"]'
    version_cmd=(podman --version)
    var_dir=/var/lib/containers
    engine_cmd=(podman system service --time=0 unix:///var/run/docker.sock)
    # Every process in the lane (the service, `podman load`, `podman --remote` in test_kit) reads
    # the lane's settings; DOCKERLAB_PODMAN=1 runs tests/integration/test_podman.py against the
    # lane's own service (DOCKERLAB_PODMAN_HOST), not scripts/podman.sh's on the host.
    lane_env=(-e CONTAINERS_CONF_OVERRIDE=/run/lane/containers.conf
              -e CONTAINERS_REGISTRIES_CONF=/run/lane/registries.conf
              -e PODMAN_IGNORE_CGROUPSV1_WARNING=1
              -e DOCKERLAB_PODMAN=1 -e DOCKERLAB_PODMAN_HOST=unix:///var/run/docker.sock)
  fi
}

write_daemon_json() {
  mkdir -p "$state/tmp"; chmod 1777 "$state/tmp"
  local features=''
  [ "$lane" = docker28-containerd ] && features=', "features": {"containerd-snapshotter": true}'
  # cgroup-parent: the lane's containers get cgroups of their own, beside the host engine's.
  cat >"$state/daemon.json" <<JSON
{"hosts": ["unix:///var/run/docker.sock", "unix:///run/lane/docker.sock"],
 "cgroup-parent": "/$name"$features}
JSON
}

write_podman_conf() {
  # What scripts/podman.sh gives Podman 4.3 on the host, for the lane's Podman 5: default_ulimits
  # at the limits the lane really has (with CAP_SYS_RESOURCE dropped the runtime may not raise
  # them: "error setting rlimit type 7"), the local registry over plain HTTP on loopback. And
  # what a container without systemd needs: cgroupfs, events in a file. runc, not crun (Podman
  # 5's default): crun refuses a hybrid cgroup hierarchy ("cgroups in hybrid mode not supported,
  # drop all controllers from cgroupv2"), as this machine's (v1 controllers and a v2 mount).
  mkdir -p "$state/tmp"; chmod 1777 "$state/tmp"
  local probe nofile nproc
  probe=$(hostdocker run --rm --entrypoint bash "$image" -c 'ulimit -Hn; ulimit -Hu; echo ---; cat /etc/containers/registries.conf 2>/dev/null')
  nofile=$(sed -n 1p <<<"$probe"); nproc=$(sed -n 2p <<<"$probe")
  [ "$nofile" = unlimited ] && nofile=1048576
  { [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
  cat >"$state/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
CONF
  { sed '1,/^---$/d' <<<"$probe"
    printf '\n[[registry]]\nlocation = "127.0.0.1"\ninsecure = true\n'
    printf '\n[[registry]]\nlocation = "localhost"\ninsecure = true\n'; } >"$state/registries.conf"
}

lane_running() { [ "$(hostdocker inspect -f '{{.State.Running}}' "$name" 2>/dev/null)" = true ]; }

in_lane() { hostdocker exec "$@"; }

lane_ping() { in_lane "$name" docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# Bump when the lane container's options change: a running lane of another spec is recreated
# (its engine state stays in its volume).
lane_spec=3

start_lane() {
  if lane_running; then
    local mounted; mounted=$(hostdocker inspect -f '{{range .Mounts}}{{if eq .Destination "'"$here"'"}}yes{{end}}{{end}}' "$name")
    [ "$mounted" = yes ] || die "$name runs with another worktree; scripts/lane.sh $lane down first (or set LANE_CONTAINER)"
    [ "$(hostdocker inspect -f '{{index .Config.Labels "dockerlab.lane.spec"}}' "$name")" = "$lane_spec" ] && return 0
    say "$name was started by an older scripts/lane.sh: starting it again"
  fi
  # The remote lane's client joins this container's network namespace: it goes with it.
  hostdocker rm -f "$name-client" "$name" >/dev/null 2>&1 || true
  if is_podman_lane; then write_podman_conf; else write_daemon_json; fi
  # pip inside the lane trusts what this machine trusts (a proxy's CA, if the site has one).
  local ca=(); [ -f /etc/ssl/certs/ca-certificates.crt ] && ca=(-v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/host-ca.crt:ro)
  # This machine's static busybox, for LANE_IMAGES=kit (see ensure_images).
  [ -x /bin/busybox ] && ca+=(-v /bin/busybox:/opt/host-busybox:ro)
  say "starting $name (engine state in volume $var_vol)"
  # --privileged and --cap-add ALL fail here ("unable to apply caps": CAP_SYS_RESOURCE is not in
  # the bounding set); this set of options gives dockerd what it needs (NOTES.md, 2026-12).
  # --init: dockerd is no init; without one the shims it leaves behind stay zombies.
  # --restart: when the host's dockerd restarts, the lane comes back (a run in it is lost).
  hostdocker run -d --init --restart unless-stopped --name "$name" --hostname "$lane" \
    --label dockerlab.infra=lane --label "dockerlab.lane=$lane" --label "dockerlab.lane.spec=$lane_spec" \
    --cap-add ALL --cap-drop SYS_RESOURCE \
    --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
    --security-opt systempaths=unconfined --device-cgroup-rule 'a *:* rwm' \
    -v /sys/fs/cgroup:/sys/fs/cgroup:rw \
    -v "$var_vol:$var_dir" \
    -v "$venv_vol:$venv" \
    -v "$here:$here" \
    -v "$state:/run/lane" \
    -v "$state/tmp:/tmp" "${ca[@]}" \
    -e "DOCKERLAB_LANE=$lane" "${lane_env[@]}" \
    "$image" "${engine_cmd[@]}" >/dev/null
  local i
  for i in $(seq 1 120); do
    lane_ping && break
    lane_running || { hostdocker logs --tail 30 "$name" >&2; die "${engine_cmd[0]} in $name exited"; }
    sleep 0.5
  done
  lane_ping || { hostdocker logs --tail 30 "$name" >&2; die "${engine_cmd[0]} in $name did not answer in 60 s"; }
  say "$name: Engine $(in_lane "$name" docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})'), $(in_lane "$name" docker info --format '{{.Driver}}')"
}

ensure_venv() {
  # The lane's own Python (the rootfs's python3) with the project installed editable from this
  # worktree; rebuilt when pyproject.toml or the worktree path changes.
  local want; want="$here $(sha256sum "$here/pyproject.toml" | cut -c1-16)"
  if [ "$(in_lane "$name" cat "$venv/.dockerlab-stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
  local t0=$SECONDS pins=""
  # The same package versions as this worktree's venv when there is one (pip freeze as
  # constraints), so the lanes differ by engine, not by ipykernel or nbval releases.
  if [ -x "$here/.venv/bin/python" ]; then
    "$here/.venv/bin/python" -m pip freeze --exclude-editable 2>/dev/null | grep -v '^dockerlab' >"$state/constraints.txt" || true
    [ -s "$state/constraints.txt" ] && pins="-c $state/constraints.txt"
  fi
  say "building the lane's venv ($venv, volume $venv_vol): pip install -e '.[test]' ${pins:+(pinned like .venv)}"
  local cert=""; in_lane "$name" test -f /etc/ssl/host-ca.crt && cert="export PIP_CERT=/etc/ssl/host-ca.crt;"
  in_lane "$name" sh -c "$cert rm -rf $venv/* $venv/.dockerlab-stamp; python3 -m venv $venv &&
      $venv/bin/pip install -q --upgrade pip &&
      { $venv/bin/pip install -q $pins -e '$here[test]' || { echo 'lane: retrying without pins';
        $venv/bin/pip install -q -e '$here[test]'; }; } &&
      echo '$want' > $venv/.dockerlab-stamp" >"$state/venv.log" 2>&1 \
    || { tail -20 "$state/venv.log" >&2; die "venv build failed"; }
  say "venv built in $((SECONDS - t0)) s ($(in_lane "$name" $venv/bin/python --version))"
}

ensure_images() {
  local missing="" ref t0=$SECONDS
  if [ "$images_mode" = kit ]; then
    # This worktree's kit, built by the lane's engine (it rebuilds what is missing or of another
    # kit version; a no-op when up to date). busybox comes from this machine's static binary
    # when it has one (the stored outputs were made with Debian 12's 1.35; sid's is 1.37).
    local bb=(); in_lane "$name" test -x /opt/host-busybox && bb=(-e DOCKERLAB_BUSYBOX=/opt/host-busybox)
    # Images of another kit version (copies from the host engine, where other worktrees build
    # theirs) would count as present: remove them, the kit builds its own.
    local v ref have; v=$(in_lane -w "$here" "$name" "$venv/bin/python" -c 'from dockerlab.kit.catalog import VERSION; print(VERSION)')
    for ref in "${course_images[@]}"; do
      have=$(in_lane "$name" docker image inspect -f '{{index .Config.Labels "dockerlab.kit.version"}}' "$ref" 2>/dev/null || true)
      [ -n "$have" ] && [ "$have" != "$v" ] && in_lane "$name" docker rmi -f "$ref" >/dev/null 2>&1 || true
    done
    say "building the course images offline inside the lane (dockerlab images --offline)"
    in_lane "${bb[@]}" -w "$here" "$name" "$venv/bin/python" -m dockerlab images --offline >"$state/kit.log" 2>&1 \
      || { tail -20 "$state/kit.log" >&2; die "dockerlab images --offline failed in the lane"; }
    record_images kit
    say "course images ready in $((SECONDS - t0)) s"; return 0
  fi
  # The same bytes as on the host engine (the kit built there): the lanes then differ only by
  # engine, not by the rootfs's busybox version (sid's 1.37 has other applets than 1.35).
  # Copied again when the host's images change (another `make images`); the lane's image ids
  # cannot be compared (the containerd store names images by manifest), so the host ids that
  # were copied are kept in $state/images.loaded.
  local want; want=$(hostdocker image inspect -f '{{.Id}}' "${course_images[@]}" 2>/dev/null) \
    || die "not on the host engine: some of ${course_images[*]} (make images first, or LANE_IMAGES=kit)"
  want="$images_mode $want"
  missing=$(lane_missing)
  if [ -z "$missing" ] && [ "$(cat "$state/images.loaded" 2>/dev/null)" = "$want" ]; then return 0; fi
  # Official-shaped: the same bytes with every dockerlab.kit label (and the kit's LABEL steps in
  # their history) taken out, as images pulled from Docker Hub carry none (scripts/unkit.py).
  local how="" filter=(cat)
  [ "$images_mode" = official ] && how=", official-shaped (no dockerlab.kit labels)" \
    && filter=(python3 "$here/scripts/unkit.py")
  say "copying ${course_images[*]} from the host engine$how (docker save | ${load_word:-docker load})"
  hostdocker save "${course_images[@]}" | "${filter[@]}" | lane_load
  # The copies they replace (untagged kit images of no session) go; nothing else is touched.
  # Only an image with no tag at all: the containerd store lists some tagged images as dangling
  # (seen on 28.5: the loaded busybox, nginx, postgres and registry went, debian stayed).
  in_lane "$name" sh -c 'for i in $(docker images -q --filter dangling=true --filter label=dockerlab.kit | sort -u); do
      [ "$(docker image inspect -f "{{len .RepoTags}} {{index .Config.Labels \"dockerlab.session\"}}" "$i")" = "0 " ] \
        && docker rmi "$i"
    done >/dev/null 2>&1' || true
  missing=$(lane_missing)
  [ -z "$missing" ] || die "after the copy the lane's engine lacks $missing: the suite would fail on every image"
  echo "$want" >"$state/images.loaded"
  record_images "copied from the host engine$how"
  say "course images ready in $((SECONDS - t0)) s"
}

lane_missing() {
  # The course images the lane's engine does not have, space-separated.
  local ref out=()
  for ref in "${course_images[@]}"; do
    in_lane "$name" docker image inspect "$ref" >/dev/null 2>&1 || out+=("$ref")
  done
  echo "${out[*]}"
}

lane_load() {
  # A `docker save` archive on stdin into the lane's engine. Podman: `podman load`, which names
  # "busybox:1.36" localhost/busybox:1.36; a pull would have named it docker.io/library/...:
  # give it the pulled name, as a learner has it (as scripts/podman.sh does for Podman 4.3).
  if ! is_podman_lane; then in_lane -i "$name" docker load -q >/dev/null; return; fi
  in_lane -i "$name" podman load -q >"$state/load.log" 2>&1 || { tail -5 "$state/load.log" >&2; return 1; }
  local ref full
  for ref in "${course_images[@]}"; do
    case "$ref" in */*) full="docker.io/$ref" ;; *) full="docker.io/library/$ref" ;; esac
    if in_lane "$name" podman image exists "localhost/$ref"; then
      in_lane "$name" podman tag "localhost/$ref" "$full"
      in_lane "$name" podman untag "localhost/$ref" "localhost/$ref"
    fi
  done
}

record_images() {
  # What the lane's runs used: name, id, kit recipe version (docs/engines.md prints it).
  { echo "# $1, $(date -u '+%Y-%m-%d %H:%M') UTC"
    in_lane "$name" docker image inspect -f '{{index .RepoTags 0}} {{.Id}} {{if .Config.Labels}}kit-v{{index .Config.Labels "dockerlab.kit.version"}}{{else}}no-kit-label{{end}}' "${course_images[@]}"
  } >"$state/images.txt" 2>/dev/null || true
}

lane_exec() {
  # A command inside the lane, as a learner on that host: cwd = the worktree, the lane's venv
  # first on PATH, DOCKER_HOST unset (the lane's own /var/run/docker.sock).
  local tty=(-i); [ -t 0 ] && [ -t 1 ] && tty=(-it)
  # pip in the suite's own venvs (tests/packaging) trusts what this machine trusts, as the lane's
  # venv build does.
  in_lane "$name" test -f /etc/ssl/host-ca.crt && tty+=(-e PIP_CERT=/etc/ssl/host-ca.crt)
  in_lane "${tty[@]}" -w "$here" -e "PATH=$venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    -e "VIRTUAL_ENV=$venv" -e PYTHONUNBUFFERED=1 -e "CI=${CI:-}" -e HOME=/root \
    -e "DOCKERLAB_PROGRESS=${DOCKERLAB_PROGRESS_IN_LANE:-/tmp/lane-progress-$$/progress.json}" \
    "$name" "$@"
}

start_client() {
  # The remote lane's toolkit side: a container of its own pid and mount namespaces that talks to
  # the lane's dockerd over a unix socket, as a notebook on macOS talks to Docker Desktop's VM.
  # Like Desktop it shares the daemon's localhost (published ports answer on 127.0.0.1) and a
  # file share (/tmp and this worktree), but not its /proc, its /sys or its processes.
  client=$name-client
  [ "$(hostdocker inspect -f '{{.State.Running}}' "$client" 2>/dev/null)" = true ] && return 0
  hostdocker rm -f "$client" >/dev/null 2>&1 || true
  hostdocker run -d --name "$client" --label dockerlab.infra=lane --label "dockerlab.lane=$lane-client" \
    --init --network "container:$name" \
    -v "$venv_vol:$venv" -v "$here:$here" -v "$state:/run/lane" -v "$state/tmp:/tmp" \
    -e DOCKER_HOST=unix:///run/lane/docker.sock -e "DOCKERLAB_LANE=$lane-remote" \
    "$image" sleep infinity >/dev/null
}

client_exec() {
  local tty=(-i); [ -t 0 ] && [ -t 1 ] && tty=(-it)
  hostdocker exec "$client" test -f /etc/ssl/host-ca.crt && tty+=(-e PIP_CERT=/etc/ssl/host-ca.crt)
  hostdocker exec "${tty[@]}" -w "$here" -e "PATH=$venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    -e "VIRTUAL_ENV=$venv" -e PYTHONUNBUFFERED=1 -e "CI=${CI:-}" -e HOME=/root \
    -e "DOCKERLAB_PROGRESS=/tmp/remote-progress-$$/progress.json" "$client" "$@"
}

nbval_args=(--nbval notebooks --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg
            --nbval-cell-timeout 300 -p no:cacheprovider)

up() {
  build_image
  start_lane
  ensure_venv
  ensure_images
}

browser_args() {
  # LANE_BROWSER=1: Debian's chromium in the lane container (not in the cached image: it is big
  # and only the browser tests need it); sid's apt needs the Valid-Until override.
  if [ "${LANE_BROWSER:-0}" = 1 ]; then
    in_lane "$name" test -x /usr/bin/chromium || in_lane -e DEBIAN_FRONTEND=noninteractive "$name" sh -c \
      "apt-get ${apt_opts[*]} update -qq && apt-get ${apt_opts[*]} install -y -qq chromium" >"$state/chromium.log" 2>&1 \
      || say "chromium could not be installed in the lane (log: $state/chromium.log)"
    return 0
  fi
  echo "--ignore=tests/browser"
}

timed() {
  # timed FILE CMD...: run CMD, write its wall time in seconds to FILE, keep its status.
  local file=$1 t0=$SECONDS rc=0; shift
  "$@" || rc=$?
  echo $((SECONDS - t0)) >"$file"; return $rc
}

matrix() {
  # Every lane, one after the other: the suite inside docker28 and docker28-containerd, and
  # strict nbval in the remote lane; JUnit XML and logs in .run/lanes/LANE/, the table in
  # docs/engines.md. Exit status 1 when anything failed.
  local lanes=("$@") l rc=0
  [ ${#lanes[@]} -eq 0 ] && lanes=(docker28 docker28-containerd docker28-official docker28-remote docker28-remote-here)
  mkdir -p "$here/.run/lanes"
  timed "$here/.run/lanes/image.seconds" "$0" image || return 1
  for l in "${lanes[@]}"; do
    local dir="$here/.run/lanes/$l"
    mkdir -p "$dir"; rm -f "$dir"/*.xml "$dir"/*.seconds
    local engine=${l%-here}
    timed "$dir/up.seconds" "$0" "$engine" up >"$dir/up.log" 2>&1 || { tail -5 "$dir/up.log" >&2; rc=1; continue; }
    case "$l" in
      docker28-remote)
        timed "$dir/nbval.seconds" "$0" "$l" remote nbval -q --junitxml="$dir/nbval.xml" >"$dir/nbval.log" 2>&1 || rc=1
        say "$l nbval: $(tail -1 "$dir/nbval.log")" ;;
      docker28-official)
        # Official-shaped images (no dockerlab.kit labels): every lesson and every checker.
        timed "$dir/nbval.seconds" "$0" "$l" nbval -q --junitxml="$dir/nbval.xml" >"$dir/nbval.log" 2>&1 || rc=1
        say "$l nbval: $(tail -1 "$dir/nbval.log")"
        timed "$dir/suite.seconds" "$0" "$l" -- python -m pytest tests/exercises -q -p no:cacheprovider \
          --junitxml="$dir/suite.xml" >"$dir/suite.log" 2>&1 || rc=1
        say "$l exercises: $(tail -1 "$dir/suite.log")" ;;
      docker28-remote-here)
        # The toolkit on this machine, its own venv; the daemon's localhost and /tmp are not ours.
        DOCKERLAB_PROGRESS=$(mktemp -d)/progress.json timed "$dir/nbval.seconds" "$0" "$engine" remote-here \
          "$here/.venv/bin/python" -m pytest "${nbval_args[@]}" -q --junitxml="$dir/nbval.xml" >"$dir/nbval.log" 2>&1 || rc=1
        say "$l nbval: $(tail -1 "$dir/nbval.log")" ;;
      *)
        timed "$dir/suite.seconds" "$0" "$l" test -q -p no:cacheprovider --junitxml="$dir/suite.xml" >"$dir/suite.log" 2>&1 || rc=1
        say "$l suite: $(tail -1 "$dir/suite.log")" ;;
    esac
  done
  local py="$here/.venv/bin/python"; [ -x "$py" ] || py=python3
  "$py" "$here/scripts/lane_table.py" "$here/.run/lanes" "$here/docs/engines.md" "${lanes[@]}" || rc=1
  return $rc
}

case "${1:-}" in
  image) build_image; exit 0 ;;
  matrix) shift; matrix "$@"; exit $? ;;
  ""|-h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
esac
setup_lane "$1"; shift
cmd=${1:-status}; [ $# -gt 0 ] && shift
case "$cmd" in
  up) up ;;
  image) build_image ;;
  down) hostdocker rm -f "$name-client" >/dev/null 2>&1 || true
        hostdocker rm -f "$name" >/dev/null 2>&1 && say "$name removed" || true ;;
  purge) hostdocker rm -f "$name-client" "$name" >/dev/null 2>&1 || true; hostdocker volume rm "$var_vol" >/dev/null 2>&1 || true
         say "$name and $var_vol removed" ;;
  status) lane_running && lane_ping ;;
  test) up
        # scripts/test.sh with the lane's python: the same suites and pytest arguments.
        lane_exec env PY="$venv/bin/python" DOCKERLAB_BROWSER="${LANE_BROWSER:-0}" \
          bash scripts/test.sh $(browser_args) "$@" ;;
  nbval) up
        lane_exec "$venv/bin/python" -m pytest "${nbval_args[@]}" "$@" ;;
  host) echo "unix://$state/docker.sock" ;;
  remote) up; start_client
          if [ "${1:-}" = nbval ]; then shift; client_exec "$venv/bin/python" -m pytest "${nbval_args[@]}" "$@"
          else [ "${1:-}" = -- ] && shift; client_exec "$@"; fi ;;
  remote-here) up; DOCKER_HOST="unix://$state/docker.sock" "$@" ;;
  --) up; lane_exec "$@" ;;
  *) die "unknown command '$cmd' (up, down, purge, status, test, nbval, host, remote, --)" ;;
esac
