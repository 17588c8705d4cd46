"""Import layering: no cycles between fcfinance modules, lower layers free of upper ones, api only re-exports.

The graph is read from the source (ast), so imports inside functions count
as much as those at the top of a module.  Importing ``a.b.c`` runs
``a/__init__`` and ``a/b/__init__`` first, so an import of a submodule also
counts as an import of each package above it (except the root package,
which no module inside imports, and the importer's own packages, which are
already being imported).  Imports under ``if TYPE_CHECKING:`` never run and
are left out.
"""

from __future__ import annotations

import ast
import functools
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "fcfinance"

LOWER = ["fcfinance.params", "fcfinance.timeline", "fcfinance.profile", "fcfinance.lines", "fcfinance.names",
         "fcfinance.effects", "fcfinance.engine", "fcfinance.metrics", "fcfinance.irr", "fcfinance.kernel",
         "fcfinance.components"]
UPPER = ["fcfinance.scenario", "fcfinance.montecarlo", "fcfinance.report", "fcfinance.review", "fcfinance.api",
         "fcfinance.cli", "fcfinance.result"]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """fcfinance modules named by any import statement in the file (top level or nested)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(block.test) for n in ast.walk(block)}
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("fcfinance")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("fcfinance"):
                continue
            found.add(target)
            for alias in node.names:  # `from . import x` may name a submodule
                if (ROOT.parent / Path(*f"{target}.{alias.name}".split("."))).with_suffix(".py").exists() or \
                        (ROOT.parent / Path(*f"{target}.{alias.name}".split(".")) / "__init__.py").exists():
                    found.add(f"{target}.{alias.name}")
    out = set()
    for target in found:  # the packages above a module run first
        parts = target.split(".")
        out |= {".".join(parts[:k]) for k in range(2, len(parts) + 1)}
    parts = name.split(".")
    own = {".".join(parts[:k]) for k in range(1, len(parts) + 1)}
    return out - own


def graph() -> dict[str, set[str]]:
    return _graph(ROOT)


@functools.lru_cache
def _graph(root: Path) -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in root.rglob("*.py")}


def test_no_import_cycles():
    g = graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(g.get(node, ())):
            if nxt not in g:
                continue
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(g):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(c) for c in cycles)


def test_the_cycle_checker_finds_a_cycle(tmp_path, monkeypatch):
    """The checker itself: a two-module cycle written inside functions is reported."""
    pkg = tmp_path / "fcfinance"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from .b import g\n")
    (pkg / "b.py").write_text("def g():\n    from . import a\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", pkg)
    with pytest.raises(AssertionError, match="import cycles"):
        test_no_import_cycles()


def under(name: str, prefixes: list[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


@pytest.mark.parametrize("module", sorted(m for m in graph() if under(m, LOWER)))
def test_lower_layers_import_nothing_above_them(module):
    upward = sorted(t for t in graph()[module] if under(t, UPPER))
    assert not upward, f"{module} imports {upward}"


def test_nothing_inside_imports_api():
    users = sorted(m for m, targets in graph().items() if "fcfinance.api" in targets and m != "fcfinance")
    assert not users, f"modules importing fcfinance.api: {users}"


def test_importing_the_package_draws_no_chart_machinery():
    """``import fcfinance`` sets up no fonts and imports neither matplotlib nor pandas."""
    import subprocess
    import sys

    code = ("import sys, fcfinance; bad = [m for m in ('matplotlib', 'pandas', 'fcfinance.report') "
            "if m in sys.modules]; print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"import fcfinance imported: {out}"


def test_public_names_are_the_functions_whatever_was_imported_first():
    """``fc.solve`` etc. stay functions even after their modules were imported (no module shadows them)."""
    import subprocess
    import sys

    code = ("import fcfinance.cli, fcfinance.solver, fcfinance.sweeps, fcfinance.comparison, fcfinance.stress_cases\n"
            "import fcfinance as fc, inspect\n"
            "print(','.join(n for n in fc.__all__ if n not in ('__version__', 'ScenarioError') "
            "and not inspect.isfunction(getattr(fc, n))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"not functions: {out}"


def test_simulate_accepts_a_path():
    import fcfinance as fc
    from tests.conftest import REFERENCE

    sim = fc.simulate(REFERENCE / "ref-a.yaml", paths=64, seed=1, sampling="random", threads=1)
    assert sim.paths == 64
