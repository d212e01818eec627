"""No import circle anywhere in the package.

The graph has one node per module of `lstm_explainer` and an edge for every import statement
in its source, at module level or inside a function (`lstm_explainer.disk_cache._imports`
resolves relative imports; ``from . import x`` in a subpackage imports that subpackage's
``__init__`` too). Importing ``a.b.c`` also runs ``a.b``'s ``__init__``, so that is an edge
as well, unless ``a.b`` is a package the importing module is itself in (it always runs first).
"""

from lstm_explainer.disk_cache import PACKAGE, PACKAGE_DIR, _imports


def module_names() -> list[str]:
    """Every module of the package, from its files (nothing is imported to list them)."""
    names = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = (PACKAGE, *path.relative_to(PACKAGE_DIR).with_suffix("").parts)
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def parents(module: str) -> set[str]:
    """The packages ``module`` is in: ``a.b.c`` -> {``a``, ``a.b``}."""
    parts = module.split(".")
    return {".".join(parts[:n]) for n in range(1, len(parts))}


def import_graph() -> dict[str, set[str]]:
    """module -> the package modules its source imports."""
    graph = {}
    for module in module_names():
        imported = _imports(module)
        implied = set().union(*(parents(name) for name in imported)) - parents(module) if imported else set()
        graph[module] = (imported | implied) - {module}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of ``graph`` as ``[a, b, ..., a]``, or None (depth-first search)."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" once fully explored
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_package_has_no_import_circle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import circle: " + " -> ".join(cycle)


def test_the_graph_sees_imports_in_functions_and_relative_ones():
    graph = import_graph()
    assert "lstm_explainer.sitegen.pages" in graph["lstm_explainer.sitegen.mkdocs_hook"]  # inside functions
    assert "lstm_explainer.figures.base" in graph["lstm_explainer.sitegen.pages"]  # from ..figures.base import
    assert "lstm_explainer.sitegen" in graph["lstm_explainer.sitegen.pages"]  # from . import build_numbers


def test_the_cycle_finder_finds_a_circle_and_says_where():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None
