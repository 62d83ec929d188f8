"""host_static_binary for a FROM scratch image when the host has no static busybox: the official
busybox:1.36 is the glibc variant (dynamic), so the copy comes from the static musl variant."""
from __future__ import annotations

import struct

from dockerlab.commands.result import Result
from dockerlab.engine.errors import DockerlabError
from dockerlab.verbs import images as image_verbs


def elf(pt_types: list[int]) -> bytes:
    head = bytearray(64)
    head[:7] = b"\x7fELF\x02\x01\x01"
    struct.pack_into("<Q", head, 0x20, 64)
    struct.pack_into("<HH", head, 0x36, 56, len(pt_types))
    return bytes(head) + b"".join(struct.pack("<I", t) + bytes(52) for t in pt_types)


STATIC, DYNAMIC = elf([1]), elf([3, 1])   # PT_INTERP (3) makes it dynamic


def setup(monkeypatch, have: dict, present: set, pullable: set):
    pulls = []
    monkeypatch.setattr(image_verbs, "daemon_is_local", lambda: False)
    monkeypatch.setattr(image_verbs, "copy_from_image",
                        lambda image, path: Result([f"docker cp {image}"], have[image], f"static: {image_verbs.is_static(have[image])}"))
    monkeypatch.setattr(image_verbs.I, "image_id", lambda ref: "sha256:x" if ref in present else None)

    def pull(ref, **kw):
        if ref not in pullable:
            raise DockerlabError(f"cannot pull {ref}", "no registry")
        pulls.append(ref)
        present.add(ref)
    monkeypatch.setattr(image_verbs.I, "pull", pull)
    return pulls


def test_elf_helper_is_right():
    assert image_verbs.is_static(STATIC) and not image_verbs.is_static(DYNAMIC)


def test_a_static_busybox_image_is_used_as_is(monkeypatch):
    pulls = setup(monkeypatch, {"busybox:1.36": STATIC}, {"busybox:1.36"}, set())
    assert image_verbs.host_static_binary().value == STATIC and pulls == []


def test_the_official_glibc_busybox_falls_back_to_the_musl_variant(monkeypatch):
    pulls = setup(monkeypatch, {"busybox:1.36": DYNAMIC, "busybox:1.36-musl": STATIC}, {"busybox:1.36"},
                  {"busybox:1.36-musl"})
    done = image_verbs.host_static_binary()
    assert done.value == STATIC and pulls == ["busybox:1.36-musl"]
    assert done.cli[0] == "docker pull busybox:1.36-musl"


def test_without_a_registry_the_dynamic_copy_says_so(monkeypatch):
    setup(monkeypatch, {"busybox:1.36": DYNAMIC}, {"busybox:1.36"}, set())
    done = image_verbs.host_static_binary()
    assert done.value == DYNAMIC and done.text == "static: False"
