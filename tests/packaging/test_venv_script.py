"""scripts/venv.sh (what `make venv` runs) makes a broken or stale .venv again instead of
trusting that .venv/bin/python exists. Run on a tiny stand-in project (same script, a
pyproject without dependencies) so it takes seconds; needs PyPI for setuptools."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = """[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "dockerlab-standin"
version = "0"
[project.optional-dependencies]
test = []
[tool.setuptools]
packages = ["dockerlab"]
"""


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts/venv.sh", tmp_path / "scripts/venv.sh")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "dockerlab").mkdir()
    (tmp_path / "dockerlab/__init__.py").write_text("")
    return tmp_path


def run(project: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"} | {"PYTHON": sys.executable}
    return subprocess.run(["bash", "scripts/venv.sh"], cwd=project, env=env, capture_output=True, text=True,
                          timeout=300)


def test_a_venv_without_pip_is_made_again(project):
    # What `python3 -m venv .venv` leaves on Debian without python3-venv: a python, no pip.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(project / ".venv")], check=True)
    assert (project / ".venv/bin/python").exists()
    r = run(project)
    assert r.returncode == 0, r.stderr
    assert "is broken" in r.stderr and "making it again" in r.stderr
    assert subprocess.run([str(project / ".venv/bin/python"), "-c", "import dockerlab, pip"], cwd=project).returncode == 0
    assert (project / ".venv/.installed").read_text().split()[1] == "[test]"


def test_a_second_run_does_nothing_and_a_changed_pyproject_reinstalls(project):
    assert run(project).returncode == 0
    again = run(project)
    assert again.returncode == 0 and again.stderr == ""
    with open(project / "pyproject.toml", "a") as f:
        f.write("# changed\n")
    r = run(project)
    assert r.returncode == 0 and "installing dockerlab" in r.stderr


def test_a_venv_whose_python_is_gone_is_made_again(project):
    assert run(project).returncode == 0
    (project / ".venv/bin/python").unlink()   # e.g. the system python it linked to was removed
    r = run(project)
    assert r.returncode == 0 and "is broken" in r.stderr
