"""The package's layers, as ARCHITECTURE.md draws them: imports only go from a layer to the ones above it.

    core (errors, parallel, atomicio) -> datasets -> methods (one package a critique) -> figures -> publish

A method package may import another method package (claims reads detection shares), but no layer
imports one below it, no two modules import each other, and no module grows past about 400 lines.
"""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "critique"
LAYERS = {"core": 0, "datasets": 1, "methods": 2, "figures": 3, "publish": 4,
          "__main__": 4}  # python -m critique is the CLI
MAX_LINES = 420


def _layer(top: str) -> int:
    if top not in LAYERS:
        raise AssertionError(f"src/critique/{top}: not in any layer; add it to ARCHITECTURE.md and this test")
    return LAYERS[top]


def _modules() -> dict[str, Path]:
    out = {}
    for path in PKG.rglob("*.py"):
        parts = path.relative_to(PKG).with_suffix("").parts
        name = ".".join(("critique",) + parts).removesuffix(".__init__")
        out[name] = path
    return out


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every critique module ``path`` imports, at any depth of the file (late imports count too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name.startswith("critique.") and name != "critique":
                found.add(name)
    return found


def test_top_level_shows_the_layers():
    entries = sorted(p.name.removesuffix(".py") for p in PKG.iterdir()
                     if p.name != "__pycache__" and p.name != "__init__.py" and p.suffix in {"", ".py"})
    # the top level is the layers and nothing else; a new module goes inside one of them
    assert entries == ["__main__", "core", "datasets", "figures", "methods", "publish"], entries


def test_every_method_package_lives_in_methods():
    methods = sorted(p.name for p in (PKG / "methods").iterdir() if (p / "__init__.py").exists())
    assert methods == ["claims", "coverage", "detection", "identification", "misid", "mse", "policy",
                       "reconcile", "revisions", "scorecards", "tip"]


def test_no_import_goes_up_a_layer():
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        here = _layer(name.split(".")[1]) if name != "critique" else 0
        for target in _imports(path, modules):
            if _layer(target.split(".")[1]) > here:
                wrong.append(f"{name} imports {target}")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_circle():
    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        for target in _imports(path, modules):
            # a package's __init__ importing its own submodules is the package's public face, not a circle
            if target != name and not target.startswith(name + "."):
                graph.add_edge(name, target)
    cycles = [c for c in nx.simple_cycles(graph) if len(c) > 1]
    assert not cycles, cycles[:5]


@pytest.mark.parametrize("path", sorted(PKG.rglob("*.py")), ids=lambda p: str(p.relative_to(PKG)))
def test_no_module_over_about_400_lines(path):
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{path.relative_to(PKG)}: {n} lines (split it along its seams)"
