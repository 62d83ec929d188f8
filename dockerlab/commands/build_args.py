"""``docker build`` read back: its flag table (what :meth:`BuildSpec.cli` renders, plus the
flags a learner may type) and the validated :class:`BuildSpec` it builds. Beside
``build.py``, which would pass the size of one module with it.

>>> from dockerlab.commands.argv import parse
>>> parse("docker build -t app:1 .").spec.tag
'app:1'
"""
from __future__ import annotations

import os
from dataclasses import replace

from ..engine import names
from ..engine.errors import InvalidInput
from .argv import MANY, NOT_TAUGHT, VALUE, Command, Flag, R, label, pair, register
from .build import BuildSpec


def _arg(text: str) -> tuple[str, str]:
    return pair(text, "build argument", "VERSION=1", need_value=True)


def _build(cmd: Command, o: dict, pos: list[str]) -> dict:
    context = pos[0]
    if context == "-" or "://" in context or context.startswith("git@"):
        raise InvalidInput(f"build context {context!r} is not supported in the course",
                           "Build from a folder on this machine, e.g. docker build -t app:1 .")
    tags = o.get("tags", [])
    if not tags:
        raise InvalidInput("docker build needs a name here: -t NAME[:TAG]",
                           "Name the image so you can run it, e.g. docker build -t app:1 .")
    if len(tags) > 1:
        raise InvalidInput(f"one -t per build here (got {len(tags)})",
                           f"Build with -t {tags[0]}, then add the other names: docker tag {tags[0]} {tags[1]}.")
    dockerfile = "Dockerfile"
    if "file" in o:
        given = o["file"]
        if given == "-":
            raise InvalidInput("-f - (a Dockerfile on stdin) is not supported here",
                               "Write the Dockerfile into the context folder and name it with -f.")
        # The docker CLI reads a relative -f from the current folder, not from the context.
        dockerfile = os.path.relpath(os.path.abspath(given), os.path.abspath(context))
        if dockerfile.startswith(".."):
            raise InvalidInput(f"-f {given}: the Dockerfile is outside the build context {context}",
                               "Put the Dockerfile inside the context folder (the classic builder needs it there).")
    spec = BuildSpec(tags[0], context=context, dockerfile=dockerfile, buildargs=dict(o.get("buildargs", ())),
                     nocache=o.get("nocache", False), labels=dict(o.get("labels", ())))
    spec = spec.validated()
    return {"spec": replace(spec, tag=names.unscope_all(spec.tag))}  # the line shows the daemon's name


register(Command("image", "build", "build [OPTIONS] PATH",
                 flags=(Flag("tag", "t", MANY, "tags"), Flag("file", "f", VALUE), Flag("no-cache", dest="nocache"),
                        Flag("build-arg", kind=MANY, dest="buildargs", convert=_arg),
                        Flag("label", kind=MANY, dest="labels", convert=label)),
                 refused=(R("--pull -q --quiet --squash --rm --force-rm --compress --disable-content-trust",
                            NOT_TAUGHT, "Leave it out.", value=False),
                          R("--target --platform --progress --network --secret --ssh --cache-from --iidfile -m "
                            "--memory --memory-swap --shm-size --add-host --isolation --cpu-shares -c --cpuset-cpus "
                            "--cpu-period --cpu-quota --ulimit -o --output --cgroup-parent --security-opt",
                            NOT_TAUGHT, "Leave it out.")),
                 min_args=1, max_args=1, build=_build), "image build", "build", "builder build")
