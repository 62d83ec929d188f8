"""A learner's clicks in JupyterLab reach the daemon: fill in a RunBuilder and Run, stop the
container from a ContainerTable, check an exercise — each asserted on the daemon itself
(through the engine layer in this process) or on the text the learner reads."""
from __future__ import annotations

import re
import uuid

import pytest
from lab_page import SCREENSHOTS, open_notebook, report, run_all, screenshot
from labserver import free_port
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.docker]

SCRATCH = "browser-interaction.ipynb"
CELLS = [
    "import dockerlab as dl\nrb = dl.RunBuilder(image='', lesson='browser-test')\nrb",
    "ct = dl.ContainerTable()\nct",
    "ex = dl.CheckWidget('01-rm-answer')\nex",
    # the exercise judges what was done: a throwaway debian container read the answer (issue 11)
    "release = dl.run('debian:bookworm-slim', 'cat /etc/os-release', rm=True, detach=False)",
]


def _field(widget, label: str):
    """The input of an ipywidgets control by its description (Text, Combobox, Textarea); a
    field flagged invalid reads "⚠ image"."""
    lbl = widget.locator("label.widget-label").filter(has_text=re.compile(rf"(^|\s){re.escape(label)}$"))
    return lbl.locator("xpath=following-sibling::*[self::input or self::textarea][1]")


def _button(widget, text: str):
    return widget.locator("button.jupyter-button", has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))


def inspect(name: str) -> dict | None:
    from dockerlab.engine.client import engine as api
    from dockerlab.engine.errors import NotFound
    try:
        return api().inspect_container(name)
    except NotFound:  # the engine translates docker-py's errors at its boundary
        return None


def poll(fn, timeout: float = 30, step: float = 0.25):
    import time
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def test_run_stop_and_check_by_clicking(lab, page):
    from dockerlab.session import labels as L
    lab.write_notebook(SCRATCH, CELLS)
    open_notebook(page, lab, SCRATCH)
    run_all(page)
    kernels = lab.note_kernels()
    outputs = page.locator(".jp-Notebook .jp-Cell .jp-OutputArea")
    rb, ct, ex = outputs.nth(0), outputs.nth(1), outputs.nth(2)
    name, port = f"bt-web-{uuid.uuid4().hex[:6]}", free_port()

    # RunBuilder: an empty image keeps Run disabled; the preview follows every field.
    expect(_button(rb, "Run")).to_be_disabled()
    _field(rb, "image").fill("nginx:1.25")
    expect(rb.locator(".dl-cli").first).to_have_text(re.compile(r"docker run -d nginx:1\.25\s*$"))
    _field(rb, "name").fill(name)
    _field(rb, "ports").fill(f"{port}:80")
    expect(rb.locator(".dl-cli").first).to_have_text(
        re.compile(rf"docker run -d --name {name} -p 127\.0\.0\.1:{port}:80 nginx:1\.25\s*$"))
    _button(rb, "Run").click()

    doc = poll(lambda: (d := inspect(name)) and d["State"]["Running"] and d)
    assert doc, f"{name} is not running on the daemon after Run"
    assert doc["Config"]["Image"] == "nginx:1.25"
    assert doc["HostConfig"]["PortBindings"] == {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}]}
    lbl = doc["Config"]["Labels"]
    assert lbl.get(L.LESSON) == "browser-test" and lbl.get(L.SESSION)
    assert int(lbl[L.OWNER_PID]) in kernels, "the container is not owned by the notebook's kernel"
    expect(rb).to_contain_text(f"container {name}")

    # ContainerTable: the new container appears (the table follows docker events); Stop it.
    select = ct.locator("select").first
    expect(select.locator("option", has_text=name)).to_have_count(1, timeout=15_000)
    select.select_option(label=name)
    _button(ct, "Stop").click()
    doc = poll(lambda: (d := inspect(name)) and not d["State"]["Running"] and d)
    assert doc and doc["State"]["Status"] == "exited", f"{name} did not stop: {doc and doc['State']}"
    expect(ct.locator(".dl-cli").first).to_contain_text(f"docker stop -t 3 {name}")

    # An exercise: a wrong answer fails with a hint, the right one passes.
    result = ex.locator(".dl-check-result")
    expect(result).to_contain_text("not checked yet")
    _field(ex, "Answer:").fill("11")
    _button(ex, "Check").click()
    expect(result).to_contain_text("failed")
    expect(result).to_contain_text("Hint")
    _field(ex, "Answer:").fill("12")
    _button(ex, "Check").click()
    expect(result).to_contain_text("passed")

    seen = report(page)
    screenshot(page, SCREENSHOTS / "interaction.png")
    assert not seen["errors"] and not seen["stderr"], seen
    assert not seen["boxes"], f"widgets show errors: {seen['boxes']}"
    assert not page.js_errors, page.js_errors
    page.close()

    lab.shutdown_kernels(SCRATCH)  # what the kernel left is removed at the end (test_zz_cleanup)
