"""What a registry holds, read over its own HTTP API (``GET /v2/NAME/manifests/REF``): the
manifest or index a tag names, the image's config digest and its layer blobs. Pushes count
their layers with it and the 03-tag-push checker compares images with it, on either image store
(the graph-driver store's id is the config digest, the containerd store's the manifest digest).
"""
from __future__ import annotations

import base64
import hashlib
import json
import urllib.request

_MANIFESTS = ", ".join(("application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
                        "application/vnd.docker.distribution.manifest.list.v2+json",
                        "application/vnd.docker.distribution.manifest.v2+json"))


def request(url: str, user: str | None = None, password: str | None = None, timeout: float = 5.0,
            accept: str | None = None):
    """A GET to a registry, with a Basic login when ``user`` is given (urlopen's response)."""
    req = urllib.request.Request(url)
    if user is not None:
        req.add_header("Authorization", "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode())
    if accept:
        req.add_header("Accept", accept)
    return urllib.request.urlopen(req, timeout=timeout)


def remote_image(registry: str, path: str, ref: str, user: str | None = None,
                 password: str | None = None) -> dict | None:
    """What a registry holds under ``path:ref`` (``GET /v2/PATH/manifests/REF``): ``digest`` (of
    the manifest or index the tag names), ``config`` (the image's config digest: the image id
    with the graph-driver store) and ``layers`` (blob digests). An index (what the containerd
    image store pushes) is followed to the image's own manifest, past BuildKit's attestation.
    None when the registry does not answer or has no such tag."""
    def get(what: str) -> tuple[str, dict]:
        with request(f"http://{registry}/v2/{path}/manifests/{what}", user, password, accept=_MANIFESTS) as r:
            body = r.read()
            digest = r.headers.get("Docker-Content-Digest") or "sha256:" + hashlib.sha256(body).hexdigest()
            return digest, json.loads(body.decode())

    try:
        digest, manifest = get(ref)
        if manifest.get("manifests"):
            own = [m for m in manifest["manifests"] if (m.get("platform") or {}).get("os") != "unknown"]
            _, manifest = get((own or manifest["manifests"])[0]["digest"])
        return {"digest": digest, "config": (manifest.get("config") or {}).get("digest"),
                "layers": [layer["digest"] for layer in manifest.get("layers") or []]}
    except (OSError, ValueError, KeyError, IndexError):
        return None
