"""Every runtime import is a declared dependency, and a plain install (no extras) runs.

Dev extras (pandas, hypothesis, ...) can hide a missing runtime dependency in the test
environment; the second test installs the package into a new virtual environment of its
own, without extras, and runs the main job and `saylau allocate` there.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
import venv
from importlib.metadata import packages_distributions
from pathlib import Path

from tests.conftest import ROOT

SRC = ROOT / "src" / "saylau"


def _declared() -> set[str]:
    """The core's dependencies and those of the runtime extras (service, pdf), not dev's."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    names = set()
    for requirement in project["dependencies"] + extras["service"] + extras["pdf"]:
        name = requirement.split(";")[0]
        for stop in "<>=!~[ ":
            name = name.split(stop)[0]
        names.add(name.strip().lower().replace("_", "-"))
    return names


def _imported() -> set[str]:
    found = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
    return found - {"saylau", "__future__"} - set(sys.stdlib_module_names)


def test_every_third_party_import_is_a_declared_dependency() -> None:
    distributions = packages_distributions()
    imported = _imported()
    assert imported, "the scan found no third-party import at all"
    for module in sorted(imported):
        owners = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
        assert owners & _declared(), f"saylau imports {module}, which pyproject.toml omits"


def test_a_plain_install_runs_the_bundled_elections_without_the_service_or_a_browser(
    tmp_path: Path,
) -> None:
    home = tmp_path / "plain"
    venv.EnvBuilder(with_pip=True).create(home)
    python = home / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    saylau = str(home / "bin" / "saylau")
    run = subprocess.run(
        [saylau, "run", "kz-1999", "--json"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["majilis"]["seats_filled"] == 77
    compiled = subprocess.run(  # the build compiled the message catalogs (hatch_build.py)
        [str(python), "-c", "import saylau.report.i18n as i; print(i.catalog_path('kk', '.mo'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(compiled.stdout.strip()).stat().st_size > 1000, compiled.stdout
    elsewhere = tmp_path / "elsewhere"  # far from the checkout: the data ships in the wheel
    elsewhere.mkdir()
    city = subprocess.run(
        [saylau, "run", "spb-2021", "--json", "-q"],
        capture_output=True,
        text=True,
        check=False,
        cwd=elsewhere,
    )
    assert city.returncode == 0, city.stderr
    assert json.loads(city.stdout)["zaks"]["seats_filled"] == 50
    serve = subprocess.run([saylau, "serve"], capture_output=True, text=True, check=False)
    assert serve.returncode == 2
    assert serve.stderr.strip().splitlines()[-1] == (
        "error: saylau serve needs the service extra: pip install 'saylau[service]'"
    )
    votes = ROOT / "examples" / "kz-1999-list-votes.csv"
    allocate = subprocess.run(
        [saylau, "allocate", str(votes), "--law", "kz-1999-majilis", "--base", "5253864"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert allocate.returncode == 0, allocate.stderr
    assert "otan" in allocate.stdout
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json"], capture_output=True, text=True
    )
    installed = {p["name"].lower() for p in json.loads(listed.stdout)}
    assert not installed & {"pandas", "hypothesis", "pytest"}, (
        "extras leaked into the plain install"
    )
    leaked = installed & {"fastapi", "sqlalchemy", "uvicorn", "psycopg", "playwright"}
    assert not leaked, f"the plain install holds {leaked}: they belong in an extra"
