"""Notebook verbs for a private registry: start one with a login, ``docker login``, ``push``,
and read its catalog. A refused push or login is a result (value False), not an exception.

>>> import dockerlab as dl
>>> reg = dl.registry_start("n3-registry")           # doctest: +SKIP
"""
from __future__ import annotations

from ..commands import registry as core_registry
from ..commands.result import Result
from ..engine import names
from ..session import lesson
from .offline import offline_in, offline_safe

__all__ = ["registry_start", "login", "logout", "push", "catalog", "registry_tags"]

#: ``docker login`` keeps credentials per registry (the CLI in ~/.docker/config.json);
#: here the kernel keeps them in memory for the session.
_logins: dict[str, core_registry.Auth] = {}
#: Registries this session started, by address: ``%docker login ADDRESS --password-stdin`` uses their password.
started: dict[str, core_registry.Registry] = {}


@offline_safe
def registry_start(name: str, user: str = "learner", host_port: int | None = None) -> Result:
    """A private registry (registry:2 with htpasswd auth) on 127.0.0.1; its password is
    generated for this session and never shown (``.value.password`` holds it). The bcrypt
    password file is written by the toolkit, not by a program in the image."""
    reg = core_registry.start(name, user, core_registry.new_password(), host_port=host_port, lesson=lesson.current())
    started[reg.address] = reg
    shown = [core_registry.htpasswd_cli(user), *reg.cli]  # the toolkit writes it with bcrypt
    return Result(shown, reg, f"{name}  running at {reg.address}, login required (user {user}, "
                            f"password generated for this session, not shown)")


@offline_in
def login(registry: str, user: str, password: str) -> Result:
    """``docker login REGISTRY``: checks the credentials and keeps them for later pushes."""
    cmd = f"docker login {registry} -u {user} --password-stdin"
    try:
        _logins[registry] = core_registry.login(registry, user, password)
    except core_registry.LoginFailed as e:
        _logins.pop(registry, None)
        return Result([cmd], False, e.as_text().replace("\n  while running: " + e.command, ""))
    return Result([cmd], True, "Login Succeeded")


def logout(registry: str) -> Result:
    """``docker logout REGISTRY``: forget the credentials."""
    _logins.pop(registry, None)
    return Result([f"docker logout {registry}"], None, f"Removing login credentials for {registry}")


@offline_in
def push(ref: str) -> Result:
    """``docker push REF`` with the login kept for its registry (anonymous without one).
    A refusal is a result (value False, the registry's reason), not an exception."""
    auth = _logins.get(names.registry_of(ref))
    try:
        pushed = core_registry.push(ref, auth)
    except core_registry.PushRefused as e:
        return Result([e.command], False, f"{e.message}\n  hint: {e.hint}")
    facts = pushed.extra
    if not facts["layers_reported"]:
        return Result(pushed.cli, True, f"pushed {ref} ({pushed.value or 'no digest'}); Podman "
                                        "reports no per-layer progress, so which layers were sent is unknown")
    return Result(pushed.cli, True, f"pushed {ref}: {facts['sent']} layers sent, "
                                    f"{facts['present']} already in the registry")


@offline_in
def catalog(registry: str) -> Result:
    """The registry's repositories (``GET /v2/_catalog``) with the kept login."""
    auth = _logins.get(registry)
    repos = core_registry.catalog(registry, auth.user if auth else None, auth.password if auth else None)
    return Result([f"curl -u USER http://{registry}/v2/_catalog"], repos, "repositories: " + ", ".join(repos))


@offline_in
def registry_tags(registry: str, repo: str) -> Result:
    auth = _logins.get(registry)
    found = core_registry.tags(registry, repo, auth.user if auth else None, auth.password if auth else None)
    return Result([f"curl -u USER http://{registry}/v2/{repo}/tags/list"], found, f"{repo} tags: {', '.join(found)}")
