"""The package's layout is the pipeline: read → render → generate → (engine) → finish,
with the engine adapters and the command line on top. Tested on the import graph
itself (every import, also those inside functions), so a shortcut fails here.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "macros"
# Lower layers never import higher ones. The adapters (engines/) sit above finish: under
# `make serve` the engine's server calls them, and they run generate and finish.
LAYERS = ["read", "render", "offline", "generate", "finish", "engines", "cli"]
ENGINE_MODULES = ("mkdocs", "properdocs", "material", "mkdocs_macros")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module a file imports, absolute (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(here[: len(here) - node.level + 1]) if node.level else ""
            name = ".".join(p for p in (base, node.module or "") if p)
            found.add(name)
            found.update(f"{name}.{alias.name}" for alias in node.names)  # `from macros.x import y` may be a module
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def graph() -> dict[str, set[str]]:
    return {name: {m for m in imports(path) if m in MODULES and m != name} for name, path in MODULES.items()}


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_every_module_belongs_to_a_step():
    loose = [m for m in MODULES if layer(m) is None and m not in ("macros", "macros.__main__")]
    assert loose == [], f"modules outside the pipeline's folders: {loose}"


def test_no_module_imports_from_a_later_step():
    wrong = [f"{m} imports {d}" for m, deps in graph().items() for d in sorted(deps)
             if layer(m) is not None and layer(d) is not None and layer(d) > layer(m)]
    assert wrong == []


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None
    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle():
    assert find_cycle(graph()) is None, " -> ".join(find_cycle(graph()) or [])


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("engine", ENGINE_MODULES)
def test_only_the_adapter_imports_the_engine(engine):
    users = sorted(name for name, path in MODULES.items()
                   if any(m == engine or m.startswith(engine + ".") for m in imports(path)))
    assert all(u.startswith("macros.engines.") for u in users), users


def test_the_import_reader_sees_imports_inside_functions(tmp_path):
    path = PACKAGE / "engines" / "mkdocs_hooks.py"
    assert "macros.finish.step" in imports(path) and "mkdocs.exceptions" in imports(path)
