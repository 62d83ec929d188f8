"""What a Python user gets from ``python -m build``: a wheel (and sdist) named
dockerlab-course with the SPDX license, the LICENSE file and the kit recipes inside, that
installs in a clean venv (no checkout on the path) and whose ``dockerlab --version`` and
``dockerlab doctor`` run: doctor prints its report, never a traceback.

Needs PyPI (the build backend and the dependencies are installed from it). ~1-2 min.
"""
from __future__ import annotations

import email
import os
import re
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from dockerlab._version import DISTRIBUTION, __version__  # noqa: E402


def _run(cmd, cwd, env=None, timeout=900):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # `build` builds the sdist, then the wheel from the unpacked sdist: both must be complete.
    r = _run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], cwd=out)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert "SetuptoolsDeprecationWarning" not in r.stdout + r.stderr, "the build warns: " + r.stderr[-2000:]
    return out


@pytest.fixture(scope="module")
def wheel(dist) -> Path:
    (w,) = dist.glob("*.whl")
    return w


@pytest.fixture(scope="module")
def clean_venv(tmp_path_factory, wheel) -> Path:
    """A venv without system site-packages, with only the wheel and its dependencies."""
    d = tmp_path_factory.mktemp("venv") / "v"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(d)
    r = _run([str(d / "bin/python"), "-m", "pip", "install", "-q", str(wheel)], cwd=d)
    assert r.returncode == 0, r.stderr[-3000:]
    return d


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOCKERLAB_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(extra)
    return env


def test_wheel_name_version_license_and_python(wheel):
    assert wheel.name.startswith(f"dockerlab_course-{__version__}-py3-none-any")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = email.message_from_string(z.read(meta_name).decode())
        dist_info = meta_name.rsplit("/", 1)[0]
        assert f"{dist_info}/licenses/LICENSE" in names
        assert b"MIT License" in z.read(f"{dist_info}/licenses/LICENSE")
        entry_points = z.read(f"{dist_info}/entry_points.txt").decode()
    assert meta["Name"] == DISTRIBUTION
    assert meta["Version"] == __version__
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert meta["License"] is None and not any(c.startswith("License ::") for c in meta.get_all("Classifier") or [])
    assert meta["Requires-Python"] == ">=3.11"
    reqs = meta.get_all("Requires-Dist")
    assert any(re.match(r"docker\[ssh\]", r) for r in reqs), reqs
    assert not any(r.startswith(("pytest", "nbval", "hypothesis", "playwright")) and "extra ==" not in r for r in reqs)
    assert "dockerlab = dockerlab.cli:main" in entry_points


def test_wheel_carries_every_kit_recipe_file(wheel):
    recipes = ROOT / "dockerlab/kit/recipes"
    want = {"dockerlab/kit/recipes/" + str(p.relative_to(recipes)) for p in recipes.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}
    assert len(want) >= 15
    with zipfile.ZipFile(wheel) as z:
        have = set(z.namelist())
    assert want - have == set()


def test_sdist_carries_license_changelog_and_recipes(dist):
    (sdist,) = dist.glob("*.tar.gz")
    assert sdist.name == f"dockerlab_course-{__version__}.tar.gz"
    with tarfile.open(sdist) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    assert {"LICENSE", "pyproject.toml", "README.md", "dockerlab/_version.py",
            "dockerlab/kit/recipes/postgres/docker-entrypoint.sh"} <= names


def test_installed_version(clean_venv, tmp_path):
    for cmd in ([str(clean_venv / "bin/dockerlab"), "--version"],
                [str(clean_venv / "bin/python"), "-m", "dockerlab", "--version"]):
        r = _run(cmd, cwd=tmp_path, env=_env())
        assert r.returncode == 0, r.stderr
        assert r.stdout.strip() == f"dockerlab {__version__} ({DISTRIBUTION} on PyPI)"


def test_installed_package_is_the_wheel_with_its_recipes(clean_venv, tmp_path):
    code = ("import dockerlab, sys; from dockerlab.kit.catalog import CATALOG; "
            "print(dockerlab.__file__); "
            "missing = [str(e.recipe_dir / f) for e in CATALOG for f in e.files if not (e.recipe_dir / f).is_file()]; "
            "print(missing); import docker, paramiko")
    r = _run([str(clean_venv / "bin/python"), "-c", code], cwd=tmp_path, env=_env())
    assert r.returncode == 0, r.stderr
    path, missing = r.stdout.splitlines()[:2]
    assert path.startswith(str(clean_venv)) and "site-packages" in path
    assert missing == "[]"
    r = _run([str(clean_venv / "bin/python"), "-m", "pip", "check"], cwd=tmp_path, env=_env())
    assert r.returncode == 0, r.stdout + r.stderr


def test_installed_doctor_without_a_daemon_prints_its_report(clean_venv, tmp_path):
    env = _env(DOCKER_HOST=f"unix://{tmp_path}/no-such.sock", HOME=str(tmp_path))
    r = _run([str(clean_venv / "bin/dockerlab"), "doctor"], cwd=tmp_path, env=env, timeout=60)
    assert r.returncode == 1
    assert "Traceback" not in r.stdout + r.stderr
    assert f"unix://{tmp_path}/no-such.sock" in r.stdout
    assert "unreachable" in r.stderr.lower()


@pytest.mark.docker
def test_installed_doctor_with_the_daemon_reports_engine_and_images(clean_venv, tmp_path):
    env = _env(HOME=str(tmp_path), **({"DOCKER_HOST": os.environ["DOCKER_HOST"]} if "DOCKER_HOST" in os.environ else {}))
    r = _run([str(clean_venv / "bin/dockerlab"), "doctor"], cwd=tmp_path, env=env, timeout=120)
    assert "Traceback" not in r.stdout + r.stderr
    assert r.returncode in (0, 1), r.stderr
    assert re.search(r"^API version\s+1\.\d+", r.stdout, re.M), r.stdout
    assert re.search(r"^image\s+busybox:1\.36\s+(present|MISSING)", r.stdout, re.M), r.stdout
    assert re.search(r"^doctor: (ok|\d+ problem)", r.stdout, re.M), r.stdout
