"""The tree shows the architecture: few loose modules, and no import cycle between parts.

The layers themselves are import-linter contracts (pyproject.toml, `make lint`); these two
rules are the ones a contract cannot say.
"""

from pathlib import Path

import grimp
import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "trialfinder"
MOST_LOOSE_MODULES = 5


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("trialfinder")


def parts_of(graph, package: str) -> dict[str, str]:
    """Map every module under a package to the child of that package that holds it."""
    depth = package.count(".") + 1
    return {
        module: ".".join(module.split(".")[: depth + 1])
        for module in graph.find_descendants(package)
    }


def cycle_between_parts(graph, package: str) -> list[str]:
    """Return one cycle between the children of a package (as names), or []."""
    owner = parts_of(graph, package)
    edges: dict[str, set[str]] = {}
    for module, part in owner.items():
        for imported in graph.find_modules_directly_imported_by(module):
            target = owner.get(imported)
            if target and target != part:
                edges.setdefault(part, set()).add(target)
    state: dict[str, str] = {}

    def visit(part: str, path: list[str]) -> list[str]:
        state[part] = "open"
        for target in sorted(edges.get(part, ())):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target] if target in path else [part, target]
            if target not in state and (found := visit(target, [*path, target])):
                return found
        state[part] = "done"
        return []

    for part in sorted(edges):
        if part not in state and (found := visit(part, [part])):
            return found
    return []


def test_at_most_five_modules_lie_loose_at_the_root():
    loose = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(loose) <= MOST_LOOSE_MODULES, loose


def test_no_import_cycle_between_the_parts_of_any_package(graph):
    packages = sorted(module for module in graph.modules if graph.find_children(module))
    assert "trialfinder.lib" in packages and "trialfinder.leads" in packages
    cycles = {package: cycle_between_parts(graph, package) for package in packages}
    assert {package: cycle for package, cycle in cycles.items() if cycle} == {}


def test_a_cycle_would_be_found():
    # The check itself: lib.countries imports lib.geo; were geo to import countries back,
    # the two would form a cycle. Simulated on a copy of the graph.
    copy = grimp.build_graph("trialfinder")
    copy.add_import(importer="trialfinder.lib.geo", imported="trialfinder.lib.countries")
    assert set(cycle_between_parts(copy, "trialfinder.lib")) >= {
        "trialfinder.lib.geo",
        "trialfinder.lib.countries",
    }
