"""bench/engines.py reads the ratio lines every ratio benchmark prints."""
from __future__ import annotations

import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location("engines", Path(__file__).parents[2] / "bench" / "engines.py")
engines = importlib.util.module_from_spec(spec)
spec.loader.exec_module(engines)


def test_reads_report_and_cleanup_lines():
    # bench/_common.report and bench/cleanup.py's own line, as they format them
    name, t, base = "dockerlab table", 0.01234, "raw GET /containers/json"
    line = f"  {name:<28}  {t * 1000:9.2f} ms   {t / 0.0117:6.2f}x of {base}"
    m = engines.LINE.match(line)
    assert (m["name"], m["t"], m["unit"], m["ratio"], m["base"]) == (name, "12.34", "ms", "1.05", base)
    k, v = "dockerlab clean", 1.5
    m = engines.LINE.match(f"  {k:<16} {v:6.2f} s   {v / 2.0:.2f}x of docker CLI   (rounds: 1.40, 1.60)")
    assert (m["name"], m["t"], m["unit"], m["ratio"], m["base"]) == (k, "1.50", "s", "0.75", "docker CLI")
    assert engines.LINE.match("inventory ratio vs raw API: 1.02") is None
