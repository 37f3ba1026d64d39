"""Imports point one way: no import circles, the kernel (bot/) imports no feature, one feature = one package."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import imports  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture(scope="module")
def graph() -> imports.Graph:
    return imports.build(ROOT)


def test_the_graph_sees_function_level_imports_but_not_type_checking_ones(tmp_path: Path) -> None:
    for package in imports.PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "bot" / "a.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from bot import b\n"
        "def f():\n    from handlers import c\n")
    (tmp_path / "bot" / "b.py").write_text("from . import a\n")
    (tmp_path / "handlers" / "c.py").write_text("import bot.b\n")
    graph = imports.build(tmp_path)
    assert graph.edges["bot.a"] == {"handlers.c"}
    assert graph.edges["bot.b"] == {"bot.a"}
    assert imports.circles(graph) == [["bot.a", "bot.b", "handlers.c"]]
    assert imports.kernel_to_feature(graph) == [("bot.a", "handlers.c")]


def test_no_module_is_in_an_import_circle(graph: imports.Graph) -> None:
    assert imports.circles(graph) == []


def test_the_kernel_imports_no_feature_outside_the_composition_root(graph: imports.Graph) -> None:
    assert imports.kernel_to_feature(graph) == []


def test_each_feature_is_one_package_declared_once_in_the_registry(graph: imports.Graph) -> None:
    from bot import registry

    assert sorted(p.name for p in (ROOT / "handlers").iterdir() if p.suffix == ".py") == ["__init__.py"]
    packages = sorted(p.name for p in (ROOT / "handlers").iterdir() if (p / "__init__.py").exists())
    declared = sorted(name for name in graph.lines if name.startswith("handlers.") and name.endswith(".feature"))
    assert declared == [f"handlers.{package}.feature" for package in packages]
    assert len(registry.FEATURES) == len(packages) == len({f.name for f in registry.FEATURES})
    # Only the composition root imports the features' declarations.
    importers = {source for source, targets in graph.edges.items() for target in targets if target in declared}
    assert importers == {"bot.registry"}


def test_handlers_use_the_narrow_context_never_the_process_services() -> None:
    """Context.knowledge / matcher() / is_menu_word(), not ctx.services.* (a service locator)."""
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "handlers").rglob("*.py")
                 if "ctx.services" in path.read_text(encoding="utf-8")]
    assert offenders == []


def test_every_flow_names_its_states_in_an_enum() -> None:
    from bot import registry
    """Declared flows: each state a feature answers is a FlowState member (or the contact sub-flow's)."""
    loose = []
    for feature in registry.FEATURES:
        for routes in feature.flows:
            named = {str(s) for enum in routes.flow_states for s in enum}
            loose += [s for s in routes.states if s not in named and not s.endswith((".contact_name", ".contact_phone"))]
    assert loose == []
