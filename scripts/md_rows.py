"""The body of the pass/fail tables in docs/engines.md (scripts/engine_table.py, scripts/lane_table.py):
one row per suite or notebook (notebooks last), one column per engine or lane, and a total row."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable


def rows(table: dict, columns: list[str], cell: Callable[[dict | None], str], number: type = int) -> list[str]:
    """``table[row][column]`` holds counts ("passed", "failed", ...); ``cell`` renders them."""
    totals = {c: defaultdict(number) for c in columns}
    lines = []
    for name in sorted(table, key=lambda m: (m.startswith("notebooks"), m)):
        row = table[name]
        for c in columns:
            for k, v in (row.get(c) or {}).items():
                totals[c][k] += v
        lines.append(f"| `{name}` | " + " | ".join(cell(row.get(c)) for c in columns) + " |")
    lines.append("| **total** | " + " | ".join(f"**{cell(totals[c])}**" for c in columns) + " |")
    return lines
