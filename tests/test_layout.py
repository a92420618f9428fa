"""The shape of the code, as docs/architecture.md draws it: every rule there is held here.

The rooms stand in floors. A module may import its own room and the rooms on the floors
below it, never a room beside it or above it; nothing imports the package root (`saylau`,
the public API) but the public API's own users. The command line imports the other rooms
only inside its commands, so that `saylau --help` loads none of them.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import saylau
from tests.conftest import ROOT

SRC = ROOT / "src" / "saylau"
DOC = ROOT / "docs" / "architecture.md"

FLOORS: tuple[tuple[str, ...], ...] = (
    ("errors", "limits", "said", "version"),
    ("law",),
    ("rules",),
    ("registry",),
    ("protocol",),
    ("tabulate",),
    ("inputs",),
    ("results",),
    ("stages",),
    ("analysis", "scenarios"),
    ("io",),
    ("importers",),
    ("report",),
    ("exports",),
    ("pipeline",),
    ("service",),
    ("cli",),
)
"""The floors, from the ground up; rooms on one floor do not import each other."""

FLOOR = {room: level for level, rooms in enumerate(FLOORS) for room in rooms}
CORE = ("law", "rules", "registry", "protocol", "tabulate", "inputs", "results", "stages")
HEAVY = ("sqlalchemy", "fastapi", "starlette", "uvicorn", "playwright", "matplotlib", "pyarrow")


def _room(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0].removesuffix(".py")


def _modules() -> list[Path]:
    return sorted(path for path in SRC.rglob("*.py") if path != SRC / "__init__.py")


def _imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    """The absolute `saylau` modules a file imports (relative imports stay in the room)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.If):  # `if TYPE_CHECKING:` imports cost nothing at run time
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {module for module in found if module == "saylau" or module.startswith("saylau.")}


def test_every_room_stands_on_a_floor() -> None:
    rooms = {_room(path) for path in _modules()}
    assert rooms == set(FLOOR), "docs/architecture.md and FLOORS must name every room"


def test_the_document_draws_the_same_floors() -> None:
    text = DOC.read_text(encoding="utf-8")
    drawn = re.findall(r"^\| (\d+) \| ([^|]+) \|", text, flags=re.MULTILINE)
    floors = [tuple(sorted(r.strip(" `") for r in rooms.split(","))) for _, rooms in drawn]
    assert floors == [tuple(sorted(rooms)) for rooms in FLOORS]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_a_module_imports_only_its_room_and_the_floors_below(path: Path) -> None:
    room = _room(path)
    for module in _imports(path):
        assert module != "saylau", f"{path} imports the package root; import the module itself"
        other = module.split(".")[1]
        if other == room:
            continue
        assert FLOOR[other] < FLOOR[room], (
            f"{path} ({room}, floor {FLOOR[room]}) imports {module} ({other}, floor {FLOOR[other]})"
        )


def test_the_core_does_no_io() -> None:
    forbidden = ("open(", "print(", "os.environ", "datetime.now", "time.time", "random.seed")
    for room in CORE:
        paths = [SRC / f"{room}.py"] if (SRC / f"{room}.py").exists() else (SRC / room).rglob("*")
        for path in paths:
            if path.suffix != ".py" or (room == "law" and path.name == "loader.py"):
                continue  # the loader is the law room's one door to files
            text = path.read_text(encoding="utf-8")
            for word in forbidden:
                assert word not in text, f"{path} uses {word}"


@pytest.mark.parametrize(
    "path", sorted((SRC / "cli").rglob("*.py")), ids=lambda p: str(p.relative_to(SRC))
)
def test_the_command_line_loads_other_rooms_only_inside_its_commands(path: Path) -> None:
    for module in _imports(path, top_level_only=True):
        assert module.startswith("saylau.cli"), f"{path} imports {module} when it is loaded"


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["serve", "--help"]])
def test_help_loads_nothing_but_the_command_line(argv: list[str]) -> None:
    probe = (
        "import sys; from saylau.cli import app\n"
        f"try:\n    app({argv!r})\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = done.stdout.splitlines()[-1].split()
    ours = [m for m in loaded if m.startswith("saylau.") and not m.startswith("saylau.cli")]
    ours.remove("saylau.version")  # the package's one constant, which `import saylau` sets
    assert ours == [], f"saylau {' '.join(argv)} loads {ours}"
    heavy = [m for m in loaded if m.split(".")[0] in HEAVY]
    assert heavy == [], f"saylau {' '.join(argv)} loads {heavy}"


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
