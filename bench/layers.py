"""The package's import graph in three figures: circles, floors and climbs.

    python bench/layers.py [ARGV...]      (default ARGV: show ucsf-cree-rct)

- **Circles**: groups of modules that import each other round (strongly connected components of
  more than one module). Every `from . import x` counts, at the top of a file or inside a function;
  an import under `if TYPE_CHECKING:` does not (as in the import-linter contracts).
- **Floors**: the number of modules on the longest import path, once each circle is taken as one
  module; printed for modules and for rooms (a subpackage such as `claims/` taken as one room,
  its inner imports left out). A package whose layers import only downwards has as many floors
  as layers. Also the longest import chain that repeats no room (the figure a circle inflates).
- **Climbs**: run ARGV in this process (through the same `__main__._run` the `ldn` command uses)
  and count the calls from a function of one module into a function of another module that does
  not lie below it (higher floor, or the same circle). A value that walks down once climbs 0 times.

Nothing here asserts; `lint-imports` (the contract in pyproject.toml) is what keeps the order.
"""

from __future__ import annotations

import ast
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ldn_evidence"
NAME = "ldn_evidence"


def module_name(path: Path) -> str:
    """`ldn_evidence/claims/report.py` -> `ldn_evidence.claims.report`; a package is its `__init__`."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _walk(tree: ast.AST) -> list[ast.AST]:
    """Every node, leaving out `if TYPE_CHECKING:` blocks (an import for annotations is no dependency at run time)."""
    found: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        found.append(node)
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return found


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that `path` imports anywhere in it (top level or inside functions)."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in _walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            # The deepest module of the package this name reaches (a name may be a function).
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != here and name != NAME:
                found.add(name)
    return found


def graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports."""
    files = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(f) for f in files}
    return {module_name(f): imports_of(f, modules) for f in files}


def rooms(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph with each subpackage taken as one room (`claims.checks` -> `claims`), edges inside a room dropped."""

    def room(module: str) -> str:
        return ".".join(module.split(".")[:2])

    out: dict[str, set[str]] = {}
    for m, targets in edges.items():
        out.setdefault(room(m), set()).update(room(t) for t in targets if room(t) != room(m))
    return out


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []
    sys.setrecursionlimit(10_000)

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def floors(edges: dict[str, set[str]]) -> dict[str, int]:
    """Each module's floor: 1 + the highest floor it imports, a circle counted as one module."""
    group_of = {m: m for m in edges}
    for group in circles(edges):
        for m in group:
            group_of[m] = group[0]
    down: dict[str, set[str]] = {}
    for m, targets in edges.items():
        down.setdefault(group_of[m], set()).update(group_of[t] for t in targets if group_of[t] != group_of[m])
    memo: dict[str, int] = {}

    def height(g: str) -> int:
        if g not in memo:
            memo[g] = 1 + max((height(t) for t in down.get(g, ())), default=0)
        return memo[g]

    return {m: height(group_of[m]) for m in edges}


def climbs(argv: list[str], floor: dict[str, int], group: dict[str, str]) -> Counter[tuple[str, str]]:
    """(caller module, callee module) -> how many calls went up (or across a circle) while running argv."""
    counted: Counter[tuple[str, str]] = Counter()

    def profile(frame, event, arg):  # type: ignore[no-untyped-def]
        if event != "call":
            return
        callee = frame.f_globals.get("__name__", "")
        caller_frame = frame.f_back
        if caller_frame is None or callee not in floor:
            return
        caller = caller_frame.f_globals.get("__name__", "")
        if caller not in floor or caller == callee:
            return
        if floor[callee] > floor[caller] or (group[callee] == group[caller]):
            counted[(caller, callee)] += 1

    from ldn_evidence import __main__ as entry

    sys.stdout.flush()
    sys.stderr.flush()
    saved = (os.dup(1), os.dup(2))
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    sys.setprofile(profile)
    try:
        entry._run(argv)
    finally:
        sys.setprofile(None)
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
    return counted


def longest_chain(edges: dict[str, set[str]]) -> list[str]:
    """The longest import chain that visits no module twice (the graph is small: a plain search)."""
    best: list[str] = []

    def walk(path: list[str], seen: set[str]) -> None:
        nonlocal best
        if len(path) > len(best):
            best = list(path)
        for nxt in sorted(edges[path[-1]]):
            if nxt not in seen:
                seen.add(nxt)
                path.append(nxt)
                walk(path, seen)
                path.pop()
                seen.discard(nxt)

    for start in sorted(edges):
        walk([start], {start})
    return best


def main() -> None:
    argv = sys.argv[1:] or ["show", "ucsf-cree-rct"]
    edges = graph()
    found = circles(edges)
    floor = floors(edges)
    group = {m: m for m in edges}
    for g in found:
        for m in g:
            group[m] = g[0]
    print(f"modules: {len(edges)}")
    print(f"circles: {len(found)}")
    for g in found:
        print("  " + " <-> ".join(m.removeprefix(NAME + ".") for m in g))
    print(f"floors (modules): {max(floor.values())}")
    by_room = rooms(edges)
    room_floor = floors(by_room)
    print(f"circles (rooms: a subpackage taken as one): {len(circles(by_room))}")
    print(f"floors (rooms): {max(room_floor.values())}")
    for level in range(max(room_floor.values()), 0, -1):
        names = sorted(m.removeprefix(NAME + ".") for m, f in room_floor.items() if f == level)
        print(f"  {level:2d}: {' '.join(names)}")
    chain = longest_chain(by_room)
    print(f"longest import chain without a repeat (rooms): {len(chain)}")
    print("  " + " -> ".join(m.removeprefix(NAME + ".") for m in chain))
    up = climbs(argv, floor, group)
    print(f"climbs of `ldn {' '.join(argv)}`: {sum(up.values())} calls, {len(up)} distinct")
    for (caller, callee), n in sorted(up.items()):
        print(f"  {caller.removeprefix(NAME + '.')} -> {callee.removeprefix(NAME + '.')}: {n}")


if __name__ == "__main__":
    main()
