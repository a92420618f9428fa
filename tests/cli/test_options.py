"""The shared options' help names what the rooms below know, as plain text so that
`saylau --help` loads none of them: each text is held here to the value it names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from saylau.analysis.integer_percent import DRAWS, SEED
from saylau.cli import app, options
from saylau.cli.errors import EXTRAS, missing_extra, printable
from saylau.pipeline.run import names

runner = CliRunner()


def test_the_known_elections_are_the_pipelines() -> None:
    assert tuple(names()) == options.KNOWN_ELECTIONS


def test_the_forensics_defaults_are_the_analysis() -> None:
    assert (options.DRAWS, options.RESAMPLE_SEED) == (DRAWS, SEED)


def test_a_module_of_an_extra_names_the_extra() -> None:
    for extra, modules in EXTRAS.items():
        for module in modules:
            said = missing_extra(ModuleNotFoundError(name=f"{module}.sub"), "serve")
            assert said == f"saylau serve needs the {extra} extra: pip install 'saylau[{extra}]'"
    assert missing_extra(ModuleNotFoundError(name="nothing_of_ours"), "run") is None


def test_report_pdf_without_the_pdf_extra_says_so_in_one_line(tmp_path: object) -> None:
    probe = (
        "import sys; sys.modules['playwright'] = None\n"
        "from saylau.cli import app\n"
        f"app(['report', 'examples/demo-election', '--out', {str(tmp_path)!r}, '--pdf', '-q'])"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "error: the PDF and the picture of the report need the pdf extra: pip install 'saylau[pdf]'"
    )


def test_a_message_escapes_every_control_and_format_character_but_the_line_break() -> None:
    assert printable("a\x00b\u202ec\nd\te\x1b[2J é ৪") == "a\\x00b\\u202ec\nd\\te\\x1b[2J é ৪"


def test_a_one_line_error_never_prints_a_control_character(tmp_path: Path) -> None:
    name = tmp_path / "law\x1b[2J.toml"
    done = runner.invoke(app, ["law", "check", str(name)])
    assert done.exit_code == 2
    assert "\x1b" not in done.stderr and "law\\x1b[2J.toml" in done.stderr
