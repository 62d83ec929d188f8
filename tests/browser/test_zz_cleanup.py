"""Runs last (file order): a kernel's exit removes what it created, and once the server is
down nothing labelled by its kernels is left on the daemon."""
from __future__ import annotations

import uuid

import pytest
from lab_page import open_notebook, run_all
from test_interaction import inspect, poll

pytestmark = [pytest.mark.browser, pytest.mark.docker]


def test_kernel_exit_removes_what_it_created(lab, page):
    name = f"bt-exit-{uuid.uuid4().hex[:6]}"
    path = lab.write_notebook("browser-exit.ipynb", [
        f"import dockerlab as dl\ndl.run('busybox:1.36', 'sleep 300', name={name!r})"])
    open_notebook(page, lab, path)
    run_all(page)
    lab.note_kernels()
    assert poll(lambda: inspect(name)), f"{name} was not created"
    lab.shutdown_kernels(path)
    assert poll(lambda: inspect(name) is None, timeout=10), f"{name} outlived its kernel"


def test_server_stop_leaves_nothing_labelled(lab):
    assert lab.kernel_pids, "no kernel ran: nothing was tested"
    left_by_kernels = lab.stop()
    print("left by the kernels' exit (then removed):", left_by_kernels or "nothing")
    assert lab.leftovers() == []
