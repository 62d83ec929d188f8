"""The course image catalog and its recipes, without a daemon: completeness, order,
Dockerfile lint-level checks, and the kit's decisions against a faked core."""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import tarfile

import pytest

from dockerlab.commands import builders as BD
from dockerlab.engine import errors
from dockerlab.engine.errors import ImageNotFound
from dockerlab.kit import builder, catalog, command, rootfs
from dockerlab.kit.bars import TerminalProgress
from dockerlab.session.labels import KIT, SESSION

ENTRIES = catalog.CATALOG
DOCKERFILES = [e for e in ENTRIES if e.kind == "dockerfile"]


def instructions(path):
    """(INSTRUCTION, args) pairs of a Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", path.read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_catalog_names_the_course_images():
    assert [e.ref for e in ENTRIES] == [
        "busybox:1.36", "debian:bookworm-slim", "nginx:1.25", "postgres:15", "registry:2"]
    assert len({e.name for e in ENTRIES}) == len(ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_entry_is_pinned_and_has_its_recipe_files(entry):
    repo, _, tag = entry.ref.rpartition(":")
    assert repo and tag and tag != "latest", f"{entry.ref} must pin a tag"
    assert entry.kind in ("dockerfile", "busybox", "debootstrap")
    assert entry.recipe_dir.is_dir()
    for name in entry.files:
        assert (entry.recipe_dir / name).is_file(), f"{entry.name}: {name} missing"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_kit_labels_never_carry_the_session(entry):
    labels = entry.labels()
    assert labels == {KIT: entry.name, catalog.KIT_VERSION: entry.version}
    assert SESSION not in labels  # session cleanup must never remove kit images


def test_dependency_order_puts_bases_first():
    order = [e.name for e in catalog.in_dependency_order()]
    for e in ENTRIES:
        for dep in e.depends:
            assert dep in catalog.BY_NAME
            assert order.index(dep) < order.index(e.name)
    assert [e.name for e in catalog.in_dependency_order(["nginx"])] == ["debian", "nginx"]
    assert [e.name for e in catalog.in_dependency_order(["busybox"])] == ["busybox"]


def test_unknown_entry_is_refused_with_the_list():
    with pytest.raises(Exception) as err:
        catalog.in_dependency_order(["mysql"])
    assert "nginx" in err.value.hint


@pytest.mark.parametrize("entry", DOCKERFILES, ids=lambda e: e.name)
def test_dockerfile_lint(entry):
    steps = instructions(entry.recipe_dir / "Dockerfile")
    words = [w for w, _ in steps]
    froms = [a for w, a in steps if w == "FROM"]
    assert len(froms) == 1
    if entry.depends:
        # FROM the kit's base through ARG BASE, so a test can point it at another ref
        base = catalog.get(entry.depends[0]).ref
        assert steps[0] == ("ARG", f"BASE={base}")
        assert froms == ["${BASE}"]
    else:
        assert froms == ["scratch"]
    for w, a in steps:
        if w in ("CMD", "ENTRYPOINT"):
            json.loads(a)  # exec form: signals reach the process, no /bin/sh needed
        if w == "RUN" and "apt-get install" in a:
            assert "--no-install-recommends" in a and "rm -rf /var/lib/apt/lists/*" in a
            assert "apt-get update" in a  # never a stale cached index layer
        if w == "COPY" and entry.kind == "dockerfile":
            for src in a.split()[:-1]:
                assert (entry.recipe_dir / src).is_file(), f"COPY source {src} missing"
    assert "CMD" in words


@pytest.mark.parametrize("name,port", [("nginx", "80"), ("postgres", "5432"), ("registry", "5000")])
def test_services_expose_their_official_ports(name, port):
    steps = instructions(catalog.get(name).recipe_dir / "Dockerfile")
    assert ("EXPOSE", port) in steps


def test_nginx_is_like_the_official_image():
    d = catalog.get("nginx").recipe_dir
    text = (d / "Dockerfile").read_text()
    assert "ln -sf /dev/stdout /var/log/nginx/access.log" in text
    assert "ln -sf /dev/stderr /var/log/nginx/error.log" in text
    assert ("STOPSIGNAL", "SIGQUIT") in instructions(d / "Dockerfile")
    installs = " ".join(a for w, a in instructions(d / "Dockerfile") if w == "RUN")
    assert "curl" not in installs and "wget" not in installs  # (the official image has curl; no lesson uses it)
    assert ("ENTRYPOINT", '["/docker-entrypoint.sh"]') in instructions(d / "Dockerfile")
    assert os.access(d / "docker-entrypoint.sh", os.X_OK)
    subprocess.run(["sh", "-n", str(d / "docker-entrypoint.sh")], check=True)
    assert 'exec "$@"' in (d / "docker-entrypoint.sh").read_text()
    assert "root   /usr/share/nginx/html;" in (d / "default.conf").read_text()
    assert "Welcome to nginx!" in (d / "index.html").read_text()


def test_postgres_declares_its_data_volume_and_entrypoint():
    d = catalog.get("postgres").recipe_dir
    steps = instructions(d / "Dockerfile")
    assert ("VOLUME", "/var/lib/postgresql/data") in steps
    assert ("CMD", '["postgres"]') in steps
    script = d / "docker-entrypoint.sh"
    assert os.access(script, os.X_OK)
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text()
    for var in ("POSTGRES_PASSWORD", "POSTGRES_USER", "POSTGRES_DB", "POSTGRES_HOST_AUTH_METHOD"):
        assert var in text


def test_registry_config_and_entrypoint():
    d = catalog.get("registry").recipe_dir
    config = (d / "config.yml").read_text()
    assert "addr: :5000" in config and "rootdirectory: /var/lib/registry" in config
    assert os.access(d / "entrypoint.sh", os.X_OK)
    subprocess.run(["sh", "-n", str(d / "entrypoint.sh")], check=True)
    assert "apache2-utils" not in (d / "Dockerfile").read_text()  # no htpasswd, like the official image
    assert "! command -v htpasswd" in (d / "Dockerfile").read_text()


def test_debian_overlay_is_executable_and_templated():
    d = catalog.get("debian").recipe_dir
    conf = rootfs.read_conf(d / "rootfs.conf")
    assert conf["suite"] == "bookworm" and conf["variant"] == "minbase"
    json.loads(conf["cmd"])
    assert os.access(d / "overlay/usr/sbin/policy-rc.d", os.X_OK)
    sources = (d / "overlay/etc/apt/sources.list.d/debian.sources").read_text()
    assert "@MIRROR@" in sources and "@SECURITY@" in sources


def test_mirrors_reads_one_line_and_deb822_sources(tmp_path):
    one = tmp_path / "sources.list"
    one.write_text("# comment\ndeb [arch=amd64] http://mirror.example/debian/ bookworm main\n"
                   "deb http://mirror.example/debian-security bookworm-security main\n")
    assert rootfs.mirrors(files=[str(one)]) == ("http://mirror.example/debian",
                                                "http://mirror.example/debian-security")
    deb822 = tmp_path / "debian.sources"
    deb822.write_text("Types: deb\nURIs: http://other.example/debian\nSuites: bookworm\n")
    assert rootfs.mirrors(files=[str(deb822)])[0] == "http://other.example/debian"
    assert rootfs.mirrors(files=[str(tmp_path / "missing")]) == (
        "http://deb.debian.org/debian", "http://deb.debian.org/debian-security")


def test_is_static_tells_static_from_dynamic(tmp_path):
    static = tmp_path / "static"
    static.write_bytes(b"\x7fELF" + b"\0" * 100)
    dynamic = tmp_path / "dynamic"
    dynamic.write_bytes(b"\x7fELF" + b"\0" * 60 + b"/lib64/ld-linux-x86-64.so.2\0")
    assert rootfs.is_static(str(static)) and not rootfs.is_static(str(dynamic))


def test_busybox_rootfs_explains_a_missing_binary(tmp_path, monkeypatch):
    monkeypatch.setattr(rootfs, "HOST_BUSYBOX", str(tmp_path / "nope"))
    with pytest.raises(rootfs.RecipeFailed) as err:
        rootfs.busybox_rootfs(tmp_path)
    assert "busybox-static" in err.value.hint


def test_busybox_rootfs_is_one_binary_and_hard_links(tmp_path, monkeypatch):
    """Like the official glibc variant: /bin/busybox once, every applet a hard link to it."""
    fake = tmp_path / "busybox"
    fake.write_text("#!/bin/sh\nprintf 'sh\\nls\\ncat\\n'\n")  # `--list` prints three applets
    fake.chmod(0o755)
    monkeypatch.setattr(rootfs, "HOST_BUSYBOX", str(fake))
    monkeypatch.setattr(rootfs, "is_static", lambda path: True)
    out = tmp_path / "out"
    out.mkdir()
    with tarfile.open(rootfs.busybox_rootfs(out)) as tar:
        members = {m.name: m for m in tar.getmembers()}
    assert members["bin/busybox"].isreg()
    links = {n: m for n, m in members.items() if n.startswith("bin/") and n != "bin/busybox"}
    assert set(links) == {"bin/sh", "bin/ls", "bin/cat"}
    assert all(m.islnk() and m.linkname == "bin/busybox" for m in links.values())
    assert members["tmp"].mode == 0o1777 and members["etc/passwd"].isreg()
    assert members["usr/bin/env"].issym()


def test_a_stale_kit_image_is_rebuilt_but_never_a_foreign_one(fake):
    bb = catalog.get("busybox")
    fake.labels = {"busybox:1.36": {KIT: "busybox", catalog.KIT_VERSION: "1"},   # an older kit recipe
                   "nginx:1.25": {}}                                             # pulled or the user's
    plan = builder.Plan(offline=True, present={"busybox:1.36": "sha256:old", "nginx:1.25": "sha256:theirs",
                                               "debian:bookworm-slim": "sha256:d"})
    assert bb.version != "1"
    assert builder.make_present(bb, plan).action == "built"
    assert builder.make_present(catalog.get("nginx"), plan).action == "present"
    fake.labels["busybox:1.36"] = {KIT: "busybox", catalog.KIT_VERSION: bb.version}
    assert builder.make_present(bb, builder.Plan(offline=True, present={"busybox:1.36": "sha256:new"})).action == "present"
    assert [c[:2] for c in fake.calls] == [("import", "busybox:1.36")]


def test_kit_prefix_builds_beside_the_shared_images(monkeypatch):
    monkeypatch.setenv("DOCKERLAB_KIT_PREFIX", "contracts-test/")
    assert builder.Plan().ref("nginx") == "contracts-test/nginx:1.25"
    assert builder.Plan(refs={"nginx": "x/nginx:1"}).ref("nginx") == "x/nginx:1"


# --- decisions of the kit, against faked image commands -------------------------------

class FakeImages:
    """Records calls; pulls fail like an offline daemon."""

    def __init__(self, pull_error=None):
        self.calls = []
        self.pull_error = pull_error or ImageNotFound("dial tcp: lookup registry-1.docker.io: no such host",
                                                      "No registry can be reached")

    normalize_ref = staticmethod(__import__("dockerlab.engine.names", fromlist=["x"]).normalize_ref)

    def pull(self, ref, on_progress=None):
        self.calls.append(("pull", ref))
        raise self.pull_error

    def build(self, context, ref, labels=None, buildargs=None, on_event=None, **kw):
        self.calls.append(("build", ref, tuple(sorted((buildargs or {}).items())), labels[KIT]))
        return "sha256:" + ref

    def import_rootfs(self, tar, ref, labels=None, changes=()):
        self.calls.append(("import", ref, tuple(changes), labels[KIT]))
        return "sha256:" + ref

    labels: dict = {}

    def image_labels(self, ref):
        return self.labels.get(ref, {})


@pytest.fixture
def fake(monkeypatch, tmp_path):
    f = FakeImages()
    monkeypatch.setattr(builder, "images", f)
    monkeypatch.setattr(builder.B, "classic_build", f.build)
    tar = tmp_path / "rootfs.tar"
    tar.write_bytes(b"")
    monkeypatch.setattr(builder, "debian_rootfs", lambda on_line=None: tar)
    monkeypatch.setattr(builder, "busybox_rootfs", lambda dest: tar)
    return f


def test_present_images_are_never_touched(fake):
    plan = builder.Plan(present={e.ref: "sha256:mine" for e in ENTRIES})
    outcomes = [builder.make_present(e, plan) for e in catalog.in_dependency_order()]
    assert {o.action for o in outcomes} == {"present"} and fake.calls == []


def test_failed_pull_falls_back_and_is_not_retried(fake):
    plan = builder.Plan()
    outcomes = [builder.make_present(e, plan) for e in catalog.in_dependency_order()]
    assert [o.action for o in outcomes] == ["built"] * 5
    assert fake.calls[0] == ("pull", "busybox:1.36")
    assert [c for c in fake.calls if c[0] == "pull"] == [("pull", "busybox:1.36")]  # registry down: once
    assert ("import", "debian:bookworm-slim", ('CMD ["bash"]',), "debian") in fake.calls
    assert ("build", "nginx:1.25", (("BASE", "debian:bookworm-slim"),), "nginx") in fake.calls


def test_offline_never_pulls_and_refs_can_be_overridden(fake):
    plan = builder.Plan(offline=True, refs={"debian": "t/debian:x", "nginx": "t/nginx:x"},
                        present={"t/debian:x": "sha256:d"})
    outcomes = [builder.make_present(e, plan) for e in catalog.in_dependency_order(["nginx"])]
    assert [o.action for o in outcomes] == ["present", "built"]
    assert fake.calls == [("build", "t/nginx:x", (("BASE", "t/debian:x"),), "nginx")]


def test_a_failed_base_skips_its_dependants(fake, monkeypatch):
    def broken(on_line=None):
        raise rootfs.RecipeFailed("debootstrap is not installed", "apt-get install debootstrap")
    monkeypatch.setattr(builder, "debian_rootfs", broken)
    plan = builder.Plan(offline=True)
    outcomes = [builder.make_present(e, plan) for e in catalog.in_dependency_order(["nginx"])]
    assert [o.action for o in outcomes] == ["failed", "skipped"]
    assert outcomes[0].error.hint == "apt-get install debootstrap"
    assert fake.calls == []


def test_progress_is_line_per_step_without_a_tty():
    buf = io.StringIO()
    bar = TerminalProgress(buf, tty=False)
    bar.start("[3/5] nginx:1.25")
    for i in range(1, 5):
        bar.update("nginx", (i - 1) / 4, f"Step {i}/4 : RUN x")
        bar.update("nginx", (i - 1) / 4, "noise from apt")
    bar.finish("built offline in 3.0 s")
    lines = buf.getvalue().splitlines()
    assert "\r" not in buf.getvalue()
    assert sum("Step" in line for line in lines) == 4 and lines[-1].endswith("built offline in 3.0 s")


def test_progress_redraws_one_line_on_a_tty():
    buf = io.StringIO()
    bar = TerminalProgress(buf, tty=True)
    bar.start("[1/5] busybox:1.36")
    bar.update("busybox", 0.5, "Step 3/6 : RUN")
    bar.finish("built")
    assert buf.getvalue().startswith("\r[1/5] busybox:1.36 [##########----------]  50%")
    assert buf.getvalue().count("\n") == 1


def _tar(path, files: dict[str, object]) -> None:
    with tarfile.open(path, "w") as tar:
        for name, content in files.items():
            data = json.dumps(content).encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_bundle_refs_reads_the_manifest(tmp_path):
    # Engine 20.10's docker save: manifest.json only; the id is the config digest
    path = tmp_path / "b.tar"
    _tar(path, {"manifest.json": [{"Config": "abc123.json", "RepoTags": ["busybox:1.36"], "Layers": []}]})
    assert command.bundle_refs(str(path)) == {"busybox:1.36": {"sha256:abc123"}}
    # Engine 25+: an OCI layout too, whose index names the manifest (the containerd store's Id)
    oci = tmp_path / "oci.tar"
    _tar(oci, {"manifest.json": [{"Config": "blobs/sha256/abc123", "RepoTags": ["busybox:1.36"], "Layers": []}],
               "index.json": {"manifests": [{"digest": "sha256:def456", "annotations": {
                   "io.containerd.image.name": "docker.io/library/busybox:1.36",
                   "org.opencontainers.image.ref.name": "1.36"}}]}})
    assert command.bundle_refs(str(oci)) == {"busybox:1.36": {"sha256:abc123", "sha256:def456"}}
    bad = tmp_path / "bad.tar"
    bad.write_text("not a tar")
    with pytest.raises(Exception) as err:
        command.bundle_refs(str(bad))
    assert "--export" in err.value.hint


# --- commands.build.classic_build against a fake low-level client --------------------------------

class FakeBuildClient:
    def __init__(self, events):
        self.events, self.kwargs, self.closed = events, None, False

    def build(self, **kwargs):
        self.kwargs = kwargs
        return iter(self.events)

    def close(self):
        self.closed = True


def test_build_streams_steps_and_cache_hits(monkeypatch):
    fake = FakeBuildClient([
        {"stream": "Step 1/2 : FROM debian:bookworm-slim\n"}, {"stream": " ---> 4774f119daff\n"},
        {"stream": "Step 2/2 : RUN apt-get update\n"}, {"stream": " ---> Using cache\n"},
        {"aux": {"ID": "sha256:abc"}}, {"stream": "Successfully built abc\n"}])
    monkeypatch.setattr(BD, "private_engine", lambda timeout: fake)
    events = []
    assert BD.classic_build("/ctx", "t:1", labels={"a": "b"}, on_event=events.append) == "sha256:abc"
    assert fake.kwargs["rm"] and fake.kwargs["forcerm"] and fake.kwargs["decode"]  # classic, no leftovers
    assert fake.kwargs["labels"] == {"a": "b"} and fake.closed
    assert [(e.step, e.total, e.cached) for e in events] == [(1, 2, False), (1, 2, False), (2, 2, False),
                                                              (2, 2, True), (2, 2, True)]


def test_build_failure_names_the_step_and_its_output(monkeypatch):
    fake = FakeBuildClient([
        {"stream": "Step 1/2 : FROM debian:bookworm-slim\n"},
        {"stream": "Step 2/2 : RUN apt-get install nosuchpkg\n"},
        {"stream": "E: Unable to locate package nosuchpkg\n"},
        {"error": "The command '/bin/sh -c apt-get install nosuchpkg' returned a non-zero code: 100",
         "errorDetail": {"code": 100, "message": "The command ... returned a non-zero code: 100"}}])
    monkeypatch.setattr(BD, "private_engine", lambda timeout: fake)
    with pytest.raises(errors.BuildFailed) as err:
        BD.classic_build("/ctx", "t:1")
    assert err.value.message.startswith("step 2/2 `RUN apt-get install nosuchpkg` failed")
    assert "Unable to locate package nosuchpkg" in err.value.message and fake.closed


def test_buildkit_steps_read_as_the_learner_wrote_them():
    from dockerlab.commands.builders import _familiar
    digest = "sha256:" + "a" * 64
    assert _familiar("FROM docker.io/library/busybox:1.36") == "FROM busybox:1.36"
    # the containerd image store adds the resolved digest to a tagged base
    assert _familiar(f"FROM docker.io/library/busybox:1.36@{digest}") == "FROM busybox:1.36"
    assert _familiar(f"FROM 127.0.0.1:5000/me/app:v1@{digest}") == "FROM 127.0.0.1:5000/me/app:v1"
    # a digest the learner pinned themselves (no tag) stays
    assert _familiar(f"FROM busybox@{digest} AS base") == f"FROM busybox@{digest} AS base"
    assert _familiar("RUN echo docker.io/library/x") == "RUN echo docker.io/library/x"
