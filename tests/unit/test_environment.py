"""The conda environments ask for what pyproject.toml asks for, with the same versions:

- binder/environment.yml (mybinder.org): exactly the runtime dependencies — nothing from the
  test extras — and binder/postBuild installs the package without dependencies;
- environment.yml (development and tests): the runtime dependencies plus the test extras.

Extras map to their packages (docker[ssh] is docker plus paramiko)."""
from __future__ import annotations

import re
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[2]
CONDA_NAMES = {"docker-py": "docker", "python-build": "build"}  # conda-forge name -> PyPI name
EXTRA_PACKAGES = {("docker", "ssh"): ["paramiko"]}             # what an extra adds (unversioned)


def _split(req: str) -> dict[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.-]+)\s*(?:\[([^\]]*)\])?\s*(.*)$", req)
    name, extras, spec = m.group(1).lower(), m.group(2), m.group(3).replace(" ", "")
    out = {name: spec}
    for extra in (extras or "").split(","):
        for pkg in EXTRA_PACKAGES.get((name, extra.strip()), []):
            out[pkg] = ""
    return out


def _wanted(*groups: list[str]) -> dict[str, str]:
    wanted: dict[str, str] = {}
    for group in groups:
        for req in group:
            wanted.update(_split(req))
    return wanted


def _conda_packages(path: Path) -> dict[str, str]:
    text = path.read_text()
    have = {}
    for line in text[re.search(r"^dependencies:", text, re.M).start():].splitlines():
        m = re.match(r"^\s+- ([^#:]+?)\s*$", line)
        if not m or m.group(1) == "pip" or m.group(1).startswith(("python=", "-e")):
            continue
        for name, spec in _split(m.group(1)).items():
            have[CONDA_NAMES.get(name, name)] = spec
    return have


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_binder_environment_is_the_runtime_dependencies_only():
    project = _project()
    have = _conda_packages(ROOT / "binder/environment.yml")
    assert have == _wanted(project["dependencies"])
    test_only = {next(iter(_split(r))) for r in project["optional-dependencies"]["test"]}
    assert not test_only & set(have)
    assert "-e ." not in (ROOT / "binder/environment.yml").read_text()


def test_binder_post_build_installs_the_package_without_dependencies():
    post = ROOT / "binder/postBuild"
    assert post.stat().st_mode & 0o111, "postBuild must be executable"
    lines = [line for line in post.read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert any(re.search(r"pip install (\S+ )*--no-deps( \S+)* (-e )?\.$", line) for line in lines), lines


def test_dev_environment_is_runtime_plus_test_extras():
    project = _project()
    have = _conda_packages(ROOT / "environment.yml")
    assert have == _wanted(project["dependencies"], project["optional-dependencies"]["test"])
    assert re.search(r"^\s+- -e \.$", (ROOT / "environment.yml").read_text(), re.M)


def test_both_pin_the_same_python_and_it_satisfies_requires_python():
    pins = {p: re.search(r"^\s+- python=(\S+)$", (ROOT / p).read_text(), re.M).group(1)
            for p in ("environment.yml", "binder/environment.yml")}
    assert len(set(pins.values())) == 1, pins
    low = re.match(r">=(\d+)\.(\d+)$", _project()["requires-python"]).groups()
    assert tuple(map(int, pins["binder/environment.yml"].split("."))) >= tuple(map(int, low))
