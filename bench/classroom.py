"""A classroom on one daemon: LEARNERS learners run the five course notebooks at the same
time, each in a name scope of their own (DOCKERLAB_SCOPE=cN) and a session of their own,
twice over; then the same notebook runs one after another. Every run is strict nbval.

Prints the wall times, the leftovers (labelled resources after each round: must be 0),
and last `classroom speed-up: X` (sequential wall time / parallel wall time)."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dockerlab.engine import names  # noqa: E402
from dockerlab.engine.client import engine as api  # noqa: E402
from dockerlab.session import labels  # noqa: E402

LEARNERS = int(os.environ.get("CLASSROOM_LEARNERS", "4"))
ROUNDS = int(os.environ.get("CLASSROOM_ROUNDS", "2"))
NOTEBOOKS = sorted(str(p) for p in (ROOT / "notebooks").glob("0*.ipynb"))


def learner(n: int, tag: str) -> tuple[int, float, str]:
    """One learner: the five notebooks in order, as nbval runs them. (exit code, seconds, tail)"""
    env = {**os.environ, "DOCKERLAB_SCOPE": f"c{n}",
           "DOCKERLAB_PROGRESS": os.path.join(tempfile.mkdtemp(prefix="classroom-"), "progress.json")}
    env.pop("DOCKERLAB_SESSION", None)
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "pytest", "--nbval", *NOTEBOOKS, "--nbval-current-env",
                          "--nbval-sanitize-with", str(ROOT / "notebooks" / "sanitize.cfg"),
                          "--nbval-cell-timeout", "300", "-q", "-p", "no:cacheprovider", "-o", "addopts="],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    log = ROOT / ".run" / "classroom" / f"{tag}-c{n}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(out.stdout + out.stderr)
    tail = [line for line in out.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))][:12]
    return out.returncode, time.perf_counter() - t0, "\n".join(tail + [f"(full log: {log})"])


def leftovers() -> int:
    """Labelled resources of classroom scopes still on the daemon (other work is ignored)."""
    f = labels.any_session_filter()
    a = api()
    scoped = lambda name: names.SCOPE_SEP + "c" in (name or "")  # noqa: E731
    return (sum(scoped(c["Names"][0]) for c in a.containers(all=True, filters=f))
            + sum(scoped(n["Name"]) for n in a.networks(filters=f))
            + sum(scoped(v["Name"]) for v in a.volumes(filters=f).get("Volumes") or [])
            + sum(any(scoped(t) for t in i.get("RepoTags") or []) for i in a.images(filters=f)))


def round_parallel(r: int) -> tuple[float, list]:
    t0 = time.perf_counter()
    with ThreadPoolExecutor(LEARNERS) as pool:
        results = list(pool.map(lambda n: learner(n, f"r{r}"), range(1, LEARNERS + 1)))
    return time.perf_counter() - t0, results


def main() -> int:
    print(f"classroom: {LEARNERS} learners x {len(NOTEBOOKS)} notebooks, {ROUNDS} rounds, one daemon")
    before = leftovers()
    ok = True
    parallel = []
    for r in range(1, ROUNDS + 1):
        wall, results = round_parallel(r)
        parallel.append(wall)
        left = leftovers() - before
        for n, (code, secs, tail) in enumerate(results, 1):
            status = "passed" if code == 0 else "FAILED"
            print(f"  round {r} learner c{n}: {status} in {secs:.0f} s")
            if code:
                ok = False
                print("    " + tail.replace("\n", "\n    "))
        print(f"round {r}: {wall:.0f} s wall, labelled leftovers: {left}")
        ok = ok and left == 0
    t0 = time.perf_counter()
    seq = [learner(n, "seq") for n in range(1, LEARNERS + 1)]
    sequential = time.perf_counter() - t0
    ok = ok and all(code == 0 for code, _s, _t in seq)
    print(f"sequential: the same {LEARNERS} x {len(NOTEBOOKS)} notebooks one after another: {sequential:.0f} s")
    print(f"labelled leftovers after everything: {leftovers() - before}")
    print(f"classroom speed-up: {sequential / min(parallel):.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
