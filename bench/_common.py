"""Side-by-side timing: candidates run interleaved, round after round, in one process, so
machine noise hits all of them alike; we report medians and their ratios."""
from __future__ import annotations

import statistics
import time


def interleaved(candidates: dict, rounds: int = 15, warmup: int = 2) -> dict[str, float]:
    """Median seconds per candidate; each round runs every candidate once, in turn."""
    times: dict[str, list[float]] = {k: [] for k in candidates}
    for r in range(warmup + rounds):
        for name, fn in candidates.items():
            t0 = time.perf_counter()
            fn()
            dt = time.perf_counter() - t0
            if r >= warmup:
                times[name].append(dt)
    return {k: statistics.median(v) for k, v in times.items()}


def report(medians: dict[str, float], base: str) -> None:
    width = max(map(len, medians))
    for name, t in medians.items():
        print(f"  {name:<{width}}  {t * 1000:9.2f} ms   {t / medians[base]:6.2f}x of {base}")
