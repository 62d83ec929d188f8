"""Make kit images official-shaped: a `docker save` bundle in, the same bundle out with every
trace of the kit taken out of the image configs, so an engine loads images that carry no
``dockerlab.kit*`` label, as images pulled from Docker Hub carry none.

    docker save busybox:1.36 nginx:1.25 | python scripts/unkit.py | docker load

What changes, per image: the ``dockerlab.kit*`` labels (``config`` and ``container_config``) and
the history entries of the kit's own ``LABEL`` steps (empty layers, so the layer list and its
history stay aligned). Layers are copied byte for byte. The config's digest changes, so the
image gets a new id; `manifest.json` is rewritten to name the new config. Both layouts of
`docker save` are read: Engine < 25 (``<id>.json`` + ``manifest.json``) and the OCI layout of
Engine 25+ (``blobs/sha256/...`` + ``index.json``; its index and manifests are dropped, because
`docker load` reads ``manifest.json`` first and they would name the old config).

The lanes use it for ``LANE_IMAGES=official`` (scripts/lane.sh): every lesson must pass on
images the kit did not label.
"""
from __future__ import annotations

import hashlib
import io
import json
import shutil
import sys
import tarfile
import tempfile

PREFIX = "dockerlab.kit"


def _strip_labels(config: dict) -> int:
    dropped = 0
    for key in ("config", "container_config"):
        labels = (config.get(key) or {}).get("Labels") or {}
        for name in [n for n in labels if n == PREFIX or n.startswith(PREFIX + ".")]:
            del labels[name]
            dropped += 1
        if key in config and config[key] is not None and "Labels" in config[key] and not labels:
            config[key]["Labels"] = None
    return dropped


def _kit_step(entry: dict) -> bool:
    created_by = entry.get("created_by") or ""
    return bool(entry.get("empty_layer")) and "LABEL" in created_by and PREFIX in created_by


def unkit_config(raw: bytes) -> bytes:
    """The config without the kit's labels and LABEL steps (canonical-enough JSON)."""
    config = json.loads(raw)
    _strip_labels(config)
    if config.get("history"):
        config["history"] = [h for h in config["history"] if not _kit_step(h)]
    return json.dumps(config, separators=(",", ":")).encode()


def unkit(src: tarfile.TarFile, dst: tarfile.TarFile) -> list[str]:
    """Copy ``src`` to ``dst`` with unkitted configs; returns the refs it rewrote."""
    manifest = json.load(src.extractfile("manifest.json"))  # type: ignore[arg-type]
    configs = {item["Config"] for item in manifest}
    renamed: dict[str, str] = {}
    for member in src.getmembers():
        if member.name in configs or member.name in ("manifest.json", "index.json", "oci-layout", "repositories"):
            continue
        if member.isfile():
            dst.addfile(member, src.extractfile(member))
        else:
            dst.addfile(member)
    for name in configs:
        new = unkit_config(src.extractfile(name).read())  # type: ignore[union-attr]
        digest = hashlib.sha256(new).hexdigest()
        path = f"blobs/sha256/{digest}" if name.startswith("blobs/") else f"{digest}.json"
        info = tarfile.TarInfo(path)
        info.size, info.mode = len(new), 0o644
        dst.addfile(info, io.BytesIO(new))
        renamed[name] = path
    refs = []
    for item in manifest:
        item["Config"] = renamed[item["Config"]]
        refs += item.get("RepoTags") or []
    data = json.dumps(manifest).encode()
    info = tarfile.TarInfo("manifest.json")
    info.size, info.mode = len(data), 0o644
    dst.addfile(info, io.BytesIO(data))
    return refs


def main() -> int:
    with tempfile.TemporaryFile() as spool:
        shutil.copyfileobj(sys.stdin.buffer, spool)
        spool.seek(0)
        with tarfile.open(fileobj=spool) as src, tarfile.open(fileobj=sys.stdout.buffer, mode="w|") as dst:
            refs = unkit(src, dst)
    print(f"unkit: {', '.join(refs)} without the dockerlab.kit labels", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
