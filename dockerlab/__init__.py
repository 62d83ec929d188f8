"""dockerlab: a Docker course in JupyterLab, driving a real daemon.

>>> import dockerlab as dl
>>> dl.RunSpec("nginx:1.25", name="web", ports=["8080:80"]).cli()
'docker run -d --name web -p 127.0.0.1:8080:80 nginx:1.25'

Widgets (``dl.ContainerTable()``, ``dl.RunBuilder()``...), plain calls that show their
CLI line (``dl.run(...)``, ``dl.logs(...)``...), exercises (``dl.CheckWidget(id)``) and
the lesson frame (``dl.Lesson(...)``) are loaded on first use.
"""
from __future__ import annotations

import importlib

from .core.errors import DockerlabError
from .core.specs import BuildSpec, Mount, NetworkSpec, Port, RunSpec, VolumeSpec

from ._version import __version__  # noqa: F401 - the one version source

_LAZY = {
    # widgets
    "ContainerTable": "widgets.containers", "RunBuilder": "widgets.run_builder", "LogViewer": "widgets.logs",
    "StatsMonitor": "widgets.stats", "ProcessTable": "widgets.processes", "InspectViewer": "widgets.inspect",
    "ExecConsole": "widgets.exec", "NetworkPanel": "widgets.networks", "NetworkMap": "widgets.network_map",
    "ImageTable": "widgets.images", "LayerExplorer": "widgets.layers", "BuildRunner": "widgets.build",
    "VolumePanel": "widgets.volumes", "EventLog": "widgets.events",
    "CheckWidget": "widgets.exercise", "ProgressWidget": "widgets.exercise", "Lesson": "lesson",
    # plain calls
    **{name: "ops" for name in (
        "run", "create", "start", "stop", "rm", "exec", "logs", "state", "inspect", "ps", "port", "host_port",
        "top", "read_file", "network_create", "network_connect", "network_disconnect", "networks_of",
        "volume_create", "volume_exists", "volume_rm", "http_get", "free_port", "daemon_is_local", "OFFLINE")},
    "check": "exercises",
    **{name: "ops_images" for name in (
        "build", "compare_builds", "curl", "tag", "untag", "image_id", "image_size", "created", "layers",
        "history", "shared_layers", "image_config", "describe_ref", "refs_table", "copy_from_image",
        "host_static_binary", "registry_start", "login", "logout", "push", "catalog", "registry_tags")},
}

__all__ = ["BuildSpec", "DockerlabError", "Mount", "NetworkSpec", "Port", "RunSpec", "VolumeSpec", *_LAZY]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dockerlab' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
