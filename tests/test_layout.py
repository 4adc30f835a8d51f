"""The house's layout (STYLE.md): imports run one way, downward.

The app factory → the console (`admin/`) and the pages → the areas → `accounts/`, `audit.py`
→ the shared plumbing at the top of `backend/`. Shared plumbing imports no area (an area
registers with it instead: backend/memory.py), no area imports the console or the pages,
and two areas never import each other's models.
"""

from __future__ import annotations

import ast
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[1] / "backend"
CONSOLE_AND_PAGES = {"admin", "pages"}
AREAS = {"selfcheck", "guide", "helplines", "reminders", "toolkit"}
PACKAGES = {p.name for p in BACKEND.iterdir() if (p / "__init__.py").exists()} - {"translations"}


def imported_modules(path: Path) -> set[str]:
    """Every `backend.…` module a file imports, at any depth (inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.startswith("backend.")}


def package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in PACKAGES else None


def imports_by_file() -> dict[str, set[str]]:
    return {
        path.relative_to(BACKEND.parent).as_posix(): imported_modules(path)
        for path in sorted(BACKEND.rglob("*.py"))
        if "translations" not in path.parts
    }


def test_shared_plumbing_imports_no_area():
    shared = {
        name: {m for m in modules if package_of(m)}
        for name, modules in imports_by_file().items()
        if name.count("/") == 1 and not name.endswith("__init__.py")
    }
    assert {name: modules for name, modules in shared.items() if modules} == {}


def test_no_area_imports_the_console_or_the_pages():
    upward = {
        name: sorted(m for m in modules if package_of(m) in CONSOLE_AND_PAGES)
        for name, modules in imports_by_file().items()
        if name.split("/")[1] in PACKAGES - CONSOLE_AND_PAGES
    }
    assert {name: modules for name, modules in upward.items() if modules} == {}


def test_areas_never_import_each_others_models():
    crossing = {
        name: sorted(
            m
            for m in modules
            if package_of(m) in AREAS - {name.split("/")[1]} and m.endswith(".models")
        )
        for name, modules in imports_by_file().items()
        if name.split("/")[1] in AREAS
    }
    assert {name: modules for name, modules in crossing.items() if modules} == {}


def test_the_check_sees_imports():
    # The walk must find what a file imports, or the tests above could never fail.
    modules = imports_by_file()
    assert "backend.memory" in modules["backend/helplines/list_cache.py"]
    assert "backend.helplines.list_cache" in modules["backend/__init__.py"]


def test_bench_and_testkit_never_import_the_tests():
    root = BACKEND.parent
    files = sorted([*(root / "bench").glob("*.py"), *(root / "testkit").glob("*.py")])
    assert len(files) > 5
    reaching = {}
    for path in files:
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
        if any(name == "tests" or name.startswith("tests.") for name in names):
            reaching[path.name] = sorted(names)
    assert reaching == {}
