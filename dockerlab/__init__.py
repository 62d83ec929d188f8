"""dockerlab: a Docker course in JupyterLab, driving a real daemon.

>>> import dockerlab as dl
>>> dl.RunSpec("nginx:1.25", name="web", ports=["8080:80"]).cli()
'docker run -d --name web -p 127.0.0.1:8080:80 nginx:1.25'
"""
from .core.errors import DockerlabError
from .core.specs import BuildSpec, Mount, NetworkSpec, Port, RunSpec, VolumeSpec

__version__ = "0.1.0"
__all__ = ["BuildSpec", "DockerlabError", "Mount", "NetworkSpec", "Port", "RunSpec", "VolumeSpec"]
