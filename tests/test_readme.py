"""The examples of the README and the guides run, and print what they show.

Every ```sh and ```python block of README.md and docs/*.md is run: each document in a
temporary directory of its own (with examples/, data/ and src/ of the repository linked
in), its blocks in order, so that a later block finds what an earlier one wrote. A sh
block runs line by line: a plain `saylau ...` line through typer's CliRunner on
`saylau.cli.app` in this process (the start of a process costs more than most examples);
a line the shell must read (a redirection, a pipe, `sed`, `cp`) and the service's
commands (`load`, `serve`, `db`, `users`, `audit`: see OWN_PROCESS) through bash, with
the venv's `saylau` first on PATH. A python block runs whole in this process. A command's
trailing comment `# exit status N` is the status it must end with (else 0). A ```text
block right after an example block is the output of that block's last command (stdout
and stderr together, trailing spaces aside): a line `...` stands for any number of lines,
and a line ending in `...` for any line that begins with what comes before it.

Lines not run, each under an HTML comment `<!-- not run: REASON -->` just above its block
(test_every_line_not_run_is_named_here holds this list to the documents):

- README.md, `make run` and `make test`: each sets up .venv from nothing, and `make test`
  runs this whole suite; tests/test_docs.py checks that the Makefile has both targets.
- README.md, `.venv/bin/pip install -e '.[service]'`: it installs from the package index;
  the venv these tests run in has the extra already.
- README.md and docs/service.md, `saylau serve`: it serves until stopped; `saylau serve
  --check` is run instead, and tests/service starts the server and drives it.
- README.md and docs/service.md, `saylau replay kz-1999 --serve`, and docs/service.md,
  `saylau replay kz-1999 --url http://127.0.0.1:8000 --password-file admin-password`: each
  plays 13,574 protocols for minutes (the first then serves until stopped);
  tests/service/test_replay_full.py replays the whole election, test_replay.py one territory.
- docs/reports-and-exports.md, `saylau report kz-1999 --out report-kz-1999 --pdf` and
  `saylau report kz-1999 --out report-kz-1999 --screenshot docs/report-kz-1999.png`: they
  drive the system's Chromium (about 15 s); tests/report/test_chromium.py covers both.
- docs/development.md, `make bench` and `.venv/bin/python bench/bench_national.py`: each
  takes minutes; tests/test_bench*.py run every benchmark on a small input.
- docs/languages.md, `.venv/bin/pybabel extract -F babel.cfg --no-location --sort-output
  --project Saylau -o src/saylau/report/locale/saylau.pot src` and `.venv/bin/pybabel update
  -i src/saylau/report/locale/saylau.pot -d src/saylau/report/locale -D saylau
  --no-fuzzy-matching --ignore-obsolete --no-wrap`: they rewrite the project's own
  catalogs; tests/report/test_i18n.py extracts the messages and holds the catalogs to them.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.cli import app
from tests.conftest import ROOT

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BIN = Path(sys.executable).parent
LINKED = ("examples", "data", "src")
"""What the examples read from the repository, linked into each temporary directory."""

FENCE = re.compile(r"^(?P<indent>\s*)```(?P<lang>[\w-]*)\s*$")
NOT_RUN = re.compile(r"^\s*<!--\s*not run:\s*(?P<reason>.+?)\s*-->\s*$")
COMMENT = re.compile(r"(?:^|\s)#(?=\s|$)(?P<text>.*)$")
STATUS = re.compile(r"exit status (?P<status>\d+)")
RUNNABLE = ("sh", "python")


@dataclass
class Block:
    lang: str
    line: int  # of the opening fence, counting from 1
    body: list[str]
    not_run: str | None = None
    expected: list[str] | None = None


def blocks(path: Path) -> list[Block]:
    """The fenced blocks of a document; a text block right after an example is its output."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    reason: str | None = None
    last_end = -2  # the line of the last closing fence
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if fence is None:
            marker = NOT_RUN.match(lines[i])
            if marker:
                reason = marker["reason"]
            elif lines[i].strip():
                reason = None  # a marker stands just above its block
            i += 1
            continue
        start, indent, lang = i, fence["indent"], fence["lang"]
        body: list[str] = []
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            body.append(lines[i].removeprefix(indent))
            i += 1
        after_example = (
            found
            and found[-1].lang in RUNNABLE
            and all(not line.strip() for line in lines[last_end + 1 : start])
        )
        if lang == "text" and after_example:
            found[-1].expected = body
        else:
            found.append(Block(lang, start + 1, body, reason))
        reason, last_end = None, i
        i += 1
    return found


def commands(block: Block) -> list[tuple[str, int]]:
    """Each command line of a sh block, its comment left out, with the status it expects."""
    found: list[tuple[str, int]] = []
    joined = "\n".join(block.body).replace("\\\n", " ")
    for line in joined.splitlines():
        comment = COMMENT.search(line)
        command = line[: comment.start()].strip() if comment else line.strip()
        if not command:
            continue
        status = STATUS.search(comment["text"]) if comment else None
        found.append((command, int(status["status"]) if status else 0))
    return found


def matches(expected: list[str], output: str) -> bool:
    pattern = []
    for line in (line.rstrip() for line in expected):
        if line == "...":
            pattern.append(r"(?:[^\n]*\n)*?")
        elif line.endswith("..."):
            pattern.append(re.escape(line[:-3]) + r"[^\n]*\n")
        else:
            pattern.append(re.escape(line) + r"\n")
    text = "".join(line.rstrip() + "\n" for line in output.splitlines())
    return re.fullmatch("".join(pattern), text) is not None


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


WITH_EXAMPLES = [
    path
    for path in DOCUMENTS
    if any(b.lang in RUNNABLE and b.not_run is None for b in blocks(path))
]


SHELL = re.compile(r"[|&;<>$`*?(){}\\]")
"""A line with any of these is the shell's to read."""
OWN_PROCESS = ("load", "serve", "db", "users", "audit")
"""The service's commands keep an engine per database URL, bound to the file the default
`sqlite:///saylau.db` named when it was made: each runs in a process of its own, so that
every directory gets its own database, and no engine outlives the test."""


def in_process(line: str) -> list[str] | None:
    """The arguments of a plain `saylau` line, to run through typer's CliRunner; else None."""
    if SHELL.search(line):
        return None
    words = shlex.split(line)
    if len(words) < 2 or words[0] != "saylau" or words[1] in OWN_PROCESS:
        return None
    return words[1:]


def run_line(line: str, folder: Path) -> tuple[int, str]:
    """Run one command line in `folder` (the current directory): its status and output."""
    words = in_process(line)
    if words is not None:
        result = CliRunner().invoke(app, words)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            trace = "".join(traceback.format_exception(result.exception))
            return 1, result.output + trace
        return result.exit_code, result.output
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAYLAU_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        ["bash", "-c", line],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        check=False,
    )
    return done.returncode, done.stdout


def run_python(code: str) -> tuple[int, str]:
    """Run a python block in this process: its status and what it printed."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(code, "<example>", "exec"), {"__name__": "__example__"})
    except Exception:
        return 1, printed.getvalue() + traceback.format_exc()
    return 0, printed.getvalue()


@pytest.mark.parametrize("path", WITH_EXAMPLES, ids=_name)
def test_the_examples_run_and_print_what_they_show(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (BIN / "saylau").exists(), f"no saylau beside {sys.executable}"
    for name in LINKED:
        (tmp_path / name).symlink_to(ROOT / name)
    for name in [k for k in os.environ if k.startswith("SAYLAU_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    run_examples(path, tmp_path)


def run_examples(path: Path, folder: Path) -> None:
    for block in blocks(path):
        if block.lang not in RUNNABLE or block.not_run is not None:
            continue
        where = f"{_name(path)}:{block.line}"
        steps = [("the python block", 0)] if block.lang == "python" else commands(block)
        assert steps, f"{where}: an example block with nothing to run"
        output = ""
        for shown, expected_status in steps:
            if block.lang == "python":
                status, output = run_python("\n".join(block.body))
            else:
                status, output = run_line(shown, folder)
            assert status == expected_status, (
                f"{where}: `{shown}` ended with status {status}, not {expected_status}:\n"
                f"{output[-3000:]}"
            )
        if block.expected is not None:
            assert matches(block.expected, output), (
                f"{where}: the output of `{steps[-1][0]}` is not the one shown:\n"
                + "\n".join(block.expected)
                + f"\n--- it printed ---\n{output[:5000]}"
            )


def test_every_line_not_run_is_named_here() -> None:
    doc = " ".join((__doc__ or "").split())
    for path in DOCUMENTS:
        for block in blocks(path):
            if block.not_run is None or block.lang not in RUNNABLE:
                continue
            for line, _ in commands(block):
                assert f"`{line}`" in doc, f"{_name(path)}:{block.line}: `{line}` not named"
                assert _name(path) in doc, f"{_name(path)} not named"


def test_the_reader_of_examples_reads_what_the_guides_write(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text(
        "<!-- not run: a reason -->\n"
        "```sh\n"
        "saylau one   # a law's comment\n"
        "saylau two \\\n"
        "  --more    # exit status 1\n"
        "```\n"
        "\n"
        "```text\n"
        "first\n"
        "...\n"
        "last...\n"
        "```\n",
        encoding="utf-8",
    )
    found = blocks(path)
    assert len(found) == 1
    assert found[0].not_run == "a reason"
    assert commands(found[0]) == [("saylau one", 0), ("saylau two    --more", 1)]
    assert found[0].expected == ["first", "...", "last..."]
    assert matches(found[0].expected, "first\nlast line  \n")
    assert matches(found[0].expected, "first\na\nb\nlast line\n")
    assert not matches(found[0].expected, "first\nlast line\nmore\n")
    assert not matches(found[0].expected, "start\nlast line\n")
