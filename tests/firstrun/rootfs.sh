#!/usr/bin/env bash
# A clean machine as an image: debootstrap a minbase Debian 12 or Ubuntu 24.04 root filesystem
# with python3 (and the bash every minbase has), its distribution's default apt sources, and
# `docker import` it as dockerlab-firstrun/SUITE:latest, labelled dockerlab.infra=firstrun.
#
#   tests/firstrun/rootfs.sh bookworm|noble          build unless the image exists (the cache)
#   tests/firstrun/rootfs.sh bookworm|noble --force  build again
#
# Needs root, debootstrap and docker on this (Debian) host. Ubuntu's archive key comes from
# Debian trixie's ubuntu-keyring package, fetched with apt against Debian's signed trixie
# Release (this host's debian-archive-keyring verifies it): every Release file is checked.
set -euo pipefail
suite=${1:?usage: rootfs.sh bookworm|noble [--force]}
force=${2:-}
image="dockerlab-firstrun/$suite:latest"
work=${DOCKERLAB_FIRSTRUN_CACHE:-/var/tmp/dockerlab-firstrun}
say() { printf 'rootfs: %s\n' "$*" >&2; }

if [ -z "$force" ] && docker image inspect "$image" >/dev/null 2>&1; then
  say "$image is cached"; exit 0
fi
mkdir -p "$work"

ubuntu_keyring() {
  # -> path of ubuntu-archive-keyring.gpg, verified through Debian's archive.
  local k="$work/ubuntu-keyring"
  if [ ! -s "$k/usr/share/keyrings/ubuntu-archive-keyring.gpg" ]; then
    local a="$work/apt-trixie"; rm -rf "$a" "$k"; mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$k"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" >"$a/sources.list"
    local o=(-o "Dir::Etc::SourceList=$a/sources.list" -o Dir::Etc::SourceParts=/dev/null
             -o "Dir::State::Lists=$a/lists" -o "Dir::Cache=$a/cache" -o "Dir::State::status=/dev/null"
             -o APT::Get::List-Cleanup=0 -qq)
    apt-get "${o[@]}" update >&2
    (cd "$a" && apt-get "${o[@]}" download ubuntu-keyring >&2)
    dpkg-deb -x "$a"/ubuntu-keyring_*.deb "$k"
  fi
  echo "$k/usr/share/keyrings/ubuntu-archive-keyring.gpg"
}

root="$work/$suite.root"
rm -rf "$root"
case "$suite" in
  bookworm)
    debootstrap --variant=minbase --include=python3 bookworm "$root" http://deb.debian.org/debian >&2
    rm -f "$root/etc/apt/sources.list"
    cat >"$root/etc/apt/sources.list.d/debian.sources" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    ;;
  noble)
    keyring=$(ubuntu_keyring)
    # This host's debootstrap (1.0.128) predates noble: every Ubuntu suite uses the gutsy script.
    script=/usr/share/debootstrap/scripts/noble
    [ -e "$script" ] || script=/usr/share/debootstrap/scripts/gutsy
    debootstrap --variant=minbase --include=python3 --keyring="$keyring" noble "$root" \
      http://archive.ubuntu.com/ubuntu "$script" >&2
    rm -f "$root/etc/apt/sources.list"
    # What Ubuntu 24.04 (server, cloud and the ubuntu:24.04 image) ships: main..multiverse.
    cat >"$root/etc/apt/sources.list.d/ubuntu.sources" <<'SRC'
Types: deb
URIs: http://archive.ubuntu.com/ubuntu/
Suites: noble noble-updates noble-backports
Components: main universe restricted multiverse
Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg

Types: deb
URIs: http://security.ubuntu.com/ubuntu/
Suites: noble-security
Components: main universe restricted multiverse
Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg
SRC
    ;;
  *) echo "unknown suite $suite" >&2; exit 2 ;;
esac
# A clean machine, not a used one: no apt lists, no downloaded packages.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb
old=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
tar --numeric-owner -C "$root" -c . | docker import \
  -c 'LABEL dockerlab.infra=firstrun' -c 'CMD ["bash"]' -c 'ENV LANG=C.UTF-8' - "$image" >&2
rm -rf "$root"
# --force: the image it replaced is ours (same name, our label); do not leave it dangling.
if [ -n "$old" ] && [ "$old" != "$(docker image inspect -f '{{.Id}}' "$image")" ]; then
  docker rmi "$old" >/dev/null 2>&1 || say "the previous $image ($old) is still in use"
fi
say "$image built"
