"""StatsMonitor refresh for 20 containers vs one stats call for one container vs docker-py's
``stats(stream=False)`` called for each container in turn.

20 running labelled busybox containers. Target: a full refresh (20 concurrent one-shot
samples, plus the table and the plot) within 1.5x of a single container's call."""
from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import docker
from _common import interleaved, report

from dockerlab.commands import run as R
from dockerlab.commands.run import RunSpec
from dockerlab.engine import streams
from dockerlab.session import cleanup, labels
from dockerlab.widgets.stats import StatsMonitor

N = int(os.environ.get("BENCH_CONTAINERS", "20"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


def main() -> int:
    print(f"stats bench: {N} running labelled containers")
    names = [f"stats-{i}-{labels.session_id()[:6]}" for i in range(N)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: R.run(RunSpec("busybox:1.36", "sleep 600", name=n, lesson="bench")), names))
    monitor = None
    try:
        monitor = StatsMonitor(names)
        assert len(monitor.latest) == N, monitor.status.value
        med = interleaved({
            "one stats call (1 container)": lambda: streams.stats_sample(names[0]),
            f"StatsMonitor.refresh ({N} containers)": monitor.refresh,
        }, rounds=ROUNDS, warmup=1)
        # docker-py in turn takes ~1-2 s per container: one timed round is plenty.
        client = docker.from_env(version="auto")
        t0 = time.perf_counter()
        for n in names:
            client.api.stats(n, stream=False)
        med[f"docker-py stats(stream=False) x{N} in turn"] = time.perf_counter() - t0
        report(med, "one stats call (1 container)")
        one = med["one stats call (1 container)"]
        ratio = med[f"StatsMonitor.refresh ({N} containers)"] / one
        print(f"  docker-py in turn / StatsMonitor refresh: "
              f"{med[f'docker-py stats(stream=False) x{N} in turn'] / (ratio * one):.1f}x")
        print(f"  target: refresh within 1.5x of one call -> {'met' if ratio <= 1.5 else 'MISSED'}")
        print(f"stats refresh ratio vs one call: {ratio:.2f}")
        return 0 if ratio <= 1.5 else 1
    finally:
        if monitor is not None:
            monitor.close()
        cleanup.clean_session()


if __name__ == "__main__":
    sys.exit(main())
