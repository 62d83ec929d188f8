"""Every image the course uses: its pinned reference and its offline recipe.

The local name of a course image is its pull reference (notebooks run ``nginx:1.25``),
whether it was pulled or built here. Recipes live in ``recipes/<name>/``:

- ``busybox``: the host's static ``/bin/busybox`` with every applet a hard link to it, one
  layer made by ``docker import`` (the official glibc variant's layout);
- ``debian``: ``debootstrap --variant=minbase`` imported with ``docker import``;
- the rest: Dockerfiles ``FROM`` the Debian base, installing Debian packages.

>>> [e.name for e in in_dependency_order()]
['busybox', 'debian', 'nginx', 'postgres', 'registry']
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..session.labels import KIT

#: The default recipe version. Each entry carries its own (``Entry.version``), bumped whenever
#: its recipe changes in a way a learner would notice: `dockerlab images` rebuilds a kit image
#: whose ``dockerlab.kit.version`` label is older (never an image the kit did not build).
VERSION = "1"
KIT_VERSION = KIT + ".version"
RECIPES = Path(__file__).parent / "recipes"


@dataclass(frozen=True)
class Entry:
    """One course image."""
    name: str                 # recipe name, also the value of the dockerlab.kit label
    ref: str                  # pinned pull reference == the local name
    kind: str                 # "dockerfile" | "busybox" | "debootstrap"
    summary: str
    depends: tuple[str, ...] = ()   # entries whose image the recipe builds FROM
    files: tuple[str, ...] = field(default=("Dockerfile",))  # recipe files that must exist
    version: str = VERSION    # the recipe's version, in the dockerlab.kit.version label

    @property
    def recipe_dir(self) -> Path:
        return RECIPES / self.name

    def labels(self) -> dict[str, str]:
        """The labels every kit image carries (never the session label: kit images
        outlive sessions and session cleanup must not remove them)."""
        return {KIT: self.name, KIT_VERSION: self.version}


CATALOG: tuple[Entry, ...] = (
    Entry("busybox", "busybox:1.36", "busybox",
          "a 2 MB userland: sh, ls, ping, wget, httpd; the first container",
          files=("rootfs.conf",), version="2"),
    Entry("debian", "debian:bookworm-slim", "debootstrap",
          "an OS userland with bash and apt; the base of the other recipes",
          files=("rootfs.conf",)),
    Entry("nginx", "nginx:1.25", "dockerfile",
          "a web server on port 80 logging to stdout, like the official image",
          depends=("debian",), files=("Dockerfile", "docker-entrypoint.sh"), version="2"),
    Entry("postgres", "postgres:15", "dockerfile",
          "PostgreSQL 15 with the official image's POSTGRES_* variables and data volume",
          depends=("debian",), files=("Dockerfile", "docker-entrypoint.sh"), version="2"),
    Entry("registry", "registry:2", "dockerfile",
          "a local image registry on port 5000, optional htpasswd auth (no htpasswd binary)",
          depends=("debian",), files=("Dockerfile", "config.yml"), version="2"),
)

BY_NAME = {e.name: e for e in CATALOG}


def get(name: str) -> Entry:
    from ..engine.errors import InvalidInput
    try:
        return BY_NAME[name]
    except KeyError:
        raise InvalidInput(f"no course image named {name!r}",
                           f"course images: {', '.join(BY_NAME)}") from None


def in_dependency_order(names: list[str] | None = None) -> list[Entry]:
    """The entries (all, or ``names`` plus what they build FROM) so that every
    entry comes after the entries it depends on."""
    wanted: list[str] = []

    def visit(name: str, path: tuple[str, ...] = ()) -> None:
        if name in path:
            raise ValueError(f"dependency cycle: {' -> '.join(path + (name,))}")
        for dep in get(name).depends:
            visit(dep, path + (name,))
        if name not in wanted:
            wanted.append(name)

    for name in names if names is not None else [e.name for e in CATALOG]:
        visit(name)
    return [BY_NAME[n] for n in wanted]
