"""One version: dockerlab/_version.py is what pyproject.toml, dockerlab.__version__ and
`dockerlab --version` use; the CHANGELOG has a section for it."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import tomllib

import dockerlab
from dockerlab import _version
from dockerlab.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_pyproject_reads_the_version_from_one_place():
    toml = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in toml["project"] and "version" in toml["project"]["dynamic"]
    assert toml["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "dockerlab._version.__version__"}
    assert toml["project"]["name"] == _version.DISTRIBUTION
    assert dockerlab.__version__ == _version.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", _version.__version__)
    written = [p for p in ROOT.joinpath("dockerlab").rglob("*.py")
               if re.search(r"^__version__\s*=", p.read_text(), re.M)]
    assert written == [ROOT / "dockerlab/_version.py"]


def test_version_flag(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"dockerlab {_version.__version__} (dockerlab-course on PyPI)"
    r = subprocess.run([sys.executable, "-m", "dockerlab", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and r.stdout.startswith(f"dockerlab {_version.__version__} ")


def test_changelog_has_the_version_and_keep_a_changelog_form():
    text = (ROOT / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in text and "keepachangelog.com" in text
    assert re.search(rf"^## \[{re.escape(_version.__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", text, re.M)
