"""Every rendered line of the CLI-equivalence specs, typed into %docker, makes the same
container as the toolkit's own call (compared on the same inspect facts)."""
from __future__ import annotations

import os
import shutil
import tempfile

import pytest
from test_cli_equivalence import facts, specs

from dockerlab.commands import network as NW
from dockerlab.commands import run as R
from dockerlab.commands import volume as VL
from dockerlab.commands.network import NetworkSpec
from dockerlab.commands.volume import VolumeSpec
from dockerlab.engine import client as connection
from dockerlab.engine import podman
from dockerlab.engine.client import engine as api
from dockerlab.session import cleanup
from dockerlab.session import labels as L

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def env():
    tag = "argv" + os.urandom(3).hex()
    net, vol = f"argv-eq-net-{tag}", f"argv-eq-vol-{tag}"
    NW.create(NetworkSpec(net))
    VL.create(VolumeSpec(vol))
    folder = tempfile.mkdtemp(prefix="argv-eq-")
    yield {"net": net, "vol": vol, "dir": folder, "tag": tag}
    cleanup.clean_session()
    shutil.rmtree(folder, ignore_errors=True)


def _facts(cid: str) -> dict:
    doc = api().inspect_container(cid)
    podman.remove_container(api(), cid, v=False)  # Podman 5 would wait its 10 s stop grace
    f = facts(doc)
    # The lesson is not on the line (the notebook's Lesson sets it); the session label is.
    f["labels"] = {k: v for k, v in f["labels"].items() if k != L.LESSON}
    if connection.is_podman():
        f["env"] = [e for e in f["env"] if not e.startswith("HOSTNAME=")]
        f["port_bindings"] = {k: [(ip, "") for ip, _ in v] for k, v in f["port_bindings"].items()}
    return f


def test_rendered_lines_through_the_magic_make_the_same_container(env):
    from IPython.core.interactiveshell import InteractiveShell

    from dockerlab import magic
    ip = InteractiveShell.instance()
    magic.load_ipython_extension(ip)
    differences, cases = {}, specs(env)
    for case_id, spec, verb in cases:
        made = R.create(spec) if verb == "create" else R.run(spec)
        via_api = _facts(made.id)
        line = spec.cli(verb)
        done = ip.run_line_magic("docker", line.removeprefix("docker "))
        assert done is not None and done.cli == [line], f"{case_id}: %docker {line} did not run as typed"
        via_magic = _facts(done.value.id)
        diff = {k: (via_api[k], via_magic[k]) for k in via_api if via_api[k] != via_magic[k]}
        if diff:
            differences[case_id] = (line, diff)
    assert len(cases) >= 15
    assert not differences, "\n".join(f"{k}: {line}\n   {d}" for k, (line, d) in differences.items())
