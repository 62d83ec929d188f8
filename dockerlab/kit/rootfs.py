"""Host-side recipe work: the busybox and Debian root filesystems.

Nothing here talks to Docker; it prepares files for :mod:`dockerlab.commands.image`.
The debootstrapped rootfs tarball is cached (``.run/kit/`` in a checkout, else
``~/.cache/dockerlab/kit``), so rebuilding after ``docker rmi`` takes seconds.

>>> mirrors()                                      # doctest: +SKIP
('http://deb.debian.org/debian', 'http://deb.debian.org/debian-security')
"""
from __future__ import annotations

import glob
import hashlib
import io
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..engine.errors import DockerlabError
from .catalog import RECIPES

HOST_BUSYBOX = os.environ.get("DOCKERLAB_BUSYBOX", "/bin/busybox")


class RecipeFailed(DockerlabError):
    """An offline recipe could not run on this host (missing tool, not root, no mirror)."""
    kind = "recipe-failed"


def cache_dir() -> Path:
    """Where rootfs tarballs are kept between builds."""
    if os.environ.get("DOCKERLAB_KIT_CACHE"):
        d = Path(os.environ["DOCKERLAB_KIT_CACHE"])
    else:
        checkout = Path(__file__).resolve().parents[2]
        d = checkout / ".run" / "kit" if (checkout / "pyproject.toml").exists() else \
            Path.home() / ".cache" / "dockerlab" / "kit"
    d.mkdir(parents=True, exist_ok=True)
    return d


def read_conf(path: Path) -> dict[str, str]:
    conf = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            k, v = line.split("=", 1)
            conf[k.strip()] = v.strip()
    return conf


def apt_source_files(etc: str = "/etc/apt") -> list[str]:
    return [f"{etc}/sources.list", *sorted(glob.glob(f"{etc}/sources.list.d/*.list")),
            *sorted(glob.glob(f"{etc}/sources.list.d/*.sources"))]


def mirrors(default: str = "http://deb.debian.org/debian",
            default_security: str = "http://deb.debian.org/debian-security",
            files: list[str] | None = None) -> tuple[str, str]:
    """The host's Debian mirror and security mirror, from its apt sources."""
    uris: list[str] = []
    for f in apt_source_files() if files is None else files:
        try:
            text = Path(f).read_text()
        except OSError:
            continue
        uris += re.findall(r"^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)", text, re.M)
        for m in re.finditer(r"^URIs:\s*(.+)$", text, re.M):
            uris += m.group(1).split()
    debian = [u.rstrip("/") for u in uris if u.startswith("http") and re.search(r"/debian$", u.rstrip("/"))]
    security = [u.rstrip("/") for u in uris if u.startswith("http") and u.rstrip("/").endswith("/debian-security")]
    return (debian[0] if debian else default, security[0] if security else default_security)


def is_static(path: str) -> bool:
    """True for an ELF without a program interpreter (runs in `FROM scratch`)."""
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    return head[:4] == b"\x7fELF" and b"/ld-linux" not in head and b"ld-musl" not in head


def _host_busybox() -> str:
    if not os.path.exists(HOST_BUSYBOX):
        raise RecipeFailed(f"{HOST_BUSYBOX} is missing: the offline busybox recipe copies it",
                           "Install it: apt-get install busybox-static (Debian/Ubuntu).")
    if not is_static(HOST_BUSYBOX):
        raise RecipeFailed(f"{HOST_BUSYBOX} is dynamically linked and cannot run in a FROM scratch image",
                           "Install the static one: apt-get install busybox-static.")
    return HOST_BUSYBOX


def busybox_applets(binary: str) -> list[str]:
    """The applet names ``binary --list`` prints (what ``busybox --install`` links)."""
    out = subprocess.run([binary, "--list"], capture_output=True, text=True, check=True).stdout
    return sorted({a for a in out.split() if a and "/" not in a and a != "busybox"})


def busybox_rootfs(dest: Path) -> Path:
    """A root filesystem tarball like the official busybox (glibc variant): one binary,
    ``/bin/busybox``, and a hard link to it in ``/bin`` for every applet; a few empty
    directories and ``/etc/passwd``/``group`` from recipes/busybox/overlay. Returns its path."""
    binary = _host_busybox()
    recipe = RECIPES / "busybox"
    conf = read_conf(recipe / "rootfs.conf")
    mtime = int(os.stat(binary).st_mtime)

    def info(name: str, kind: bytes, mode: int, **kw) -> tarfile.TarInfo:
        ti = tarfile.TarInfo(name)
        ti.type, ti.mode, ti.mtime, ti.uid, ti.gid = kind, mode, mtime, 0, 0
        for k, v in kw.items():
            setattr(ti, k, v)
        return ti

    tarball = dest / "busybox-rootfs.tar"
    with tarfile.open(tarball, "w", format=tarfile.GNU_FORMAT) as tar:
        for d in conf["dirs"].split():
            tar.addfile(info(d, tarfile.DIRTYPE, 0o1777 if d == "tmp" else (0o700 if d == "root" else 0o755)))
        with open(binary, "rb") as f:
            tar.addfile(info("bin/busybox", tarfile.REGTYPE, 0o755, size=os.path.getsize(binary)), f)
        for applet in busybox_applets(binary):
            tar.addfile(info(f"bin/{applet}", tarfile.LNKTYPE, 0o755, linkname="bin/busybox"))
        tar.addfile(info("usr/bin/env", tarfile.SYMTYPE, 0o777, linkname="../../bin/env"))
        overlay = recipe / "overlay"
        for src in sorted(p for p in overlay.rglob("*") if p.is_file()):
            data = src.read_bytes()
            tar.addfile(info(str(src.relative_to(overlay)), tarfile.REGTYPE, 0o644, size=len(data)),
                        io.BytesIO(data))
    return tarball


# debootstrap's phases and where they sit on a 0..1 progress bar.
_PHASES = [("Retrieving", 0.05, 0.35), ("Validating", 0.05, 0.35), ("Checking component", 0.02, 0.05),
           ("Extracting", 0.35, 0.45), ("Installing", 0.45, 0.55), ("Unpacking", 0.55, 0.75),
           ("Configuring", 0.75, 0.95), ("Base system installed", 0.95, 0.95)]


def _phase_fraction(line: str, seen: dict[str, int]) -> float | None:
    for word, lo, hi in _PHASES:
        if line.startswith("I: " + word):
            seen[word] = seen.get(word, 0) + 1
            # Each phase logs one line per package (~90 in minbase): creep towards its end.
            return lo + (hi - lo) * min(seen[word] / 90.0, 1.0)
    return None


def debian_rootfs(on_line: Callable[[float | None, str], None] | None = None, refresh: bool = False) -> Path:
    """A tarball of a minbase Debian root filesystem (cached); returns its path.

    Runs ``debootstrap`` (~30 s, needs root and the Debian mirror) unless a cached
    tarball for the same suite, mirror and overlay exists.
    """
    recipe = RECIPES / "debian"
    conf = read_conf(recipe / "rootfs.conf")
    mirror, security = mirrors(conf["default_mirror"], conf["default_security"])
    overlay = recipe / "overlay"
    digest = hashlib.sha256(f"{conf}{mirror}{security}".encode())
    for f in sorted(p for p in overlay.rglob("*") if p.is_file()):
        digest.update(str(f.relative_to(overlay)).encode() + f.read_bytes())
    tarball = cache_dir() / f"debian-{conf['suite']}-{conf['variant']}-{digest.hexdigest()[:12]}.tar"
    if tarball.exists() and not refresh:
        if on_line:
            on_line(0.95, f"reusing cached root filesystem {tarball.name}")
        return tarball

    if shutil.which("debootstrap") is None:
        raise RecipeFailed("debootstrap is not installed: the offline Debian recipe needs it",
                           "apt-get install debootstrap (as root), or load a bundle: dockerlab images --import FILE")
    if os.geteuid() != 0:
        raise RecipeFailed("building the Debian base with debootstrap needs root",
                           "Run `sudo dockerlab images --offline` once, or load a bundle made elsewhere "
                           "with `dockerlab images --import FILE`.")
    with tempfile.TemporaryDirectory(dir=cache_dir(), prefix="rootfs-") as tmp:
        root = Path(tmp) / "root"
        cmd = ["debootstrap", f"--variant={conf['variant']}", conf["suite"], str(root), mirror]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        seen: dict[str, int] = {}
        log: list[str] = []
        for line in proc.stdout:
            line = line.rstrip()
            log.append(line)
            if on_line:
                on_line(_phase_fraction(line, seen), line)
        if proc.wait() != 0:
            tail = "\n".join(log[-10:])
            raise RecipeFailed(f"debootstrap failed (exit {proc.returncode}):\n{tail}",
                               f"Is the Debian mirror {mirror} reachable from this machine? Check the "
                               "network or proxy, or load a bundle: dockerlab images --import FILE.",
                               " ".join(cmd))
        _apply_overlay(overlay, root, mirror, security)
        _slim(root)
        part = tarball.with_suffix(".part")
        subprocess.run(["tar", "--numeric-owner", "-C", str(root),
                        "-cf", str(part), "."], check=True)
        os.replace(part, tarball)
    for old in cache_dir().glob(f"debian-{conf['suite']}-{conf['variant']}-*.tar"):
        if old != tarball:
            old.unlink()  # a changed overlay or mirror: the old tarball is stale
    return tarball


def _apply_overlay(overlay: Path, root: Path, mirror: str, security: str) -> None:
    for src in overlay.rglob("*"):
        dst = root / src.relative_to(overlay)
        if src.is_dir():
            dst.mkdir(parents=True, exist_ok=True)
            continue
        text = src.read_bytes().replace(b"@MIRROR@", mirror.encode()).replace(b"@SECURITY@", security.encode())
        dst.write_bytes(text)
        dst.chmod(src.stat().st_mode & 0o777)
    # debootstrap's own one-line sources.list would duplicate the deb822 file above
    (root / "etc/apt/sources.list").unlink(missing_ok=True)


def _slim(root: Path) -> None:
    """What debian:*-slim leaves out: docs, manuals, apt lists and caches, logs."""
    for pattern in ["var/lib/apt/lists/*", "var/cache/apt/*.bin", "var/cache/apt/archives/*.deb",
                    "var/cache/debconf/*-old", "var/log/*.log", "var/log/apt/*",
                    "usr/share/man/*", "usr/share/info/*", "usr/share/locale/*"]:
        for p in glob.glob(str(root / pattern)):
            if os.path.basename(p) in ("lock", "partial", "locale.alias"):
                continue
            shutil.rmtree(p) if os.path.isdir(p) and not os.path.islink(p) else os.unlink(p)
    for doc in (root / "usr/share/doc").glob("*"):
        if doc.is_dir() and not doc.is_symlink():
            for p in doc.iterdir():
                if p.name != "copyright":
                    shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
