"""Binder's environment.yml and pyproject.toml ask for the same packages and versions."""
from __future__ import annotations

import re
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[2]
CONDA_NAMES = {"docker-py": "docker"}  # conda-forge name -> PyPI name


def _split(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.-]+)\s*(.*)$", req)
    return m.group(1).lower(), m.group(2).replace(" ", "")


def test_environment_yml_agrees_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_split(r) for r in project["dependencies"] + project["optional-dependencies"]["test"])
    have = {}
    text = (ROOT / "environment.yml").read_text()
    deps = text[text.index("dependencies:"):]
    for line in deps.splitlines():
        m = re.match(r"^\s+- ([^#:]+?)\s*$", line)
        if not m or m.group(1) in ("pip", "-e .") or m.group(1).startswith(("python=", "-e")):
            continue
        name, spec = _split(m.group(1))
        have[CONDA_NAMES.get(name, name)] = spec
    assert have == wanted
