"""The import graph of the bot's own packages: circles, kernel→feature edges, largest modules.

Usage: python tools/imports.py [--root DIR]

Every import counts, function-level ones too; imports inside an `if TYPE_CHECKING:` block do not.
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

PACKAGES = ("bot", "handlers", "reminders", "knowledge")
KERNEL = "bot"
FEATURES = ("handlers", "reminders")
# The composition root: the only kernel modules allowed to see every feature: the registry, the app
# factory (and `bot`, gunicorn's entry), the CLI (`python -m bot`; `serve` runs web and clock in one).
COMPOSITION_ROOT = frozenset({"bot", "bot.registry", "bot.app", "bot.cli", "bot.__main__", "bot.commands.server"})


@dataclass
class Graph:
    """Modules of the bot's packages, their line counts and the imports between them."""

    lines: dict[str, int] = field(default_factory=dict)
    edges: dict[str, set[str]] = field(default_factory=dict)


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every name imported anywhere in a module, skipping `if TYPE_CHECKING:` bodies."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join(package + ([base] if base else []))
            # "from bot.store import cases" imports the module bot.store.cases; "from bot import x"
            # imports bot (x being a value): resolved against the known modules in build().
            found.update(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def build(root: Path) -> Graph:
    """Parse every module under the bot's packages into a graph of module → imported modules."""
    graph = Graph()
    sources: dict[str, tuple[ast.AST, bool]] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            name = module_name(root, path)
            text = path.read_text(encoding="utf-8")
            graph.lines[name] = len(text.splitlines())
            sources[name] = (ast.parse(text, filename=str(path)), path.name == "__init__.py")
    for name, (tree, is_package) in sources.items():
        targets = set()
        for imported in _imported(tree, name, is_package):
            # Keep the longest known module for each import.
            while imported and imported not in graph.lines:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph.edges[name] = targets
    return graph


def circles(graph: Graph) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph.edges):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.edges.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found, key=lambda c: (-len(c), c))


def top(name: str) -> str:
    return name.split(".")[0]


def kernel_to_feature(graph: Graph) -> list[tuple[str, str]]:
    """Imports from a kernel module (outside the composition root) into a feature package, or into the
    composition root (which would hand it every feature at one remove)."""
    return sorted(
        (source, target)
        for source, targets in graph.edges.items()
        if top(source) == KERNEL and source not in COMPOSITION_ROOT
        for target in targets
        if top(target) in FEATURES or target in COMPOSITION_ROOT
    )


def package_edges(graph: Graph) -> set[tuple[str, str]]:
    """Which top-level packages import which."""
    return {
        (top(s), top(t)) for s, targets in graph.edges.items() for t in targets if top(s) != top(t)
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--largest", type=int, default=10)
    args = parser.parse_args(argv)
    graph = build(args.root)
    found = circles(graph)
    print(f"modules: {len(graph.lines)}, imports: {sum(map(len, graph.edges.values()))}")
    print(f"\nimport circles (strongly connected components): {len(found)}")
    for component in found:
        print(f"  [{len(component)}] " + " ".join(component))
    edges = kernel_to_feature(graph)
    print(f"\nkernel → feature imports (outside {', '.join(sorted(COMPOSITION_ROOT))}): {len(edges)}")
    for source, target in edges:
        print(f"  {source} → {target}")
    print("\npackage → package: " + ", ".join(f"{s}→{t}" for s, t in sorted(package_edges(graph))))
    print(f"\nlargest modules:")
    for name, count in sorted(graph.lines.items(), key=lambda kv: -kv[1])[: args.largest]:
        print(f"  {count:5} {name}")
    return 1 if found or edges else 0


if __name__ == "__main__":
    sys.exit(main())
