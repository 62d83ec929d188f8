"""The toolkit's cleanup vs the docker CLI removing the same things.

Each round makes 60 running labelled containers, 5 networks and 5 volumes, then removes
them: alternately with `dockerlab`'s clean_session() and with `docker rm -f <ids>` followed
by `docker network rm` and `docker volume rm`. Target: within 1.2x of the CLI."""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from dockerlab.commands import network as NW
from dockerlab.commands import run as R
from dockerlab.commands import volume as VL
from dockerlab.commands.network import NetworkSpec
from dockerlab.commands.run import RunSpec
from dockerlab.commands.volume import VolumeSpec
from dockerlab.session import cleanup, labels

CONTAINERS, NETWORKS, VOLUMES = 60, 5, 5
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def make_set(tag: str) -> dict:
    nets = [NW.create(NetworkSpec(f"cl-net-{tag}-{i}")).name for i in range(NETWORKS)]
    vols = [VL.create(VolumeSpec(f"cl-vol-{tag}-{i}")).name for i in range(VOLUMES)]

    def one(i):
        return R.run(RunSpec("busybox:1.36", "sleep 600", name=f"cl-{tag}-{i}", network=nets[i % NETWORKS],
                             mounts=(f"{vols[i % VOLUMES]}:/data",))).id
    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(one, range(CONTAINERS)))
    return {"containers": ids, "networks": nets, "volumes": vols}


def by_cli(s: dict) -> None:
    subprocess.run(["docker", "rm", "-f", *s["containers"]], check=True, capture_output=True)
    subprocess.run(["docker", "network", "rm", *s["networks"]], check=True, capture_output=True)
    subprocess.run(["docker", "volume", "rm", *s["volumes"]], check=True, capture_output=True)


def by_toolkit(_s: dict) -> None:
    report = cleanup.clean_session()
    assert len(report.containers) == CONTAINERS and not report.errors, report


def main() -> int:
    times = {"docker CLI": [], "dockerlab clean": []}
    sid = labels.session_id()[:6]
    for r in range(ROUNDS):
        for name, fn in (("dockerlab clean", by_toolkit), ("docker CLI", by_cli)) if r % 2 else \
                        (("docker CLI", by_cli), ("dockerlab clean", by_toolkit)):
            s = make_set(f"{sid}{r}{name[0]}")
            t0 = time.perf_counter()
            fn(s)
            times[name].append(time.perf_counter() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    for k, v in med.items():
        print(f"  {k:<16} {v:6.2f} s   {v / med['docker CLI']:.2f}x of docker CLI   (rounds: "
              + ", ".join(f"{t:.2f}" for t in times[k]) + ")")
    ratio = med["dockerlab clean"] / med["docker CLI"]
    print(f"cleanup ratio vs docker CLI: {ratio:.2f}")
    return 0 if ratio <= 1.2 else 1


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    finally:
        cleanup.clean_session()
