"""dockerlab/kit/contracts.json is well formed: every course image, every contract fact the
issue names, each with a link to the source line it came from and the lesson cells that
rely on it; checks the integration test can run."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dockerlab.kit import CATALOG

ROOT = Path(__file__).resolve().parents[2]
DOC = json.loads((ROOT / "dockerlab" / "kit" / "contracts.json").read_text())
LINE_LINK = re.compile(r"^https://github\.com/[\w.-]+/[\w.-]+/blob/[0-9a-f]{40}/[^#\s]+#L\d+(-L\d+)?$")
OTHER_LINK = re.compile(r"^https://github\.com/[\w.-]+/[\w.-]+/(issues|pull)/\d+$")
REQUIRED = ("entrypoint", "cmd", "env", "exposed_ports", "volumes", "stop_signal", "user", "workdir", "layers")
KINDS = set(DOC["check_kinds"])
NOTEBOOKS = {p.stem for p in (ROOT / "notebooks" / "src").glob("*.py")}
FACTS = [(ref, name, fact) for ref, img in DOC["images"].items() for name, fact in img["facts"].items()]


def test_every_course_image_has_a_contract_with_the_required_facts():
    assert set(DOC["images"]) == {e.ref for e in CATALOG}
    for entry in CATALOG:
        img = DOC["images"][entry.ref]
        assert img["recipe"] == entry.name
        missing = [f for f in REQUIRED if f not in img["facts"]]
        assert not missing, f"{entry.ref} lacks {missing}"


@pytest.mark.parametrize("ref,name,fact", FACTS, ids=[f"{r}-{n}" for r, n, _ in FACTS])
def test_fact_has_a_line_link_lessons_and_a_runnable_check(ref, name, fact):
    assert fact["source"], f"{ref} {name}: no source"
    assert any(LINE_LINK.match(s) for s in fact["source"]), f"{ref} {name}: no link to a source line"
    for s in fact["source"]:
        assert LINE_LINK.match(s) or OTHER_LINK.match(s), f"{ref} {name}: not a pinned GitHub link: {s}"
    assert isinstance(fact["relied_on_by"], list)
    for cell in fact["relied_on_by"]:
        assert cell.split(" ", 1)[0].rstrip(":") in NOTEBOOKS, f"{ref} {name}: no notebook for {cell!r}"
    assert isinstance(fact["lesson_visible"], bool)
    if fact["lesson_visible"]:
        assert fact["relied_on_by"], f"{ref} {name}: visible to which lesson?"
    check = fact["check"]
    if check is None:
        assert fact.get("note"), f"{ref} {name}: a fact without a check says why"
        return
    assert check["kind"] in KINDS
    if check["kind"] == "config":
        assert check["key"] in ("Entrypoint", "Cmd", "StopSignal", "User", "WorkingDir")
    if check["kind"] == "env_values":
        assert isinstance(fact["official"], dict) and fact["official"]
    if check["kind"] in ("env_names", "ports", "volumes"):
        assert fact["official"] == sorted(fact["official"])
    if check["kind"] in ("layers", "history"):
        assert isinstance(fact["official"], int) and fact["official"] >= 1
    if check["kind"] == "shell":
        assert check["script"].strip() and isinstance(fact["official"], str)
    if check["kind"] == "run":
        assert check["args"] and isinstance(fact["official"], str)
    if "kit_differs" in fact:
        assert fact["kit_differs"].strip()


def test_the_lessons_facts_named_in_the_issue_are_there():
    imgs = DOC["images"]
    assert imgs["busybox:1.36"]["facts"]["layers"]["official"] == 1
    assert imgs["busybox:1.36"]["facts"]["hard_links"]["official"] == "yes"
    assert imgs["nginx:1.25"]["facts"]["entrypoint"]["official"] == ["/docker-entrypoint.sh"]
    assert imgs["nginx:1.25"]["facts"]["stop_signal"]["official"] == "SIGQUIT"
    assert imgs["postgres:15"]["facts"]["env_values"]["official"]["PGDATA"] == "/var/lib/postgresql/data"
    assert "Skipping initialization" in imgs["postgres:15"]["facts"]["message_skipping_initialization"]["check"]["script"]
    assert imgs["registry:2"]["facts"]["no_htpasswd"]["official"] == "none"
    assert "/etc/docker/registry/config.yml" in imgs["registry:2"]["facts"]["config_path"]["check"]["script"]
