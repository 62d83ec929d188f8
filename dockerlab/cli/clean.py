"""``dockerlab clean [--all | --orphans | --session ID]``: remove labelled resources, nothing else.

Without an option a shell (which has no session of its own) cleans the sessions whose kernel
is gone, as ``--orphans`` does, and says how many live sessions it left alone.
"""
from __future__ import annotations

import os
import sys

from ..session import cleanup

OK, FAILED = 0, 1


def run(args) -> int:
    session = args.session or os.environ.get("DOCKERLAB_SESSION")
    if args.all:
        report = cleanup.clean_all()
    elif session and not args.orphans:
        report = cleanup.clean_session(session)
    else:
        report = cleanup.reap_orphans()
        live = cleanup.live_sessions()
        if live:
            print(f"{len(live)} live session(s) left alone (their kernels are running); "
                  "`dockerlab clean --all` removes them too.")
    for kind in ("containers", "networks", "volumes", "images"):
        for name in getattr(report, kind):
            print(f"removed {kind[:-1]:<9} {name}")
    print(report.summary())
    for err in report.errors:
        print(f"could not remove {err}", file=sys.stderr)
    return OK if not report.errors else FAILED
