"""Render, then read back: for every spec the toolkit can render, the line it prints is read
by ``%docker``'s parser into the same (validated) spec. No daemon.

Normalised on purpose: ``restart="no"`` renders nothing (read back as None); ``docker
create`` has no -d (a created container is never "detached"); ``lesson`` is not on the line.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerlab.commands.argv import parse
from dockerlab.commands.build import BuildSpec
from dockerlab.commands.network import NetworkSpec
from dockerlab.commands.run import RunSpec
from dockerlab.commands.run_options import Mount, Port
from dockerlab.commands.volume import VolumeSpec

EXAMPLES = {"run": 150, "network": 50, "volume": 50, "build": 50}
SETTINGS = dict(derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COUNT: dict[str, int] = {k: 0 for k in EXAMPLES}

_ROOT = tempfile.mkdtemp(prefix="argv-roundtrip-")
BIND_DIRS = [os.path.join(_ROOT, d) for d in ("site", "with space", "it's")]
for _d in BIND_DIRS:
    os.makedirs(_d, exist_ok=True)

names = st.from_regex(r"[a-z0-9][a-z0-9_.-]{1,12}", fullmatch=True).filter(
    lambda n: n not in ("bridge", "host", "none", "default") and not n.startswith("dockerlab"))
# Any text a value can hold (no NUL): spaces, quotes, $, backslashes, unicode, newlines.
text = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=12)
words = st.lists(text, max_size=4)
images = st.one_of(st.sampled_from(["busybox:1.36", "nginx:1.25", "postgres:15", "localhost:5000/me/app:v1"]),
                   st.from_regex(r"[a-z0-9]{1,8}(/[a-z0-9]{1,6})?(:[a-z0-9][a-z0-9.-]{0,6})?", fullmatch=True))
paths = st.lists(st.from_regex(r"[a-z0-9_.-]{1,6}", fullmatch=True).filter(lambda p: p not in (".", "..")),
                 min_size=1, max_size=3).map(lambda ps: "/" + "/".join(ps))
env_keys = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
label_keys = st.from_regex(r"[a-z0-9][a-z0-9._/-]{0,10}", fullmatch=True).filter(lambda k: not k.startswith("dockerlab."))
labels = st.dictionaries(label_keys, text, max_size=3)


@st.composite
def ports(draw):
    out, seen = [], set()
    for _ in range(draw(st.integers(0, 3))):
        p = Port(draw(st.integers(1, 65535)), draw(st.none() | st.integers(1, 65535)),
                 draw(st.sampled_from(["127.0.0.1", "0.0.0.0", "10.1.2.3", "::1", "fd00::7"])),
                 draw(st.sampled_from(["tcp", "udp", "sctp"])))
        key = (p.host_ip, p.host_port, p.protocol)
        if p.host_port is None or key not in seen:
            seen.add(key)
            out.append(p)
    return tuple(out)


@st.composite
def mounts(draw):
    out, targets = [], set()
    for _ in range(draw(st.integers(0, 3))):
        target = draw(paths)
        if target in targets:
            continue
        targets.add(target)
        kind = draw(st.sampled_from(["volume", "bind", "tmpfs"]))
        source = {"volume": draw(names), "bind": draw(st.sampled_from(BIND_DIRS)), "tmpfs": ""}[kind]
        style = "mount" if kind == "tmpfs" else draw(st.sampled_from(["v", "mount"]))
        if style == "mount" and "," in source:
            style = "v"
        out.append(Mount(target, source, kind, draw(st.booleans()), style))
    return tuple(out)


@st.composite
def run_specs(draw):
    network = draw(st.none() | names)
    remove = draw(st.booleans())
    restart = None if remove else draw(st.sampled_from([None, "no", "always", "unless-stopped", "on-failure",
                                                        "on-failure:3"]))
    entry = draw(st.none() | st.lists(text.filter(bool), min_size=1, max_size=2))
    return RunSpec(draw(images), draw(st.none() | words), name=draw(st.none() | names), detach=draw(st.booleans()),
                   interactive=draw(st.booleans()), tty=draw(st.booleans()), remove=remove, ports=draw(ports()),
                   env=draw(st.dictionaries(env_keys, text, max_size=3)), mounts=draw(mounts()), network=network,
                   aliases=tuple(draw(st.lists(names, max_size=2))) if network else (),
                   workdir=draw(st.none() | paths), entrypoint=entry, restart=restart, labels=draw(labels),
                   hostname=draw(st.none() | st.from_regex(r"[a-z0-9][a-z0-9.-]{0,10}", fullmatch=True)),
                   user=draw(st.none() | st.from_regex(r"[a-z0-9_][a-z0-9_.-]{0,6}(:[a-z0-9_]{1,5})?", fullmatch=True)))


def _expected_run(spec: RunSpec, verb: str) -> RunSpec:
    v = spec.validated()
    return replace(v, restart=None if v.restart == "no" else v.restart, detach=v.detach and verb == "run")


@pytest.fixture(params=["", "c3"], ids=["no-scope", "classroom-scope"])
def scope(request, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_SCOPE", request.param)
    return request.param


@settings(max_examples=EXAMPLES["run"], **SETTINGS)
@given(spec=run_specs(), verb=st.sampled_from(["run", "create"]))
def test_run_and_create_lines_read_back(spec, verb):
    COUNT["run"] += 1
    line = spec.cli(verb)
    got = parse(line)
    assert got.key == ("container", verb)
    assert got.spec == _expected_run(spec, verb), line


@settings(max_examples=EXAMPLES["network"], **SETTINGS)
@given(name=names, driver=st.sampled_from([None, "bridge", "macvlan"]), third=st.integers(0, 255),
       gateway=st.booleans(), internal=st.booleans(), labels=labels, subnet=st.booleans())
def test_network_create_lines_read_back(name, driver, third, gateway, internal, labels, subnet):
    COUNT["network"] += 1
    spec = NetworkSpec(name, driver=driver, subnet=f"10.77.{third}.0/24" if subnet else None,
                       gateway=f"10.77.{third}.1" if subnet and gateway else None, internal=internal, labels=labels)
    got = parse(spec.cli())
    assert (got.key, got.spec) == (("network", "create"), spec.validated())


@settings(max_examples=EXAMPLES["volume"], **SETTINGS)
@given(name=names, driver=st.sampled_from([None, "local"]), labels=labels,
       options=st.dictionaries(st.from_regex(r"[a-z0-9_.-]{1,6}", fullmatch=True).filter(lambda k: k not in ("type", "o")),
                               text, max_size=3))
def test_volume_create_lines_read_back(name, driver, labels, options):
    COUNT["volume"] += 1
    spec = VolumeSpec(name, driver=driver, options=options, labels=labels)
    got = parse(spec.cli())
    assert (got.key, got.spec) == (("volume", "create"), spec.validated())


@settings(max_examples=EXAMPLES["build"], **SETTINGS)
@given(tag=images.filter(lambda i: "@" not in i), dockerfile=st.sampled_from(["Dockerfile", "Dockerfile.dev", "ci/Dockerfile"]),
       args=st.dictionaries(env_keys, text, max_size=3), nocache=st.booleans(), labels=labels,
       context=st.sampled_from(BIND_DIRS))
def test_build_lines_read_back(tag, dockerfile, args, nocache, labels, context):
    COUNT["build"] += 1
    spec = BuildSpec(tag, context=context, dockerfile=dockerfile, buildargs=args, nocache=nocache, labels=labels)
    here = os.getcwd()
    os.chdir(context)  # the docker CLI reads -f from the current folder: the renderer writes it from the context
    try:
        got = parse(spec.cli())
    finally:
        os.chdir(here)
    assert (got.key, got.spec) == (("image", "build"), spec.validated())


def test_scoped_names_read_back_in_the_learners_names(scope):
    """The shown line has the daemon's names (web--c3); read back, the learner's (web): the
    engine scopes them again, so nothing above it sees a scoped name."""
    spec = RunSpec("busybox:1.36", "sleep 60", name="web", network="app", aliases=("api",), mounts=("data:/data",))
    line = spec.cli()
    assert ("--name web--c3 " in line and "-v data--c3:/data" in line) if scope else "--name web " in line
    assert parse(line).spec == _expected_run(spec, "run")
    assert parse(NetworkSpec("app").cli()).spec.name == "app" and parse(VolumeSpec("data").cli()).spec.name == "data"


def test_every_property_ran_its_examples():
    """Runs last in this file: each property saw its examples (the count the report quotes)."""
    if all(COUNT.values()):
        assert COUNT == EXAMPLES, COUNT
