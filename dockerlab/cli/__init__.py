"""``dockerlab`` command line: doctor, images, clean, check, lab (one module each here;
``images`` is the kit's, ``check`` the course's).

Exit codes: 0 ok, 1 a check failed (with a hint), 2 usage. No traceback for a mistake.

    $ dockerlab doctor
    $ dockerlab clean --all
"""
from __future__ import annotations

import argparse
import sys

from ..engine.errors import DockerlabError

OK, FAILED, USAGE = 0, 1, 2


def _print_error(e: DockerlabError) -> None:
    print(e.as_text(), file=sys.stderr)


def cmd_doctor(args) -> int:
    from . import doctor
    return doctor.run(args)


def cmd_images(args) -> int:
    from ..kit import run_images
    return run_images(offline=args.offline, export=args.export, import_=args.import_, quiet=args.quiet)


def cmd_clean(args) -> int:
    from . import clean
    return clean.run(args)


def cmd_check(args) -> int:
    from ..course import run_check
    return run_check(args.exercise, list_only=args.list, answer=args.answer)


def cmd_lab(args) -> int:
    from .lab import run_lab
    return run_lab(port=args.port, ip=args.ip, no_browser=args.no_browser, offline=args.offline)


def build_parser() -> argparse.ArgumentParser:
    from .._version import DISTRIBUTION, __version__
    p = argparse.ArgumentParser(prog="dockerlab", description="A Docker course in JupyterLab, on a real daemon.")
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
