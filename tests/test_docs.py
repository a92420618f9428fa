"""Docs that cannot drift: the README's commands, CLI examples, and the example data."""

from __future__ import annotations

import csv
import re
import shlex
from pathlib import Path

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from saylau.cli import app
from saylau.rules.apportion import METHODS
from tests.conftest import DATA, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    block = README.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run: ", makefile, re.M)
    assert re.search(r"^test: ", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_names_every_method() -> None:
    for method in METHODS:
        assert f"`{method}`" in README


def _commands() -> list[tuple[str, str]]:
    """Every command's name and help text, sub-commands included."""
    group = typer.main.get_command(app)
    found: list[tuple[str, str]] = []
    for name, command in getattr(group, "commands", {}).items():
        subs = getattr(command, "commands", None)
        if subs:
            found.extend((f"{name} {sub}", c.help or "") for sub, c in subs.items())
        else:
            found.append((name, command.help or ""))
    return found


WRITTEN_BY = re.compile(r"written by\s+`saylau ([^`]+)`")
"""An example that needs files first says which command writes them."""


def test_every_command_has_a_working_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    names = [name for name, _ in _commands()]
    assert names == [
        "run",
        "verify",
        "allocate",
        "compare",
        "forensics",
        "report",
        "export",
        "load",
        "serve",
        "replay",
        "law list",
        "law show",
        "law check",
        "law schema",
        "protocols check",
        "protocols relations",
        "db upgrade",
        "db snapshot",
        "users add",
        "audit verify",
        "audit key",
    ]
    for folder in ("examples", "data"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    for name, help_text in _commands():
        assert "Example: saylau " in help_text, f"saylau {name} has no example"
        example = help_text.split("Example: saylau ", 1)[1].splitlines()[0]
        if "my-law.toml" in example:
            continue  # needs the reader's own file
        with monkeypatch.context() as patch:
            patch.chdir(tmp_path)  # from a copy of the repository root: files written stay there
            before = WRITTEN_BY.search(help_text)
            if before:  # write its files first
                written = runner.invoke(app, shlex.split(before[1]))
                assert written.exit_code == 0, f"saylau {before[1]}: {written.output}"
            result = runner.invoke(app, shlex.split(example))
        assert result.exit_code == 0, f"saylau {example}: {result.output}"
        assert name.split()[0] in README


def test_example_votes_are_the_published_1999_votes() -> None:
    with (ROOT / "examples" / "kz-1999-list-votes.csv").open() as handle:
        example = {r["party"]: int(r["votes"]) for r in csv.DictReader(handle)}
    with (DATA / "kz-1999" / "parties.csv").open() as handle:
        published = {
            r["party_id"]: int(r["list_votes"]) for r in csv.DictReader(handle) if r["list_votes"]
        }
    assert example == published
    assert "--base 5253864" in README


def test_example_duma_votes_are_the_published_2021_votes() -> None:
    with (ROOT / "examples" / "ru-2021-duma-list-votes.csv").open(encoding="utf-8") as handle:
        example = {r["party"]: int(r["votes"]) for r in csv.DictReader(handle)}
    with (DATA / "ru-2021-duma" / "list_votes.csv").open(encoding="utf-8") as handle:
        published = {r["name"]: int(r["votes"]) for r in csv.DictReader(handle)}
    assert example == published
    assert "--law ru-2021-duma --base 56329690" in README
    assert "`spb-2021-duma`" in README


def test_the_election_directory_guide_names_every_line_relation_and_file() -> None:
    from saylau.io.election.columns import COLUMNS
    from saylau.law import load_law
    from saylau.protocol.checks import INTEGRITY
    from saylau.protocol.lines import LINES

    guide = (ROOT / "docs" / "election-directory.md").read_text(encoding="utf-8")
    for name in [*LINES, *INTEGRITY, *COLUMNS]:
        assert f"`{name}`" in guide or f"{name} " in guide, name
    for code, rule in INTEGRITY.items():
        assert f"| `{code}` | {rule} |" in guide, code
    form = load_law("kz-1999-majilis").protocol
    assert form is not None
    for relation in form.relations:
        row = f"| `{relation.code}` | {relation.severity} | `{relation.rule.text}`"
        assert row in guide, relation.code
    assert "examples/demo-election/" in guide


def test_the_demo_law_cites_every_setting() -> None:
    law = ROOT / "examples" / "demo-election" / "law" / "demo-house.toml"
    result = CliRunner().invoke(app, ["law", "check", str(law), "--require-sources"])
    assert result.exit_code == 0, result.output


def test_the_guide_states_every_limit_as_the_code_has_it() -> None:
    from saylau import limits

    guide = (ROOT / "docs" / "election-directory.md").read_text(encoding="utf-8")
    for value in (
        f"{limits.MAX_SEATS:,}",
        f"{limits.MAX_ENTRIES:,}",
        f"{limits.MAX_COLUMNS:,}",
        f"{limits.MAX_CELL_CHARS:,} characters",
        "10^12",
        f"{limits.MAX_ROWS:,}",
        f"{limits.MAX_FILE_BYTES // 2**30} GiB",
    ):
        assert f"| {value} |" in guide, value
    assert limits.MAX_COUNT == 10**12


README_MAX_LINES = 150
GUIDES = ROOT / "docs"
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def test_the_readme_is_short() -> None:
    lines = len(README.splitlines())
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines, more than {README_MAX_LINES}"


def test_the_index_lists_every_guide_on_one_line() -> None:
    index = (GUIDES / "index.md").read_text(encoding="utf-8")
    listed = re.findall(r"^- \[[^\]]+\]\((?P<target>[^)#]+)\): \S.*$", index, re.M)
    guides = sorted(path.name for path in GUIDES.glob("*.md") if path.name != "index.md")
    missing = sorted(set(guides) - set(listed))
    assert not missing, f"docs/index.md does not list {missing}"
    assert sorted(listed) == guides, "docs/index.md lists a guide twice, or one not in docs/"
    assert "docs/index.md" in README


def _anchors(path: Path) -> set[str]:
    """The anchors of a document's headings, as GitHub writes them."""
    text = path.read_text(encoding="utf-8")
    headings = re.findall(r"^#+ (.+)$", text, re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize(
    "path", [ROOT / "README.md", *sorted(GUIDES.glob("*.md"))], ids=lambda p: p.name
)
def test_every_link_of_the_docs_leads_somewhere(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for link in LINK.finditer(text):
        target = link["target"]
        if re.match(r"[a-z]+:", target):
            continue  # outside the repository: not fetched by the tests
        file, _, anchor = target.partition("#")
        found = (path.parent / file).resolve() if file else path
        assert found.exists(), f"{path.name}: {target} leads nowhere"
        if anchor and found.suffix == ".md":
            assert anchor in _anchors(found), f"{path.name}: {target}: no heading #{anchor}"
