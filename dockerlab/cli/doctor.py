"""``dockerlab doctor``: is the daemon reachable, which API, are the course images present,
are the usual ports free? Exit 1 with a fix when something is missing.

    $ dockerlab doctor
"""
from __future__ import annotations

import shutil
import sys

from ..engine import client
from ..engine.errors import CONNECT_HINT, DaemonUnreachable
from ..host.ports import port_free

OK, FAILED = 0, 1


def run(args=None) -> int:
    from ..engine.endpoint import resolve
    problems = 0
    ep = resolve()
    print(f"endpoint        {ep.describe()}")
    print(f"  chosen by     {ep.why}")
    for note in ep.notes:
        print(f"  note          {note}")
    if not client.ping():
        print(DaemonUnreachable("the Docker daemon is unreachable", CONNECT_HINT, "docker version").as_text(),
              file=sys.stderr)
        return FAILED
    info = client.daemon_info()
    print(f"engine          {info['engine']} ({'Podman' if info['podman'] else 'Docker Engine'}, "
          f"{info['os']}/{info['arch']})")
    print(f"API version     {info['api_version']} (minimum {info['min_api_version']})")
    if tuple(int(x) for x in info["api_version"].split(".")) < (1, 41):
        print("  hint: this course needs Engine API 1.41 or newer (Docker 20.10+); upgrade Docker.")
        problems += 1
    from ..kit import catalog_status
    missing = 0
    for ref, present in catalog_status():
        print(f"image           {ref:<22}{'present' if present else 'MISSING'}")
        missing += not present
    if missing:
        print("  hint: run `dockerlab images` (add --offline where no registry is reachable).")
        problems += missing
    busy = [p for p in (8080, 8081, 5000, 5432) if not port_free(p)]
    print(f"host ports      {'all free' if not busy else 'in use: ' + ', '.join(map(str, busy))}")
    print(f"docker CLI      {shutil.which('docker') or 'not found (optional: the toolkit shows each command)'}")
    print("doctor: " + ("ok" if not problems else f"{problems} problem(s)"))
    return OK if not problems else FAILED
