"""The shape of the code: layers import only downwards, and no modules import in a circle.

`bot > handlers, scheduler > services > models` (docs/conventions.md). Every import counts,
also one inside a function or under TYPE_CHECKING: a lazy import that runs back up a layer
is still a dependency back up.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("bot", "handlers", "scheduler", "services", "models")

# What each layer may import from (its own layer included). The scheduler stands on the
# handlers' floor: it renders with the neutral core, and the handlers never start it.
ALLOWED: Mapping[str, frozenset[str]] = {
    "models": frozenset({"models"}),
    "services": frozenset({"services", "models"}),
    "handlers": frozenset({"handlers", "services", "models"}),
    "scheduler": frozenset({"scheduler", "handlers", "services", "models"}),
    "bot": frozenset(LAYERS),
}


def module_name(path: Path, root: Path) -> str:
    """`services/draw/engine.py` -> `services.draw.engine`; a package is its folder."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def collect(root: Path) -> dict[str, Path]:
    """Every module of the layers under `root`, by name."""
    modules: dict[str, Path] = {}
    for layer in LAYERS:
        for path in sorted((root / layer).rglob("*.py")):
            modules[module_name(path, root)] = path
    return modules


def _resolve(target: str, modules: Mapping[str, Path]) -> str | None:
    """The module an imported name lives in: the longest known prefix of `target`."""
    parts = target.split(".")
    for end in range(len(parts), 0, -1):
        name = ".".join(parts[:end])
        if name in modules:
            return name
    return None


def imports_of(name: str, path: Path, modules: Mapping[str, Path]) -> Iterator[tuple[int, str]]:
    """(line, module) for every import of one of our modules in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from pkg import mod` imports the module; `from mod import name`, the module.
            targets = [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            if target.split(".")[0] not in LAYERS:
                continue
            resolved = _resolve(target, modules)
            if resolved is not None and resolved != name:
                yield node.lineno, resolved


def graph(root: Path) -> tuple[dict[str, set[str]], list[str]]:
    """The import graph of our modules, and every import that runs back up a layer."""
    modules = collect(root)
    edges: dict[str, set[str]] = {name: set() for name in modules}
    upward: list[str] = []
    for name, path in modules.items():
        for line, target in imports_of(name, path, modules):
            edges[name].add(target)
            if not _may_import(name, target):
                upward.append(f"{path.relative_to(root)}:{line} imports {target}")
    return edges, upward


def _may_import(name: str, target: str) -> bool:
    if target.split(".")[0] not in ALLOWED[name.split(".")[0]]:
        return False
    if name.startswith("handlers.core.") and target.startswith("handlers."):
        # The neutral core knows no subject, except the subjects' text catalogs (leaf data).
        return target.startswith("handlers.core.") or target.endswith(".texts")
    if name.startswith("services.common.") and target.startswith("services."):
        # What every subject uses stands below all of them.
        return target.startswith("services.common.")
    return True


def cycles(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def test_no_module_imports_from_a_layer_above_it() -> None:
    _, upward = graph(ROOT)
    assert upward == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    edges, _ = graph(ROOT)
    assert cycles(edges) == []


def test_services_are_packages_by_subject() -> None:
    loose = [p.name for p in (ROOT / "services").glob("*.py") if p.name != "__init__.py"]
    assert loose == []


def _copy_tree(tmp_path: Path) -> Path:
    for layer in LAYERS:
        for path in (ROOT / layer).rglob("*.py"):
            target = tmp_path / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    return tmp_path


def _handler_modules() -> list[str]:
    return sorted(
        module_name(p, ROOT)
        for p in (ROOT / "handlers").rglob("*.py")
        if p.name not in ("__init__.py", "texts.py")
    )


@pytest.mark.parametrize("handler", _handler_modules())
def test_an_upward_import_added_to_any_handler_is_caught(tmp_path: Path, handler: str) -> None:
    root = _copy_tree(tmp_path)
    path = root / (handler.replace(".", "/") + ".py")
    path.write_text(
        path.read_text(encoding="utf-8") + "\n\ndef _late() -> None:\n    from bot import app\n"
    )
    _, upward = graph(root)
    assert [line for line in upward if "imports bot.app" in line] != []


def test_a_cycle_added_between_two_services_is_caught(tmp_path: Path) -> None:
    root = _copy_tree(tmp_path)
    clock = root / "services" / "common" / "clock.py"
    clock.write_text(clock.read_text(encoding="utf-8") + "\nfrom services.common import dates\n")
    dates = root / "services" / "common" / "dates.py"
    dates.write_text(dates.read_text(encoding="utf-8") + "\nfrom services.common import clock\n")
    edges, _ = graph(root)
    assert ["services.common.clock", "services.common.dates"] in cycles(edges)


def test_a_subject_imported_by_the_neutral_core_is_caught(tmp_path: Path) -> None:
    root = _copy_tree(tmp_path)
    router = root / "handlers" / "core" / "router.py"
    router.write_text(router.read_text(encoding="utf-8") + "\nfrom handlers.records import flow\n")
    _, upward = graph(root)
    assert any(
        "handlers/core/router.py" in line and "handlers.records.flow" in line for line in upward
    )


def _packages(layer: str) -> list[Path]:
    return sorted(
        p.parent
        for p in (ROOT / layer).rglob("__init__.py")
        if p.parent != ROOT / layer and "__pycache__" not in p.parts
    )


def _section(doc: str, layer: str) -> list[str]:
    """The lines of conventions.md from the one that opens with `layer/` to the next blank."""
    lines = doc.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"`{layer}/`"))
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start:end]


@pytest.mark.parametrize("layer", ["services", "handlers"])
def test_conventions_name_every_package_on_its_own_line(layer: str) -> None:
    section = _section((ROOT / "docs" / "conventions.md").read_text(encoding="utf-8"), layer)
    missing = []
    for package in _packages(layer):
        # A top-level package has its line, `- \`draw/\`: ...`; a nested one is named in
        # its parent's (`imports/`).
        name = package.relative_to(ROOT / layer).as_posix()
        if package.parent == ROOT / layer:
            found = any(line.startswith(f"- `{name}/`:") for line in section)
        else:
            found = any(f"`{package.name}/`" in line for line in section)
        if not found:
            missing.append(name)
    assert missing == []
