"""The notebook verbs (``dl.run``, ``dl.logs``, ``dl.build``...): thin calls of the commands
layer that show the docker line they performed and turn a missing daemon into OFFLINE."""
from __future__ import annotations

from . import containers, host, images, networks, registry
from .containers import *  # noqa: F403 - the verbs are this package's API
from .host import *  # noqa: F403 - the verbs are this package's API
from .images import *  # noqa: F403 - the verbs are this package's API
from .networks import *  # noqa: F403 - the verbs are this package's API
from .offline import OFFLINE, OFFLINE_TEXT
from .registry import *  # noqa: F403 - the verbs are this package's API

__all__ = [*containers.__all__, *host.__all__, *images.__all__, *networks.__all__, *registry.__all__,
           "OFFLINE", "OFFLINE_TEXT"]
