"""Container table vs the raw Engine API call, docker-py's containers.list() and `docker ps -a`.

100 labelled containers. Targets: table within 1.3x of the raw call, at least 5x faster
than containers.list() (which inspects every container: N+1 requests)."""
from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import docker
from _common import interleaved, report

from dockerlab.commands import run as R
from dockerlab.commands.run import RunSpec
from dockerlab.engine.client import engine as api
from dockerlab.reads import tables as inventory
from dockerlab.session import cleanup, labels

N = int(os.environ.get("BENCH_CONTAINERS", "100"))


def main() -> int:
    print(f"inventory bench: {N} labelled containers")
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: R.create(RunSpec("busybox:1.36", "sleep 600", name=f"inv-{i}-{labels.session_id()[:6]}")),
                      range(N)))
    try:
        flt = labels.session_filter()
        client = docker.from_env(version="auto")
        assert len(inventory.containers()) == N
        med = interleaved({
            "raw GET /containers/json": lambda: api().containers(all=True, filters=flt),
            "dockerlab table": lambda: inventory.containers(lab_only=True),
            "docker-py containers.list()": lambda: client.containers.list(all=True, filters=flt),
            "docker ps -a": lambda: subprocess.run(["docker", "ps", "-a", "--filter", f"label={flt['label'][0]}"],
                                                   capture_output=True, check=True),
        }, rounds=int(os.environ.get("BENCH_ROUNDS", "11")))
        report(med, "raw GET /containers/json")
        vs_raw = med["dockerlab table"] / med["raw GET /containers/json"]
        vs_list = med["docker-py containers.list()"] / med["dockerlab table"]
        vs_cli = med["docker ps -a"] / med["dockerlab table"]
        print(f"table vs containers.list(): {vs_list:.1f}x faster (target >= 5x)")
        print(f"table vs docker ps -a: {vs_cli:.1f}x faster")
        print(f"inventory ratio vs raw API: {vs_raw:.2f}")
        return 0 if vs_raw <= 1.3 and vs_list >= 5 else 1
    finally:
        cleanup.clean_session()


if __name__ == "__main__":
    raise SystemExit(main())
