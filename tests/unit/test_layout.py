"""The package's shape, checked: one engine boundary, dependencies pointing down, small modules.

Layers (a module may import its own layer and those below it):
    engine < session < commands < host, reads < verbs, course, kit < widgets < cli < the package root
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "dockerlab"
RANK = {"engine": 0, "session": 1, "commands": 2, "host": 3, "reads": 3, "verbs": 4, "course": 4, "kit": 4,
        "widgets": 5, "cli": 6}
TOP = 7  # dockerlab/__init__.py, __main__.py, magic
DOCKER_PY = ("docker", "requests", "urllib3")
MAX_LINES = 350


def modules() -> list[Path]:
    return sorted(p for p in PKG.rglob("*.py"))


def layer(path: Path) -> tuple[str, int]:
    rel = path.relative_to(PKG).parts
    name = rel[0] if len(rel) > 1 else rel[0].removesuffix(".py")
    return name, RANK.get(name, TOP)


def imported(path: Path) -> list[tuple[str, int]]:
    """(absolute module name, line) of every import in ``path``, relative ones resolved."""
    tree = ast.parse(path.read_text())
    package = ".".join(("dockerlab", *path.relative_to(PKG).parts[:-1]))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out += [(f"{mod}.{a.name}" if not node.module and node.level else mod, node.lineno) for a in node.names]
    return out


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PKG)))
def test_dependencies_point_down(path):
    here, rank = layer(path)
    for mod, line in imported(path):
        parts = mod.split(".")
        if parts[0] != "dockerlab" or len(parts) < 2:
            continue
        target = parts[1]
        if target in RANK or target in ("magic",):
            there = RANK.get(target, TOP)
            assert there <= rank, f"{path.relative_to(PKG)}:{line} ({here}) imports {mod} ({target}): upward"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PKG)))
def test_only_the_engine_imports_docker_py(path):
    if layer(path)[0] == "engine":
        return
    for mod, line in imported(path):
        assert mod.split(".")[0] not in DOCKER_PY, f"{path.relative_to(PKG)}:{line} imports {mod}"


def test_no_private_docker_py_calls_or_class_swaps_outside_the_engine_client():
    private = re.compile(r"\._(get|post|put|delete|url|raise_for_status|stream_helper|result|version|"
                         r"get_raw_response_socket|multiplexed_\w+|read_from_socket)\(")
    for path in modules():
        text = path.read_text()
        assert not re.search(r"\.__class__\s*=", text), f"{path}: a live object's class is swapped"
        if path != PKG / "engine" / "client.py":
            assert not private.search(text), f"{path}: calls a private docker-py method"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PKG)))
def test_modules_stay_small(path):
    assert len(path.read_text().splitlines()) <= MAX_LINES, f"{path.relative_to(PKG)}: one job per file"


def test_one_list_of_builtin_networks_and_one_reference_parser():
    for path in modules():
        text = path.read_text()
        if path.name == "names.py":
            continue
        assert not re.search(r"[\"']bridge[\"'],\s*[\"']host[\"'],\s*[\"']none[\"']", text), \
            f"{path}: a copy of the engine's network names (use engine.names.BUILTIN_NETWORKS)"
        assert "parse_repository_tag" not in text and "split_repo_name" not in text, \
            f"{path}: image references are parsed in engine/names.py"
