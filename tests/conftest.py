"""Shared fixtures. Daemon tests carry the ``docker`` marker: without a daemon they skip
locally and FAIL the run when CI is set (a CI that cannot reach its daemon proves nothing)."""
from __future__ import annotations

import os
import uuid

import pytest

IN_CI = bool(os.environ.get("CI"))


def _daemon_ok() -> bool:
    from dockerlab.engine import client as connection
    return connection.ping(3.0)


def pytest_collection_modifyitems(config, items):
    needs = [i for i in items if i.get_closest_marker("docker")]
    if not needs or _daemon_ok():
        return
    if IN_CI:
        pytest.exit(f"CI is set but no Docker daemon answers: {len(needs)} daemon tests must not skip",
                    returncode=3)
    for item in needs:
        item.add_marker(pytest.mark.skip(reason="no Docker daemon answers (set DOCKER_HOST or run `make engine`)"))


@pytest.fixture
def uid() -> str:
    """A short unique suffix for names created by one test."""
    return uuid.uuid4().hex[:8]


@pytest.fixture
def session():
    """This test process's dockerlab session; everything it created is removed after."""
    from dockerlab.session import cleanup, labels
    yield labels.session_id()
    cleanup.clean_session()
