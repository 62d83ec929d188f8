"""dockerlab: a Docker course in JupyterLab, driving a real daemon.

>>> import dockerlab as dl
>>> dl.RunSpec("nginx:1.25", name="web", ports=["8080:80"]).cli()
'docker run -d --name web -p 127.0.0.1:8080:80 nginx:1.25'

The notebook verbs (``dl.run(...)``, ``dl.logs(...)``: see :mod:`dockerlab.verbs`), the
widgets (``dl.ContainerTable()``...: :mod:`dockerlab.widgets`) and the exercises
(``dl.check(id)``) are loaded on first use, so ``import dockerlab`` (and the
``dockerlab`` command line) stays fast.
"""
from __future__ import annotations

import importlib
import sys

from ._version import __version__  # noqa: F401 - the one version source
from .commands.build import BuildSpec
from .commands.network import NetworkSpec
from .commands.run import RunSpec
from .commands.run_options import Mount, Port
from .commands.volume import VolumeSpec
from .engine.errors import DockerlabError

#: Where the public names live; each module lists them in its ``__all__``.
_PUBLIC = ("verbs", "widgets", "course")


def __getattr__(name: str):
    if not name.startswith("_"):
        for module in _PUBLIC:
            mod = importlib.import_module(f".{module}", __name__)
            if name in getattr(mod, "__all__", ()):
                value = getattr(mod, name)
                globals()[name] = value
                return value
    raise AttributeError(f"module 'dockerlab' has no attribute {name!r}")


def __dir__():
    names = set(globals())
    for module in _PUBLIC:
        names |= set(getattr(importlib.import_module(f".{module}", __name__), "__all__", ()))
    return sorted(names)


__all__ = ["BuildSpec", "DockerlabError", "Mount", "NetworkSpec", "Port", "RunSpec", "VolumeSpec"]

if "IPython" in sys.modules:  # inside IPython, `import dockerlab` makes %docker available
    importlib.import_module(".magic", __name__).register_in_ipython()
