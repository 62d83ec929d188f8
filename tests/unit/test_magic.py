"""%docker / %%docker with the dispatch table replaced by recording fakes: what a line
reaches, in which order, and what the learner sees when it fails. No daemon."""
from __future__ import annotations

import pytest

from dockerlab import magic
from dockerlab.engine.errors import Conflict


@pytest.fixture
def calls(monkeypatch):
    seen: list = []

    def fake(key):
        def run(p):
            seen.append((key, p))
            if p.targets[:1] == ("boom",):
                raise Conflict("container boom is not running", "Start it first (docker start boom).")
            return f"did {key[1]}"
        return run
    monkeypatch.setattr(magic, "DISPATCH", {k: fake(k) for k in magic.DISPATCH})
    return seen


@pytest.fixture(scope="module")
def shell():
    from IPython.core.interactiveshell import InteractiveShell
    ip = InteractiveShell.instance()
    magic.load_ipython_extension(ip)  # what %load_ext dockerlab.magic does
    return ip


def test_import_inside_ipython_registers_the_magic():
    import subprocess
    import sys
    code = ("from IPython.core.interactiveshell import InteractiveShell; ip = InteractiveShell.instance(); "
            "ip.run_cell('import dockerlab'); m = ip.magics_manager.magics; "
            "assert 'docker' in m['line'] and 'docker' in m['cell'], 'not registered'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_line_reaches_its_verb_with_its_spec(shell, calls):
    out = shell.run_line_magic("docker", "run -d --name web -p 8080:80 nginx:1.25")
    (key, p), = calls
    assert key == ("container", "run") and out == "did run"
    assert (p.spec.name, p.spec.detach, p.spec.ports[0].host_port) == ("web", True, 8080)


def test_every_parsed_command_has_a_runner():
    from dockerlab.commands.argv import COMMANDS, _load
    _load()
    assert {(c.group, c.verb) for c in COMMANDS.values()} == set(magic.DISPATCH)


def test_python_values_expand_in_a_line(shell, calls):
    shell.user_ns["port"] = 8099
    shell.run_line_magic("docker", "run -d -p {port}:80 nginx:1.25")
    assert calls[0][1].spec.ports[0].host_port == 8099


def test_a_cell_runs_in_order_and_stops_at_the_first_failure(shell, calls, capsys):
    shell.run_cell_magic("docker", "", "network create argv-n1\n\n# a comment\n"
                         "run -d --name argv-a --network argv-n1 \\\n   busybox:1.36 sleep 60\n"
                         "stop boom\nrm -f argv-a\n")
    assert [k for k, _ in calls] == [("network", "create"), ("container", "run"), ("container", "stop")]
    assert calls[1][1].spec.command == ["sleep", "60"]
    out = capsys.readouterr().out
    assert "Error: container boom is not running\n  while running: docker stop boom\n" \
           "  hint: Start it first (docker start boom)." in out
    assert "Traceback" not in out


def test_a_typo_in_a_later_line_runs_nothing(shell, calls, capsys):
    shell.run_cell_magic("docker", "", "network create argv-n2\nrun --detatch busybox:1.36\n")
    assert calls == []
    out = capsys.readouterr().out
    assert out.startswith("Error: unknown flag: --detatch (docker run [OPTIONS] IMAGE [COMMAND] [ARG...])\n"
                          "  while running: docker run --detatch busybox:1.36\n  hint: Did you mean --detach?")


def test_an_unsafe_line_shows_message_and_hint(shell, calls, capsys):
    assert shell.run_line_magic("docker", "run --pid=host busybox:1.36") is None
    out = capsys.readouterr().out
    assert "Error: refused --pid host: the container would see and signal every process on this machine" in out
    assert calls == [] and "Traceback" not in out


def test_a_bug_in_a_runner_is_shown_not_raised(shell, monkeypatch, capsys):
    monkeypatch.setitem(magic.DISPATCH, ("container", "ls"), lambda p: {}["missing"])
    assert shell.run_line_magic("docker", "ps") is None
    out = capsys.readouterr().out
    assert out.startswith("Error: KeyError: 'missing'\n  while running: docker ps\n"
                          "  hint: This looks like a bug in dockerlab; please report it.")


@pytest.mark.parametrize("line, message", [
    ("run -it busybox:1.36 sh", "Error: -i without -d: a notebook cell has no terminal to type into"),
    ("exec -it web bash", "Error: bash alone waits for typing, and a notebook cell has no terminal to type into"),
    ("login 127.0.0.1:5999 -u me", "Error: docker login would ask for a password, and a notebook cell has no "
                                   "terminal to type into"),
    ("login 127.0.0.1:5999 -u me --password-stdin", "Error: this session did not start a registry at "
                                                    "127.0.0.1:5999, so it has no password for it"),
    ("cp ./notes.txt web:/notes.txt", "Error: only docker cp CONTAINER:PATH - (print a file) is supported in the course"),
])
def test_what_a_cell_cannot_do_is_refused_before_the_daemon(shell, line, message, capsys):
    assert shell.run_line_magic("docker", line) is None
    assert capsys.readouterr().out.startswith(message)


def test_plain_python_import_does_not_need_ipython():
    import subprocess
    import sys
    code = "import sys, dockerlab; assert 'IPython' not in sys.modules and 'dockerlab.magic' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_notes_are_shown_before_the_line_runs(shell, calls, capsys):
    shell.run_line_magic("docker", "run -d nginx:1.25 --name web")
    assert capsys.readouterr().out.startswith("note: --name comes after the image")
    assert calls[0][1].spec.command == ["--name", "web"]


def test_several_targets_give_one_result_showing_every_line():
    from dockerlab.commands.argv import parse
    from dockerlab.commands.result import Result
    from dockerlab.verbs import dispatch
    done = dispatch._each(parse("docker stop a b"), lambda n: Result([f"docker stop {n}"], n, f"{n}  exited"))
    assert repr(done) == "$ docker stop a\n$ docker stop b\na  exited\nb  exited"
    assert done.value == ["a", "b"]
