"""Every course image present on the daemon against its official contract
(dockerlab/kit/contracts.json, written from the docker-library sources).

Read-only: `docker image inspect`, `docker history` and throwaway `docker run --rm` probes.
An image is checked under its course name (``busybox:1.36``) and, when
``$DOCKERLAB_KIT_PREFIX`` is set, under that prefix too (``contracts-test/busybox:1.36``: a kit
built beside the shared one). A difference fails the test when a lesson can see it
(``lesson_visible``) unless the image is a kit image and the contract names the difference
as the kit's on purpose (``kit_differs``). Every difference is printed as a table
(``pytest -rA`` or ``-s`` shows it)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import uuid
from pathlib import Path

import pytest

CONTRACTS = Path(__file__).resolve().parents[2] / "dockerlab" / "kit" / "contracts.json"
DOC = json.loads(CONTRACTS.read_text())
KIT_LABEL = "dockerlab.kit"

pytestmark = pytest.mark.docker


def docker(*args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)


def candidates() -> list[tuple[str, str]]:
    """(contract ref, local ref) for every course image name that could be present."""
    prefix = os.environ.get("DOCKERLAB_KIT_PREFIX", "")
    out = []
    for ref in DOC["images"]:
        out.append((ref, ref))
        if prefix:
            out.append((ref, prefix + ref))
    return out


def _none(v):
    return None if v in (None, [], "", {}) else v


def _env(cfg: dict) -> dict[str, str]:
    return dict(e.split("=", 1) for e in cfg.get("Env") or [] if "=" in e)


def observe(local: str, inspect: dict, facts: dict) -> dict[str, object]:
    """What the image shows for each fact (only facts with a check)."""
    cfg = inspect.get("Config") or {}
    seen: dict[str, object] = {}
    shell = {}
    for name, fact in facts.items():
        check = fact.get("check")
        if not check:
            continue
        kind = check["kind"]
        if kind == "config":
            seen[name] = _none(cfg.get(check["key"]))
        elif kind == "env_names":
            seen[name] = sorted(_env(cfg))
        elif kind == "env_values":
            env = _env(cfg)
            seen[name] = {k: env.get(k) for k in fact["official"]}
        elif kind == "ports":
            seen[name] = sorted(cfg.get("ExposedPorts") or {})
        elif kind == "volumes":
            seen[name] = sorted(cfg.get("Volumes") or {})
        elif kind == "layers":
            seen[name] = len((inspect.get("RootFS") or {}).get("Layers") or [])
        elif kind == "history":
            out = docker("history", "-q", "--no-trunc", local)
            seen[name] = len(out.stdout.split()) if out.returncode == 0 else f"docker history failed: {out.stderr}"
        elif kind == "shell":
            shell[name] = check["script"]
        elif kind == "run":
            out = docker("run", "--rm", "--name", f"contracts-probe-{uuid.uuid4().hex[:8]}", local, *check["args"])
            seen[name] = (out.stdout + out.stderr).strip()
        else:
            raise AssertionError(f"unknown check kind {kind}")
    if shell:
        # one container for all shell probes of an image, each output behind a marker line
        marks = {n: f"@@contract-{uuid.uuid4().hex[:6]}@@" for n in shell}
        script = "\n".join(f"echo '{marks[n]}'\n( {s} ) 2>&1" for n, s in shell.items())
        out = docker("run", "--rm", "--name", f"contracts-probe-{uuid.uuid4().hex[:8]}",
                     "--entrypoint", "sh", local, "-c", script)
        text = out.stdout
        for n in shell:
            part = text.split(marks[n] + "\n", 1)[1] if marks[n] + "\n" in text else f"(no output: {out.stderr.strip()})"
            for other in marks.values():
                part = part.split(other, 1)[0]
            seen[n] = part.strip()
    return seen


def matches(fact: dict, seen) -> bool:
    official, check = fact["official"], fact["check"]
    if check["kind"] == "env_values" and check.get("regex"):
        return all(seen.get(k) is not None and re.search(p, seen[k]) for k, p in official.items())
    if check["kind"] == "run" and isinstance(official, str) and " " in official:
        return isinstance(seen, str) and official in seen
    if check["kind"] == "config":
        return _none(official) == seen
    return official == seen


def compare(contract_ref: str, local: str) -> tuple[list[tuple], list[tuple]]:
    """(all differences, the failing ones) as rows (image, fact, kit, official, why)."""
    inspect = json.loads(docker("image", "inspect", local).stdout)[0]
    entry = DOC["images"][contract_ref]
    labels = (inspect.get("Config") or {}).get("Labels") or {}
    is_kit = labels.get(KIT_LABEL) == entry["recipe"]
    seen = observe(local, inspect, entry["facts"])
    diffs, failing = [], []
    for name, fact in entry["facts"].items():
        if name not in seen or matches(fact, seen[name]):
            continue
        if not fact["lesson_visible"]:
            why = "lessons cannot see it"
        elif is_kit and fact.get("kit_differs"):
            why = "kit on purpose: " + fact["kit_differs"]
        else:
            why = "FAILS: a lesson relies on it: " + "; ".join(fact["relied_on_by"][:2])
        row = (local + (" (kit)" if is_kit else " (official-shaped)"), name, seen[name], fact["official"], why)
        diffs.append(row)
        if why.startswith("FAILS"):
            failing.append(row)
    return diffs, failing


def table(rows) -> str:
    return "\n".join(f"{img} | {fact} | seen {seen!r} | official {off!r} | {why}" for img, fact, seen, off, why in rows)


PRESENT = [(c, ln) for c, ln in candidates() if docker("image", "inspect", ln).returncode == 0]


@pytest.mark.skipif(not PRESENT, reason="no course image is present on the daemon")
@pytest.mark.parametrize("contract_ref,local", PRESENT, ids=[ln for _, ln in PRESENT])
def test_image_keeps_the_official_contract_where_lessons_look(contract_ref, local):
    diffs, failing = compare(contract_ref, local)
    print(f"\n{local}: {len(diffs)} differences from the official contract, {len(failing)} a lesson can see")
    if diffs:
        print(table(diffs))
    assert not failing, "differences a lesson can see:\n" + table(failing)


def test_a_difference_a_lesson_sees_fails(monkeypatch):
    """The comparison is not vacuous: a visible fact that differs is reported as failing,
    also on a kit image when the contract does not excuse it."""
    fact = {"official": ["sh"], "check": {"kind": "config", "key": "Cmd"}, "source": [], "relied_on_by": ["x"],
            "lesson_visible": True}
    assert matches(fact, ["sh"]) and not matches(fact, ["bash"])
    assert matches({"official": None, "check": {"kind": "config", "key": "Entrypoint"}}, None)
    assert matches({"official": {"V": "^1\\.25\\."}, "check": {"kind": "env_values", "regex": True}}, {"V": "1.25.5"})
    assert not matches({"official": {"V": "^1\\.25\\."}, "check": {"kind": "env_values", "regex": True}}, {"V": "1.22.1"})
