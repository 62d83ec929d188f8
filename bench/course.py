"""The whole course under strict nbval, with the course images present: seconds per
notebook and in total. Targets: total <= 240 s, no notebook over 90 s (2-core machine).
Last line: ``course seconds: X``."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0*.ipynb"))


def run(nb: Path) -> tuple[bool, float]:
    env = {**os.environ, "DOCKERLAB_PROGRESS": os.path.join(tempfile.mkdtemp(prefix="course-"), "p.json")}
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "pytest", "--nbval", str(nb), "--nbval-current-env",
                          "--nbval-sanitize-with", str(ROOT / "notebooks" / "sanitize.cfg"), "-q",
                          "-p", "no:cacheprovider", "-o", "addopts="], cwd=ROOT, env=env, capture_output=True,
                         text=True)
    return out.returncode == 0, time.perf_counter() - t0


def main() -> int:
    total, ok = 0.0, True
    for nb in NOTEBOOKS:
        passed, secs = run(nb)
        total += secs
        ok = ok and passed and secs <= 90
        print(f"  {nb.stem:<16} {secs:6.1f} s  {'passed' if passed else 'FAILED'}{'' if secs <= 90 else '  (over 90 s)'}")
    print(f"course seconds: {total:.0f}")
    return 0 if ok and total <= 240 else 1


if __name__ == "__main__":
    raise SystemExit(main())
