"""%docker through a real InteractiveShell against the daemon: the line makes a labelled
container like the one `docker run` makes, and %docker rm -f removes it."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.docker


def test_docker_magic_runs_and_removes_a_labelled_container(session):
    from IPython.core.interactiveshell import InteractiveShell

    from dockerlab import magic
    from dockerlab.engine.client import engine as api
    from dockerlab.session import labels as L

    ip = InteractiveShell.instance()
    magic.load_ipython_extension(ip)
    done = ip.run_line_magic("docker", "run -d --name argv-web -p 80 -e MODE=demo --label app=argv "
                                       "busybox:1.36 httpd -f -p 80")
    assert done is not None, "the line showed an error instead of running"
    assert done.cli == ["docker run -d --name argv-web -p 127.0.0.1::80 -e MODE=demo --label app=argv "
                        "busybox:1.36 httpd -f -p 80"]
    assert str(done) == "argv-web  running"
    doc = api().inspect_container("argv-web")
    labels = doc["Config"]["Labels"]
    assert labels[L.SESSION] == session and labels["app"] == "argv"
    assert doc["State"]["Running"] and doc["Config"]["Cmd"] == ["httpd", "-f", "-p", "80"]
    assert "MODE=demo" in doc["Config"]["Env"]
    binding, = doc["HostConfig"]["PortBindings"]["80/tcp"]
    assert binding["HostIp"] == "127.0.0.1"

    ran = ip.run_line_magic("docker", "exec -w /tmp -e GREETING='hi there' argv-web sh -c 'echo $GREETING; pwd'")
    assert ran.cli == ["docker exec -w /tmp -e 'GREETING=hi there' argv-web sh -c 'echo $GREETING; pwd'"]
    assert (ran.exit_code, ran.stdout) == (0, "hi there\n/tmp\n")

    gone = ip.run_line_magic("docker", "rm -f argv-web")
    assert gone.cli == ["docker rm -f -v argv-web"]
    assert not [c for c in api().containers(all=True, filters={"name": "^/argv-web$"})]


def test_docker_magic_runs_as_the_given_user(session):
    from IPython.core.interactiveshell import InteractiveShell

    from dockerlab import magic
    ip = InteractiveShell.instance()
    magic.load_ipython_extension(ip)
    done = ip.run_line_magic("docker", "run --rm --user 1234:1234 busybox:1.36 id")
    assert done is not None and done.cli == ["docker run --rm --user 1234:1234 busybox:1.36 id"]
    # Podman writes /etc/passwd and /etc/group entries for a --user the image lacks: uid=1234(1234)
    assert re.match(r"uid=1234(\(1234\))? gid=1234(\(1234\))?( |$)", done.stdout)
