"""``dockerlab`` command line: doctor, images, clean, check, lab.

Exit codes: 0 ok, 1 a check failed (with a hint), 2 usage. No traceback for a mistake.

    $ dockerlab doctor
    $ dockerlab clean --all
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys

from .core.errors import DockerlabError
from .netutil import port_free

OK, FAILED, USAGE = 0, 1, 2


def _print_error(e: DockerlabError) -> None:
    print(e.as_text(), file=sys.stderr)


def cmd_doctor(args) -> int:
    from .core import connection
    from .core.errors import CONNECT_HINT, DaemonUnreachable
    problems = 0
    print(f"DOCKER_HOST     {connection.docker_host()}")
    if not connection.ping():
        _print_error(DaemonUnreachable("the Docker daemon is unreachable", CONNECT_HINT, "docker version"))
        return FAILED
    info = connection.daemon_info()
    print(f"engine          {info['engine']} ({'Podman' if info['podman'] else 'Docker Engine'}, {info['os']}/{info['arch']})")
    print(f"API version     {info['api_version']} (minimum {info['min_api_version']})")
    if tuple(int(x) for x in info["api_version"].split(".")) < (1, 41):
        print("  hint: this course needs Engine API 1.41 or newer (Docker 20.10+); upgrade Docker.")
        problems += 1
    from .kit import catalog_status
    missing = 0
    for ref, present in catalog_status():
        print(f"image {ref:<22}{'present' if present else 'MISSING'}")
        missing += not present
    if missing:
        print("  hint: run `dockerlab images` (add --offline where no registry is reachable).")
    problems += missing
    busy = [p for p in (8080, 8081, 5000, 5432) if not port_free(p)]
    print(f"host ports      {'all free' if not busy else 'in use: ' + ', '.join(map(str, busy))}")
    print(f"docker CLI      {shutil.which('docker') or 'not found (optional: the toolkit shows each command)'}")
    print("doctor: " + ("ok" if not problems else f"{problems} problem(s)"))
    return OK if not problems else FAILED


def cmd_images(args) -> int:
    from .kit import run_images
    return run_images(offline=args.offline, export=args.export, import_=args.import_, quiet=args.quiet)


def cmd_clean(args) -> int:
    from .core import cleanup
    session = args.session or os.environ.get("DOCKERLAB_SESSION")
    if args.all:
        report = cleanup.clean_all()
    elif session:
        report = cleanup.clean_session(session)
    else:
        # A shell has no session of its own: clean the sessions whose kernel is gone.
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


def cmd_check(args) -> int:
    from .exercises import run_check
    return run_check(args.exercise, list_only=args.list, answer=args.answer)


def cmd_lab(args) -> int:
    from .lab import run_lab
    return run_lab(port=args.port, ip=args.ip, no_browser=args.no_browser, offline=args.offline)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dockerlab", description="A Docker course in JupyterLab, on a real daemon.")
    from ._version import DISTRIBUTION, __version__
    p.add_argument("--version", action="version", version=f"dockerlab {__version__} ({DISTRIBUTION} on PyPI)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    d = sub.add_parser("doctor", help="is the daemon reachable, are the course images present?")
    d.set_defaults(fn=cmd_doctor)
    i = sub.add_parser("images", help="make every course image present (pull, else build offline)")
    i.add_argument("--offline", action="store_true", help="do not try to pull; build from the recipes")
    i.add_argument("--export", metavar="FILE", help="save every course image into one bundle")
    i.add_argument("--import", dest="import_", metavar="FILE", help="load a bundle made with --export")
    i.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    i.set_defaults(fn=cmd_images)
    c = sub.add_parser("clean", help="remove this session's labelled resources (nothing else)")
    g = c.add_mutually_exclusive_group()
    g.add_argument("--all", action="store_true", help="every dockerlab session's resources (kit images stay)")
    g.add_argument("--orphans", action="store_true", help="only sessions whose kernel is gone")
    g.add_argument("--session", metavar="ID", help="one session by id")
    c.set_defaults(fn=cmd_clean)
    k = sub.add_parser("check", help="check one exercise against the daemon")
    k.add_argument("exercise", nargs="?", help="exercise id, e.g. 01-web-db (see --list)")
    k.add_argument("--list", action="store_true", help="list the exercises")
    k.add_argument("--answer", help="your answer, for exercises that ask a question")
    k.set_defaults(fn=cmd_check)
    lab = sub.add_parser("lab", help="check the daemon, prepare images, start JupyterLab on the course")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--ip", default="127.0.0.1")
    lab.add_argument("--no-browser", action="store_true")
    lab.add_argument("--offline", action="store_true", help="build course images without pulling")
    lab.set_defaults(fn=cmd_lab)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits 2 on usage errors, 0 on --help
        return int(e.code or 0)
    if not getattr(args, "fn", None):
        parser.print_help()
        return USAGE
    if args.command == "check" and not args.exercise and not args.list:
        print("usage: dockerlab check EXERCISE   (dockerlab check --list shows them)", file=sys.stderr)
        return USAGE
    try:
        return args.fn(args)
    except DockerlabError as e:
        _print_error(e)
        return FAILED
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
