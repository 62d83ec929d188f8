"""Four learners on one daemon, at the same time, each in a scope and a session of their
own: every course notebook passes strict nbval for each of them, nobody sees anybody
else's containers (the tables and checkers in the stored outputs would differ), and
nothing labelled is left afterwards."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

pytestmark = pytest.mark.docker


def test_four_learners_at_once_pass_and_leave_nothing():
    import classroom
    before = classroom.leftovers()
    wall, results = classroom.round_parallel(1)
    failed = {f"c{n}": tail for n, (code, _s, tail) in enumerate(results, 1) if code}
    assert not failed, "\n".join(f"{k}:\n{v}" for k, v in failed.items())
    assert classroom.leftovers() - before == 0
    print(f"classroom round: {classroom.LEARNERS} learners in {wall:.0f} s")
