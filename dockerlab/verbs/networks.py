"""Notebook verbs for networks and volumes: one ``docker`` command each, its line shown.

>>> import dockerlab as dl
>>> dl.network_create("app-net")          # doctest: +SKIP
$ docker network create app-net
app-net
"""
from __future__ import annotations

from dataclasses import replace

from ..commands import container as C
from ..commands import network as N
from ..commands import volume as V
from ..commands.network import NetworkSpec
from ..commands.result import Result
from ..commands.volume import VolumeSpec
from ..session import lesson
from .offline import offline_safe

__all__ = ["network_create", "network_create_spec", "network_connect", "network_disconnect", "networks_of", "volume_create", "volume_create_spec",
           "volume_exists", "volume_rm"]


@offline_safe
def network_create(name: str, driver: str | None = None, subnet: str | None = None) -> Result:
    return network_create_spec(NetworkSpec(name, driver=driver, subnet=subnet, lesson=lesson.current()))


@offline_safe
def network_create_spec(spec: NetworkSpec) -> Result:
    """``docker network create`` of a ready spec (what ``%docker network create`` reads)."""
    return N.create(spec if spec.lesson else replace(spec, lesson=lesson.current()))


@offline_safe
def network_connect(network: str, container: str, aliases=()) -> Result:
    return N.connect(network, container, list(aliases))


@offline_safe
def network_disconnect(network: str, container: str) -> Result:
    return N.disconnect(network, container)


@offline_safe
def networks_of(name: str) -> list[str]:
    return sorted((C.inspect(name)["NetworkSettings"]["Networks"] or {}).keys())


@offline_safe
def volume_create(name: str, driver: str | None = None, options: dict | None = None) -> Result:
    return volume_create_spec(VolumeSpec(name, driver=driver, options=options or {}, lesson=lesson.current()))


@offline_safe
def volume_create_spec(spec: VolumeSpec) -> Result:
    """``docker volume create`` of a ready spec (what ``%docker volume create`` reads)."""
    return V.create(spec if spec.lesson else replace(spec, lesson=lesson.current()))


@offline_safe
def volume_exists(name: str) -> bool:
    return V.exists(name)


@offline_safe
def volume_rm(name: str) -> Result:
    return V.remove(name)
