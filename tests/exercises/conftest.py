"""The exercise tests' tally: accepted/refused per exercise, printed at the end of the run."""
from __future__ import annotations

import pytest
from terminal import TALLY, Learner, summary


@pytest.fixture
def learner(monkeypatch, tmp_path, session):
    lr = Learner(monkeypatch, tmp_path)
    try:
        yield lr
    finally:
        lr.reset()


def pytest_terminal_summary(terminalreporter):
    if TALLY:
        terminalreporter.write_sep("-", "exercise checks with the plain docker CLI")
        for line in summary():
            terminalreporter.write_line(line)
