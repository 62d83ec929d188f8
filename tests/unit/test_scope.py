"""The classroom scope, both ways, through the real docker-py APIClient over a fake transport:
the HTTP requests that leave (paths, query filters, bodies) and what the Engine hands back."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, unquote, urlparse

import docker
import pytest
import requests

from dockerlab.engine import names
from dockerlab.engine.client import Engine
from dockerlab.engine.errors import ImageNotFound, NotFound


class FakeTransport(requests.adapters.BaseAdapter):
    """Records every request; answers from a (method, path-suffix) -> (status, body) table."""

    def __init__(self, answers: dict):
        super().__init__()
        self.answers, self.sent = answers, []

    def send(self, request, **kwargs):
        self.sent.append(request)
        path = urlparse(request.url).path
        status, body = next(((s, b) for (m, suffix), (s, b) in self.answers.items()
                             if m == request.method and unquote(path).endswith(suffix)), (200, {}))
        res = requests.Response()
        res.status_code, res.request, res.url = status, request, request.url
        res._content = json.dumps(body).encode()
        res.headers["Content-Type"] = "application/json"
        return res

    def close(self):
        pass

    # what was asked
    def paths(self) -> list[str]:
        return [unquote(urlparse(r.url).path).split("/", 2)[2] for r in self.sent]

    def query(self, i: int = -1) -> dict:
        return parse_qs(urlparse(self.sent[i].url).query)

    def body(self, i: int = -1) -> dict:
        return json.loads(self.sent[i].body or b"{}")


def engine(answers: dict | None = None) -> tuple[Engine, FakeTransport]:
    api = docker.APIClient(base_url="tcp://fake-engine:2375", version="1.41")
    fake = FakeTransport(answers or {})
    api.mount("http://fake-engine:2375", fake)
    return Engine(api), fake


@pytest.fixture
def c3(monkeypatch):
    monkeypatch.setenv("DOCKERLAB_SCOPE", "c3")


def test_paths_carry_the_scoped_name_and_answers_come_back_unscoped(c3):
    e, fake = engine({("GET", "/containers/web--c3/json"): (200, {"Name": "/web--c3", "Config": {"Labels": {}},
                                                                    "NetworkSettings": {"Networks": {"app--c3": {}}}})})
    doc = e.inspect_container("web")
    assert fake.paths() == ["containers/web--c3/json"]
    assert doc["Name"] == "/web" and list(doc["NetworkSettings"]["Networks"]) == ["app"]
    e.stop("web", timeout=1)
    e.remove_volume("data")
    e.inspect_network("app-net")
    assert fake.paths()[1:] == ["containers/web--c3/stop", "volumes/data--c3", "networks/app-net--c3"]


def test_builtin_networks_and_ids_are_never_scoped(c3):
    e, fake = engine()
    e.inspect_network("bridge")
    e.inspect_network("podman")
    e.inspect_container("0123456789ab")
    e.remove_image("sha256:" + "a" * 64)
    assert fake.paths() == ["networks/bridge", "networks/podman", "containers/0123456789ab/json",
                            "images/sha256:" + "a" * 64]


def test_create_container_body_is_scoped_with_dns_by_the_chosen_name(c3):
    e, fake = engine({("GET", "/images/json"): (200, [])})
    hc = e.create_host_config(binds=["data:/data:rw", "/tmp/site:/site:ro"], network_mode="app",
                              mounts=[{"Target": "/cache", "Source": "cache", "Type": "volume"}])
    nc = e.create_networking_config({"app": e.create_endpoint_config(aliases=["search"])})
    e.create_container(image="busybox:1.36", name="web", host_config=hc, networking_config=nc)
    assert fake.query()["name"] == ["web--c3"]
    body = fake.body()
    assert body["Image"] == "busybox:1.36"  # the learner built no busybox of their own: the shared one
    assert body["HostConfig"]["Binds"] == ["data--c3:/data:rw", "/tmp/site:/site:ro"]
    assert body["HostConfig"]["NetworkMode"] == "app--c3"
    assert body["HostConfig"]["Mounts"][0]["Source"] == "cache--c3"
    assert body["NetworkingConfig"]["EndpointsConfig"] == {"app--c3": {"Aliases": ["search", "web"]}}


def test_the_learners_own_image_wins_over_the_shared_one(c3):
    e, fake = engine({("GET", "/images/json"): (200, [{"Id": "sha256:mine"}])})
    e.inspect_image("app:v1")
    assert fake.query(0)["filters"] == ['{"reference": ["app--c3:v1"]}']
    assert fake.paths()[-1] == "images/app--c3:v1/json"
    e.tag("busybox:1.36", "me/app", "v2")
    assert fake.query()["repo"] == ["me/app--c3"] and fake.query()["tag"] == ["v2"]


def test_registry_references_and_filters(c3):
    assert names.scoped_image("127.0.0.1:5000/me/app:v1") == "127.0.0.1:5000/me/app:v1"
    assert names.scoped_image("me/app:v1") == "me/app--c3:v1"
    e, fake = engine()
    e.containers(all=True, filters={"network": ["app"], "label": ["dockerlab.session"]})
    assert json.loads(fake.query()["filters"][0]) == {"network": ["app--c3"], "label": ["dockerlab.session"]}
    e.networks(names=["app"])
    assert json.loads(fake.query()["filters"][0]) == {"name": ["app--c3"]}


def test_connect_adds_the_chosen_name_as_an_alias(c3):
    e, fake = engine()
    e.connect_container_to_network("web", "app", aliases=["search"])
    assert fake.paths() == ["networks/app--c3/connect"]
    assert fake.body() == {"Container": "web--c3", "EndpointConfig": {"Aliases": ["search", "web"]}}


def test_without_a_scope_names_pass_as_given(monkeypatch):
    monkeypatch.delenv("DOCKERLAB_SCOPE", raising=False)
    e, fake = engine({("GET", "/containers/web/json"): (200, {"Name": "/web--c3"})})
    assert e.inspect_container("web")["Name"] == "/web--c3"
    assert fake.paths() == ["containers/web/json"]


def test_exact_engine_speaks_daemon_names(c3):
    e, fake = engine({("GET", "/volumes"): (200, {"Volumes": [{"Name": "data--c2"}]})})
    exact = e.exact()
    assert exact.volumes()["Volumes"][0]["Name"] == "data--c2"
    exact.remove_volume("data--c2")
    assert fake.paths()[-1] == "volumes/data--c2"  # not data--c2--c3: cleanup of another scope


def test_errors_are_translated_at_the_boundary(c3):
    e, _ = engine({("GET", "/containers/gone--c3/json"): (404, {"message": "No such container: gone--c3"}),
                   ("GET", "/images/nope:1/json"): (404, {"message": "No such image: nope:1"})})
    with pytest.raises(NotFound) as err:
        e.inspect_container("gone")
    assert err.value.message == "No such container: gone"  # in the learner's name
    with pytest.raises(ImageNotFound):
        e.inspect_image("nope:1")


def test_a_call_without_a_naming_rule_is_refused():
    e, _ = engine()
    with pytest.raises(AttributeError, match="PATH_ARGS"):
        e.put_container_archive_somehow  # noqa: B018 - the attribute access is the test


def test_every_rule_names_a_real_apiclient_method():
    missing = [m for m in names.PATH_ARGS if not callable(getattr(docker.APIClient, m, None))]
    assert missing == []
