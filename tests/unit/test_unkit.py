"""scripts/unkit.py: a `docker save` bundle without the kit's labels, layers untouched.

The lane docker28-official loads its output into a real engine (docs/engines.md); here the
rewrite itself, on bundles of both layouts."""
from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import tarfile
from pathlib import Path

spec = importlib.util.spec_from_file_location("unkit", Path(__file__).parents[2] / "scripts" / "unkit.py")
unkit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(unkit)

CONFIG = {
    "architecture": "amd64",
    "config": {"Entrypoint": ["/docker-entrypoint.sh"], "Cmd": ["nginx", "-g", "daemon off;"],
               "Labels": {"dockerlab.kit": "nginx", "dockerlab.kit.version": "2", "maintainer": "NGINX"}},
    "container_config": {"Labels": {"dockerlab.kit": "nginx"}},
    "history": [{"created_by": "/bin/sh -c #(nop) ADD file:abc in /"},
                {"created_by": "/bin/sh -c #(nop)  LABEL dockerlab.kit=nginx", "empty_layer": True},
                {"created_by": "/bin/sh -c #(nop)  LABEL dockerlab.kit.version=2", "empty_layer": True},
                {"created_by": "/bin/sh -c #(nop)  LABEL maintainer=NGINX", "empty_layer": True},
                {"created_by": "/bin/sh -c #(nop)  CMD [\"nginx\"]", "empty_layer": True}],
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "1" * 64]},
}


def _bundle(path: Path, config_name: str, layer_name: str, extra: dict[str, bytes] | None = None) -> None:
    files = {config_name: json.dumps(CONFIG).encode(), layer_name: b"layer bytes",
             "manifest.json": json.dumps([{"Config": config_name, "RepoTags": ["nginx:1.25"],
                                           "Layers": [layer_name]}]).encode(), **(extra or {})}
    with tarfile.open(path, "w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _rewrite(src: Path) -> dict[str, bytes]:
    out = io.BytesIO()
    with tarfile.open(src) as a, tarfile.open(fileobj=out, mode="w") as b:
        assert unkit.unkit(a, b) == ["nginx:1.25"]
    out.seek(0)
    with tarfile.open(fileobj=out) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def _check(files: dict[str, bytes]) -> dict:
    (item,) = json.loads(files["manifest.json"])
    raw = files[item["Config"]]
    # the config is named by its own digest, as an engine checks on load
    assert hashlib.sha256(raw).hexdigest() in item["Config"]
    config = json.loads(raw)
    assert config["config"]["Labels"] == {"maintainer": "NGINX"}
    assert config["container_config"]["Labels"] is None
    steps = [h["created_by"] for h in config["history"]]
    assert not any("dockerlab" in s for s in steps) and len(steps) == 3 and "maintainer" in steps[1]
    assert config["config"]["Entrypoint"] == ["/docker-entrypoint.sh"] and config["rootfs"] == CONFIG["rootfs"]
    assert files[item["Layers"][0]] == b"layer bytes"
    return item


def test_legacy_layout(tmp_path):
    # Engine < 25: <id>.json beside the layer folders
    _bundle(tmp_path / "b.tar", "a" * 64 + ".json", "l1/layer.tar", {"repositories": b"{}"})
    files = _rewrite(tmp_path / "b.tar")
    item = _check(files)
    assert item["Config"].endswith(".json") and "a" * 64 + ".json" not in files and "repositories" not in files


def test_oci_layout(tmp_path):
    # Engine 25+: blobs/sha256/..., with an index that would name the old config's manifest
    _bundle(tmp_path / "b.tar", "blobs/sha256/" + "a" * 64, "blobs/sha256/" + "1" * 64,
            {"index.json": b'{"manifests": []}', "oci-layout": b'{"imageLayoutVersion": "1.0.0"}'})
    files = _rewrite(tmp_path / "b.tar")
    item = _check(files)
    assert item["Config"].startswith("blobs/sha256/") and "index.json" not in files
