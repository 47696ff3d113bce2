"""The package's layout rules, read from the source: imports point one way and modules stay small.

cli → features (render, formats, contribute, website, linkcheck) → catalog core. Every import
counts, including those inside functions or under TYPE_CHECKING, so no cycle can hide.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest
from readme_kit import REPO

PACKAGE = REPO / "src" / "ai4radiology"
# A package imports from lower layers only (and from itself); the root package (ai4radiology/__init__.py:
# the version) is below everything.
LAYERS = [{"catalog"}, {"render"}, {"formats"}, {"contribute", "website", "linkcheck"}, {"cli"}, {"__main__"}]
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every ai4radiology module `path` imports, relative imports resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            # `from ai4radiology.catalog import messages` imports the module catalog.messages
            found.update(
                f"{target}.{alias.name}" if _is_module(f"{target}.{alias.name}") else target for alias in node.names
            )
    return {module for module in found if module.split(".")[0] == "ai4radiology"}


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
IMPORTS = {name: imported_modules(path) for name, path in MODULES.items()}


def subpackage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer(package: str) -> int:
    return next(i for i, members in enumerate(LAYERS) if package in members)


def test_every_subpackage_has_a_layer():
    assert {subpackage(m) for m in MODULES} - {""} <= set().union(*LAYERS)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_the_layers(module):
    """A package imports only from itself and lower layers: the catalog core knows no feature, no one knows cli."""
    own = subpackage(module)
    upward = sorted(
        target
        for target in IMPORTS[module]
        if subpackage(target) not in ("", own) and layer(subpackage(target)) >= layer(own)
    )
    assert upward == [], f"{module} imports {upward}"


def test_the_catalog_core_imports_no_feature():
    features = {"render", "formats", "website", "contribute", "linkcheck", "cli"}
    offending = {m: t for m in IMPORTS if subpackage(m) == "catalog" for t in IMPORTS[m] if subpackage(t) in features}
    assert offending == {}


def test_no_import_cycles_between_modules():
    graph = {module: {t for t in targets if t in MODULES and t != module} for module, targets in IMPORTS.items()}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_modules_stay_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines; split it (see ARCHITECTURE.md)"
