"""The shape of the code: which rooms may import which, and a small public surface."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import saylau
from tests.conftest import ROOT

SRC = ROOT / "src" / "saylau"
CORE = (
    "law",
    "rules",
    "registry",
    "protocol",
    "tabulate",
    "stages",
    "results.py",
    "limits.py",
)
EDGES = ("io", "report", "service", "cli")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _files(room: str) -> list[Path]:
    """A room's modules: a package's files, or a single module such as results.py."""
    return [SRC / room] if room.endswith(".py") else sorted((SRC / room).rglob("*.py"))


@pytest.mark.parametrize("room", CORE)
def test_the_core_never_imports_the_edges(room: str) -> None:
    for path in _files(room):
        for module in _imports(path):
            for edge in EDGES:
                assert not module.startswith(f"saylau.{edge}"), f"{path} imports {module}"


def test_analysis_stands_on_the_core_and_never_on_the_edges() -> None:
    for path in _files("analysis"):
        for module in _imports(path):
            for edge in EDGES:
                assert not module.startswith(f"saylau.{edge}"), f"{path} imports {module}"


def test_rules_import_only_law_errors_and_rules() -> None:
    allowed = ("saylau.law", "saylau.errors", "saylau.rules", "saylau.limits")
    for path in (SRC / "rules").rglob("*.py"):
        for module in _imports(path):
            if module.startswith("saylau"):
                assert module.startswith(allowed), f"{path} imports {module}"


def test_the_core_does_no_io() -> None:
    forbidden = ("open(", "print(", "os.environ", "datetime.now", "time.time", "random.seed")
    for room in CORE:
        for path in _files(room):
            text = path.read_text(encoding="utf-8")
            if room == "law" and path.name == "loader.py":
                continue  # the loader is the law room's one door to files
            for word in forbidden:
                assert word not in text, f"{path} uses {word}"


def test_modules_stay_small() -> None:
    for path in SRC.rglob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 400, f"{path} has {lines} lines; split it"


def test_public_names_are_locked() -> None:
    assert sorted(saylau.__all__) == sorted(
        [
            "METHODS",
            "Allocation",
            "InputError",
            "Law",
            "LawError",
            "ListEntry",
            "RuleError",
            "RuleMissing",
            "SaylauError",
            "SeatsUnallocatable",
            "TieUnresolved",
            "__version__",
            "allocate",
            "allocate_list_tier",
            "run",
            "bundled_law_names",
            "compare",
            "forensics",
            "load_law",
        ]
    )
    for name in saylau.__all__:
        assert hasattr(saylau, name)
