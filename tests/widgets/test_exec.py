"""ExecConsole against the real daemon: a command changes the container (proved through
core), output and exit code shown, stderr apart, history re-fills and re-runs; errors."""
from __future__ import annotations

import re

import pytest
from helpers import clicked as _clicked

from dockerlab.commands import container as CT
from dockerlab.commands import run as R
from dockerlab.commands.run import RunSpec
from dockerlab.widgets.exec import ExecConsole

pytestmark = pytest.mark.docker


def test_run_output_exit_code_and_history(session, uid):
    c = R.run(RunSpec("busybox:1.36", "sleep 300", name=f"ex-{uid}"))
    x = ExecConsole(c.name)
    try:
        assert "is running" in x.status.value and repr(x) == f"ExecConsole(ex-{uid})"
        x.command.value = "touch /made-by-exec"
        _clicked(x.run_button)
        x.wait_idle()
        assert CT.exec_in(c.name, "ls /made-by-exec").exit_code == 0  # daemon state
        assert "exit code 0" in x.exit_code.value and x.cli_lines == [f"docker exec ex-{uid} touch /made-by-exec"]

        x.command.value = "sh -c 'echo hi; ls /nope'"
        _clicked(x.run_button)
        x.wait_idle()
        assert x.last.exit_code == 1 and "exit code 1" in x.exit_code.value
        assert "<div class='dl-stdout'>hi\n</div>" in x.output.value
        assert "dl-stderr" in x.output.value and "/nope" in x.output.value
        assert x.history == ["sh -c 'echo hi; ls /nope'", "touch /made-by-exec"]
        assert repr(x) == f"ExecConsole(ex-{uid}, 2 commands run)"

        x.history_box.value = "touch /made-by-exec"  # pick from history: re-fills the box
        x.wait_idle()
        assert x.command.value == "touch /made-by-exec"
        x.history_box.value = "sh -c 'echo hi; ls /nope'"
        _clicked(x.rerun_button)
        x.wait_idle()
        assert x.last.exit_code == 1 and x.history[0] == "sh -c 'echo hi; ls /nope'" and len(x.history) == 2
    finally:
        x.close()


def test_stopped_container_and_empty_command_show_errors(session, uid):
    c = R.create(RunSpec("busybox:1.36", "sleep 300", name=f"exs-{uid}"))
    x = ExecConsole(c.name)
    try:
        assert "is created" in x.status.value
        x.command.value = "ls /"
        _clicked(x.run_button)
        x.wait_idle()
        # Podman: "can only create exec sessions on running containers"
        assert re.search("is not running|on running containers", x.error_box.value) and "docker start" in x.error_box.value
        assert x.history == [] and x.exit_code.value == ""
        assert CT.inspect(c.name)["State"]["Status"] == "created"  # untouched
        x.command.value = "  "
        _clicked(x.run_button)
        x.wait_idle()
        assert "no command to run" in x.error_box.value and "Hint:" in x.error_box.value
    finally:
        x.close()
