"""Work that fails half-way leaves nothing behind and says where it failed; streams whose
container disappears end cleanly."""
from __future__ import annotations

import threading
import time

import pytest

from dockerlab.commands import build as builds
from dockerlab.commands import container as CT
from dockerlab.commands import image as images
from dockerlab.commands import run as R
from dockerlab.commands.build import BuildSpec
from dockerlab.commands.run import RunSpec
from dockerlab.engine import streams
from dockerlab.engine.client import engine as api
from dockerlab.engine.errors import BuildFailed, DockerlabError, ImageNotFound

pytestmark = pytest.mark.docker


def _containers_running(marker: str) -> list[str]:
    return [c["Id"] for c in api().containers(all=True) if marker in (c.get("Command") or "")]


def test_a_failing_run_step_names_the_step_and_leaves_nothing(session, uid):
    marker = f"halfway-{uid}"
    spec = BuildSpec(f"halfway-{uid}:1", files={"Dockerfile": (
        "FROM busybox:1.36\nRUN echo first > /first\n"
        f"RUN echo {marker} && exit 7\nRUN echo never\n")})
    with pytest.raises(BuildFailed) as e:
        builds.build(spec)
    assert "step 3/4" in e.value.message and marker in e.value.message and e.value.hint
    assert not _containers_running(marker), "the failing step's container was left behind"
    assert not images.image_present(f"halfway-{uid}:1")


def test_a_bad_dockerfile_is_refused_with_a_hint(session, uid):
    with pytest.raises(DockerlabError) as e:
        builds.build(BuildSpec(f"bad-{uid}:1", files={"Dockerfile": "FROM busybox:1.36\nRUNN echo x\n"}))
    assert "unknown instruction" in e.value.message.lower() and e.value.hint
    with pytest.raises(DockerlabError) as e:
        builds.build(BuildSpec(f"bad-{uid}:2", files={"Dockerfile": "FROM no-such-base-image:9\n"}))
    assert e.value.hint


def test_a_pull_without_network_fails_fast_and_clean(session, uid):
    t0 = time.monotonic()
    with pytest.raises(ImageNotFound) as e:
        images.pull(f"dockerlab-test/no-such-{uid}:1")
    assert time.monotonic() - t0 < 15 and "offline" in e.value.hint
    with pytest.raises(ImageNotFound):
        R.run(RunSpec(f"dockerlab-test/no-such-{uid}:1", "true"))
    assert CT.exists(f"x{uid}") is False
    from dockerlab.reads import tables as inventory
    assert inventory.containers(lab_only=True).empty


def test_log_follow_ends_when_its_container_is_removed(session, uid):
    c = R.run(RunSpec("busybox:1.36", "sh -c 'while true; do echo tick; sleep 0.1; done'", name=f"follow-{uid}"))
    follow = CT.follow_logs(c.id, tail=1)
    lines: list = []
    t = threading.Thread(target=lambda: lines.extend(follow), daemon=True)
    t.start()
    time.sleep(0.5)
    CT.action(c.id, "remove")
    t.join(5)
    assert not t.is_alive() and any(line == "tick" for _s, line in lines)


def test_event_follow_closes_from_another_thread(session, uid):
    from dockerlab.session import labels
    follow = streams.follow_events({"label": [f"{labels.SESSION}={labels.session_id()}"]})
    seen: list = []
    t = threading.Thread(target=lambda: seen.extend(follow), daemon=True)
    t.start()
    c = R.run(RunSpec("busybox:1.36", "true", name=f"ev-{uid}"))
    time.sleep(0.5)
    CT.action(c.id, "remove")
    time.sleep(0.3)
    follow.close()
    t.join(3)
    assert not t.is_alive()
    assert {"create", "start", "destroy"} <= {e.get("Action") for e in seen}


def test_stats_of_a_removed_container_is_a_clear_error(session, uid):
    c = R.run(RunSpec("busybox:1.36", "sleep 300", name=f"st-{uid}"))
    CT.action(c.id, "remove")
    with pytest.raises(DockerlabError) as e:
        streams.stats_sample(c.id)
    assert e.value.hint
