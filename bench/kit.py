"""How long `dockerlab images` takes: warm (everything present) and cold (offline build).

    .venv/bin/python bench/kit.py            # warm timing + the last recorded cold build
    .venv/bin/python bench/kit.py --cold     # also build the whole kit again, offline, under
                                             # temporary refs (fresh debootstrap), then remove it

Warm: a fresh Python process running `run_images` (imports included: what
`dockerlab images` costs), and in-process next to the naive way (one inspect per image),
measured in the same run. Cold: with --cold, measured now; otherwise
the per-image times `run_images` recorded in .run/kit/timings.json when it last built
the real course refs. Last line: `kit warm seconds: X`.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

from dockerlab.commands import image as images
from dockerlab.kit import CATALOG, run_images
from dockerlab.kit.command import timings_file


def timed(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def warm(runs: int) -> float:
    out = io.StringIO()
    if run_images(offline=True, quiet=True, stream=out) != 0:  # also makes sure all are present
        sys.exit(f"the kit is not complete:\n{out.getvalue()}")
    ours = timed(lambda: run_images(offline=True, quiet=True, stream=io.StringIO()), runs)
    naive = timed(lambda: [images.image_present(e.ref) for e in CATALOG], runs)
    listing = timed(images.local_refs, runs)
    code = "import sys; from dockerlab.kit import run_images; sys.exit(run_images(quiet=True))"
    process = timed(lambda: subprocess.run([sys.executable, "-c", code], check=True), max(2, runs // 2))
    print(f"warm, fresh process (what the CLI costs): {process * 1000:8.1f} ms  <- reported below")
    print(f"warm run_images in-process (median of {runs}): {ours * 1000:8.1f} ms")
    print(f"  its one `images` list call:              {listing * 1000:8.1f} ms")
    print(f"  naive: one inspect per image ({len(CATALOG)}):      {naive * 1000:8.1f} ms"
          f"  (ratio run_images/naive {ours / naive:.2f})")
    return process


def pull_give_up() -> None:
    # a ref nobody publishes: never replaces a course image, even where a registry answers
    ref = f"dockerlab-bench/never-published:{uuid.uuid4().hex[:8]}"
    t = time.perf_counter()
    try:
        images.pull(ref)
    except Exception as e:
        kind = type(e).__name__
    else:
        kind = "pulled?!"
    print(f"failed pull gives up after:                {time.perf_counter() - t:8.3f} s ({kind})")


def cold_now() -> float:
    uid = uuid.uuid4().hex[:8]
    refs = {e.name: f"dockerlab-bench/{e.name}:{uid}" for e in CATALOG}
    with tempfile.TemporaryDirectory(prefix="dockerlab-bench-") as cache:
        os.environ["DOCKERLAB_KIT_CACHE"] = cache  # no cached rootfs: debootstrap again
        try:
            out = io.StringIO()
            t = time.perf_counter()
            rc = run_images(offline=True, refs=refs, stream=out)
            total = time.perf_counter() - t
        finally:
            del os.environ["DOCKERLAB_KIT_CACHE"]
            for ref in reversed(list(refs.values())):
                subprocess.run(["docker", "rmi", ref], capture_output=True)
    for line in out.getvalue().splitlines():
        if " built offline in " in line or "FAILED" in line:
            print("  " + line)
    if rc != 0:
        sys.exit(f"cold build failed:\n{out.getvalue()}")
    print(f"cold offline build of the whole kit (measured now, fresh debootstrap): {total:.1f} s")
    return total


def cold_recorded() -> None:
    path = timings_file()
    data = json.loads(path.read_text()) if path.exists() else {}
    if not data:
        print("cold build: no recorded timing; run with --cold to measure one")
        return
    for _name, t in data.items():
        print(f"  {t['ref']:<22} {t['action']:<6} in {t['seconds']:6.1f} s  ({t['when']})")
    total = sum(t["seconds"] for t in data.values())
    how = "offline build" if all(t["action"] == "built" for t in data.values()) else "pull/build"
    print(f"cold {how} of the whole kit (recorded in {path.name} by run_images): {total:.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cold", action="store_true", help="build the whole kit again under temporary refs")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    if args.cold:
        cold_now()
    else:
        cold_recorded()
    pull_give_up()
    seconds = warm(args.runs)
    print(f"kit warm seconds: {seconds:.3f}")


if __name__ == "__main__":
    main()
