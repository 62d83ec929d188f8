"""`dockerlab doctor` reports every course image, present or missing, and fails when one is missing."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dockerlab.kit import CATALOG

pytestmark = pytest.mark.docker


def doctor(**env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dockerlab", "doctor"], capture_output=True, text=True,
                          timeout=60, env={**os.environ, **env})


def test_doctor_lists_every_course_image_present():
    out = doctor(DOCKERLAB_KIT_PREFIX="")
    assert out.returncode == 0, out.stdout + out.stderr
    for entry in CATALOG:
        assert f"image           {entry.ref:<22}present" in out.stdout
    assert out.stdout.rstrip().endswith("doctor: ok")


def test_doctor_fails_and_names_each_missing_image():
    # A kit prefix no image carries: every course image is then missing, as on a fresh machine.
    out = doctor(DOCKERLAB_KIT_PREFIX="dockerlab-doctor-test-none/")
    assert out.returncode == 1
    for entry in CATALOG:
        assert f"dockerlab-doctor-test-none/{entry.ref}" in out.stdout and "MISSING" in out.stdout
    assert f"doctor: {len(CATALOG)} problem(s)" in out.stdout
    assert "dockerlab images" in out.stdout
