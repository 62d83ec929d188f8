"""How long each widget's callbacks hold the kernel thread, and whether a StatsMonitor's
memory stays bounded.

For every widget: 50 actions (button clicks and field edits a learner makes), timing only
the call on the kernel's thread — the work itself runs on the widget's worker. Then a
StatsMonitor on one container refreshes BENCH_REFRESHES times (default 1000, one real
daemon sample each) while tracemalloc watches the Python heap.
Last line: ``max kernel hold ms: X`` (target: under 100)."""
from __future__ import annotations

import os
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import dockerlab as dl
from dockerlab.commands import run as R
from dockerlab.commands.run import RunSpec
from dockerlab.session import cleanup, labels

ACTIONS = 50
REFRESHES = int(os.environ.get("BENCH_REFRESHES", "1000"))


def hold(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def measure(widget, actions) -> float:
    worst = 0.0
    for i in range(ACTIONS):
        worst = max(worst, hold(actions[i % len(actions)]))
        if hasattr(widget, "wait_idle"):
            widget.wait_idle(30)
    widget.close()
    return worst * 1000


def scenarios(tag: str, target: str):
    def set_(w, attr, value):
        return lambda: setattr(getattr(w, attr), "value", value)

    ct = dl.ContainerTable()
    yield "ContainerTable", ct, [ct.refresh_button.click, set_(ct, "filter", tag), set_(ct, "filter", ""),
                                 set_(ct, "select", target)]
    rb = dl.RunBuilder(image="busybox:1.36", command="sleep 60")
    yield "RunBuilder", rb, [lambda: setattr(rb.fields["ports"], "value", "80"),
                             lambda: setattr(rb.fields["ports"], "value", ""), rb.run_button.click]
    lv = dl.LogViewer(target, tail=20)
    yield "LogViewer", lv, [lv.load_button.click, set_(lv, "search", "tick"), lv.follow_button.click,
                            lv.stop_button.click]
    sm = dl.StatsMonitor([target])
    yield "StatsMonitor", sm, [sm.refresh_button.click, sm.start_button.click, sm.stop_button.click]
    pt = dl.ProcessTable(target)
    yield "ProcessTable", pt, [pt.refresh_button.click]
    iv = dl.InspectViewer(target)
    yield "InspectViewer", iv, [set_(iv, "search", "IPAddress"), set_(iv, "search", ""), iv.refresh_button.click]
    ec = dl.ExecConsole(target)
    ec.command.value = "ls /"
    yield "ExecConsole", ec, [ec.run_button.click]
    npanel = dl.NetworkPanel()
    yield "NetworkPanel", npanel, [npanel.refresh_button.click]
    nm = dl.NetworkMap()
    yield "NetworkMap", nm, [nm.refresh_button.click]
    it = dl.ImageTable()
    yield "ImageTable", it, [it.refresh_button.click, set_(it, "filter", "busybox"), set_(it, "filter", "")]
    le = dl.LayerExplorer("nginx:1.25", compare="debian:bookworm-slim")
    yield "LayerExplorer", le, [le.show_button.click]
    br = dl.BuildRunner("FROM busybox:1.36\nCOPY a.txt /a.txt\n", files={"a.txt": "v1"}, tag=f"bench-{tag}:1")
    yield "BuildRunner", br, [br.build_button.click]
    vp = dl.VolumePanel()
    yield "VolumePanel", vp, [vp.refresh_button.click]
    ev = dl.EventLog(follow=False)
    yield "EventLog", ev, [ev.start_button.click, ev.stop_button.click, ev.clear_button.click]


def main() -> int:
    tag = labels.session_id()[:6]
    target = f"bench-w-{tag}"
    R.run(RunSpec("busybox:1.36", "sh -c 'while true; do echo tick; sleep 1; done'", name=target))
    worst_all = 0.0
    try:
        for name, widget, actions in scenarios(tag, target):
            ms = measure(widget, actions)
            worst_all = max(worst_all, ms)
            print(f"  {name:<15} max hold over {ACTIONS} actions: {ms:6.1f} ms")
        tracemalloc.start()
        sm = dl.StatsMonitor([target], history=60)
        marks = {}
        t0 = time.perf_counter()
        for i in range(1, REFRESHES + 1):
            sm.refresh()
            if i in (min(100, REFRESHES), REFRESHES):
                marks[i] = tracemalloc.get_traced_memory()[0]
        sm.close()
        first, last = marks[min(100, REFRESHES)], marks[REFRESHES]
        print(f"StatsMonitor: {REFRESHES} refreshes in {time.perf_counter() - t0:.0f} s; heap after {min(100, REFRESHES)}: "
              f"{first / 1e6:.2f} MB, after {REFRESHES}: {last / 1e6:.2f} MB "
              f"(growth {(last - first) / 1e3:.0f} kB, history capped at 60 samples)")
    finally:
        cleanup.clean_session()
    print(f"max kernel hold ms: {worst_all:.1f}")
    return 0 if worst_all < 100 else 1


if __name__ == "__main__":
    raise SystemExit(main())
