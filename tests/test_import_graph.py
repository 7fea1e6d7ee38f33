"""aehelpers has no import cycles, counting the imports inside functions too.

A cycle works until the day the import order changes (a lazy import turned into a top-level one,
a lesson importing a submodule first) and then fails with a half-initialised module. The graph is
read from the source with ``ast``: no module is imported.
"""

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.tooling  # backend-independent: runs once, in the TensorFlow stage

PACKAGE = Path(__file__).resolve().parents[1] / "aehelpers"
# Edges allowed to close a cycle, each with its reason: (module, target): reason. None today.
ALLOWED = {}


def module_name(path, root=PACKAGE):
    """'aehelpers.exercises.lesson01' for aehelpers/exercises/lesson01.py; the package for __init__.py."""
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def intra_package_imports(path, modules, root=PACKAGE):
    """The modules of ``modules`` (a set of dotted names) that the file ``path`` imports, anywhere in it."""
    me = module_name(path, root)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            # `from . import x` imports the submodule x where there is one, else a name of the package
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            ]
        else:
            continue
        for target in targets:
            while (
                target and target not in modules
            ):  # `import aehelpers.x.y` -> the longest known module
                target = target.rpartition(".")[0]
            if target and target != me:
                found.add(target)
    return found


def import_graph(root=PACKAGE):
    """{module: set of modules it imports} for every .py file of the package ``root``."""
    files = sorted(root.rglob("*.py"))
    modules = {module_name(p, root) for p in files}
    return {module_name(p, root): intra_package_imports(p, modules, root) for p in files}


def find_cycle(graph):
    """One import cycle as a list [a, b, ..., a], or None."""
    state = {}  # module -> "open" while on the path, "done" after

    def visit(module, path):
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                return path[path.index(target) :] + [target]
            if target not in state:
                cycle = visit(target, path + [target])
                if cycle:
                    return cycle
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module, [module])
            if cycle:
                return cycle
    return None


def test_aehelpers_has_no_import_cycle():
    graph = import_graph()
    for module, target in ALLOWED:
        assert target in graph[module], (
            f"{module} no longer imports {target}: remove it from ALLOWED"
        )
        graph[module] = graph[module] - {target}
    cycle = find_cycle(graph)
    assert cycle is None, (
        "import cycle in aehelpers (function-level imports count): " + " -> ".join(cycle)
    )


def test_the_graph_sees_lazy_and_relative_imports(tmp_path):
    """The checker itself: a cycle made only by a lazy import inside a function is found and named."""
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("from .a import f\n")
    (package / "a.py").write_text("from . import b\n\ndef f():\n    return b\n")
    (package / "b.py").write_text("def g():\n    from .sub.c import h\n    return h\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "c.py").write_text("def h():\n    from ..a import f\n    return f\n")
    graph = import_graph(package)
    assert (
        graph["pkg"] == {"pkg.a"}
        and graph["pkg.a"] == {"pkg.b"}
        and graph["pkg.b"] == {"pkg.sub.c"}
    )
    assert find_cycle(graph) == ["pkg.a", "pkg.b", "pkg.sub.c", "pkg.a"]
    (package / "sub" / "c.py").write_text("def h():\n    return 1\n")
    assert find_cycle(import_graph(package)) is None


def test_settings_need_nothing_else_of_the_package():
    """aehelpers.environment is the bottom of the graph: any module may import it."""
    assert import_graph()["aehelpers.environment"] == set()
