"""The engine matrix's table: JUnit XML of each (engine, suite) run -> pass/fail per module.

    python scripts/engine_table.py .run/engines docs/engines.md

Reads ENGINE-SUITE.xml files (ENGINE: docker, podman = Podman 4.3 on the host, podman5 = the
podman5 lane of scripts/lane.sh), ENGINE.seconds and ENGINE.version, groups test cases by test
module (or notebook), prints a Markdown table and writes it into the doc between the matrix
markers. An engine with no XML in the folder keeps its column (and its run date and time) from
the table already in the doc, so one engine can be run again alone. Exit status 1 when a
Docker result failed (Podman failures are the documented differences, not regressions).
"""
from __future__ import annotations

import json
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import md_rows  # scripts/md_rows.py, beside this file

BEGIN, END = "<!-- engine-matrix:begin -->", "<!-- engine-matrix:end -->"
ENGINES = ("docker", "podman", "podman5")
#: Column titles when no ENGINE.version file says more (the version's major.minor is used).
TITLES = {"docker": "Docker", "podman": "Podman", "podman5": "Podman"}
DEFAULT_VERSIONS = {"docker": "20.10", "podman": "4.3", "podman5": "5.x"}
RUNS = re.compile(r"<!-- engine-matrix:runs (\{.*\}) -->")
CELL = re.compile(r"(\d+)/(\d+)(?: \((\d+) skipped\))?")


def module_of(case: ET.Element) -> str:
    """tests.widgets.test_logs[.Class] -> tests/widgets/test_logs.py; nbval cells -> the notebook."""
    cls = case.get("classname") or ""
    if ".ipynb" in cls:
        nb = cls.split("notebooks.", 1)[-1]
        return "notebooks/" + ("solutions/" + nb[len("solutions."):] if nb.startswith("solutions.") else nb)
    parts = cls.split(".")
    for i, p in enumerate(parts):
        if p.startswith("test_"):
            return "/".join(parts[: i + 1]) + ".py"
    return cls or "?"


def outcome(case: ET.Element) -> str:
    if case.find("failure") is not None or case.find("error") is not None:
        return "failed"
    if case.find("skipped") is not None:
        return "skipped"
    return "passed"


def collect(folder: Path) -> dict[str, dict[str, dict[str, int]]]:
    """{module: {engine: {passed, failed, skipped}}}"""
    table: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for xml in sorted(folder.glob("*.xml")):
        engine = xml.stem.split("-", 1)[0]
        if engine not in ENGINES:
            continue
        for case in ET.parse(xml).getroot().iter("testcase"):
            table[module_of(case)][engine][outcome(case)] += 1
    return table


def cell(counts: dict[str, int] | None) -> str:
    if not counts:
        return "—"
    p, f, s = counts.get("passed", 0), counts.get("failed", 0), counts.get("skipped", 0)
    mark = "✅" if f == 0 and p else ("❌" if f else "⏭")
    return f"{mark} {p}/{p + f}" + (f" ({s} skipped)" if s else "")


def uncell(text: str) -> dict[str, int] | None:
    """A rendered cell back to counts ("❌ 46/50 (1 skipped)" -> passed 46, failed 4, skipped 1)."""
    m = CELL.search(text)
    if not m:
        return None
    p, r, s = int(m[1]), int(m[2]), int(m[3] or 0)
    return {"passed": p, "failed": r - p, "skipped": s}


def engine_of(title: str) -> str | None:
    t = title.strip()
    if t.startswith("Docker"):
        return "docker"
    if t.startswith("Podman 5"):
        return "podman5"
    return "podman" if t.startswith("Podman") else None


def previous(block: str) -> tuple[dict, dict]:
    """The table already in the doc: ({module: {engine: counts}}, {engine: run facts})."""
    table: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
    runs: dict[str, dict[str, str]] = {}
    m = RUNS.search(block)
    if m:
        runs = json.loads(m[1])
    columns: list[str | None] = []
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| module / notebook"):
            columns = [engine_of(c) for c in cells[1:]]
        elif line.startswith("| `") and columns:
            module = cells[0].strip("`")
            for e, text in zip(columns, cells[1:], strict=False):
                counts = uncell(text)
                if e and counts:
                    table[module][e] = counts
    if not m:  # the two-engine table before podman5: one date, "Wall time: Docker N s, Podman M s."
        when = re.search(r"on (\d{4}-\d\d-\d\d \d\d:\d\d)", block)
        for e, label in (("docker", "Docker"), ("podman", "Podman")):
            secs = re.search(label + r" (\d+) s", block)
            runs[e] = {"title": f"{TITLES[e]} {DEFAULT_VERSIONS[e]}", "when": when[1] if when else "?",
                       "seconds": secs[1] if secs else "?"}
    return table, runs


def run_facts(folder: Path, engine: str) -> dict[str, str]:
    def read(suffix: str) -> str:
        f = folder / f"{engine}.{suffix}"
        return f.read_text().strip() if f.exists() else ""
    version = read("version")
    short = ".".join(version.split(".")[:2]) if version else DEFAULT_VERSIONS[engine]
    secs = folder / f"{engine}.seconds"  # when that engine's run ended
    when = time.localtime(secs.stat().st_mtime) if secs.exists() else time.localtime()
    return {"title": f"{TITLES[engine]} {short}", "version": version,
            "when": time.strftime("%Y-%m-%d %H:%M", when), "seconds": read("seconds") or "?"}


def render(table, runs) -> str:
    engines = [e for e in ENGINES if e in runs]
    lines = ["Generated by `make engines` (scripts/engine-matrix.sh); cells: passed/run "
             "(failed = run − passed); notebooks count nbval cells.", "",
             "| module / notebook | " + " | ".join(runs[e]["title"] for e in engines) + " |",
             "|---" * (len(engines) + 1) + "|"]
    lines += md_rows.rows(table, list(engines), cell, int)
    lines += ["", "Runs (wall time of the suites and notebooks): " + "; ".join(
        f"{runs[e]['title']}{' (' + runs[e]['version'] + ')' if runs[e].get('version') else ''}"
        f" on {runs[e]['when']}, {runs[e]['seconds']} s" for e in engines) + ".",
        f"<!-- engine-matrix:runs {json.dumps({e: runs[e] for e in engines}, ensure_ascii=False)} -->"]
    return "\n".join(lines)


def main(folder: str, doc: str) -> int:
    path = Path(doc)
    body = path.read_text() if path.exists() else f"# Engines\n\n{BEGIN}\n{END}\n"
    old_table, runs = previous(body.split(BEGIN, 1)[1].split(END, 1)[0]) if BEGIN in body else ({}, {})
    table = collect(Path(folder))
    ran = {e for row in table.values() for e in row}
    for e in ran:
        runs[e] = run_facts(Path(folder), e)
    for module, row in old_table.items():  # columns of engines not run this time stay
        for e, counts in row.items():
            if e not in ran:
                table[module][e] = defaultdict(int, counts)
    text = render(table, runs)
    print(text)
    if BEGIN in body and END in body:
        head, rest = body.split(BEGIN, 1)
        body = head + BEGIN + "\n" + text + "\n" + END + rest.split(END, 1)[1]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)
    docker_failed = sum((row.get("docker") or {}).get("failed", 0) for row in table.values())
    return 1 if docker_failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
