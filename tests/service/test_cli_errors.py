"""The service's commands as a careless hand types them: a password file that is missing,
not UTF-8 or a folder, a database URL of a kind Saylau does not store on, a database that
cannot be reached. Each ends in one line naming what is wrong and exit status 2, never a
traceback, and never the URL's password."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.cli import app
from saylau.cli.errors import database_trouble
from tests.service import postgres
from tests.service.conftest import Copy


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_a_password_file_it_cannot_read_is_named(sqlite_copy: Copy, tmp_path: Path) -> None:
    (tmp_path / "latin1.txt").write_bytes(b"p\xe4ssword long enough")
    for given, said in (
        (tmp_path / "missing.txt", "missing.txt: no such file"),
        (tmp_path / "latin1.txt", "latin1.txt: line 1: byte 0xe4 is not UTF-8 text"),
        (tmp_path, "is a directory, not a file"),
    ):
        code, output = run(
            "users", "add", "x", "--password-file", str(given), "--url", sqlite_copy.url
        )
        assert code == 2 and said in output and "Traceback" not in output, output


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("mysql://admin:s3cret@db/x", "database URL of kind 'mysql'"),
        ("nonsense", "database URL of kind 'nonsense'"),
        ("postgresql+asyncpg://admin:s3cret@db/x", "of kind 'postgresql+asyncpg'"),
    ],
)
def test_a_database_of_another_kind_is_refused(url: str, said: str) -> None:
    for command in (["db", "upgrade"], ["audit", "verify"], ["serve", "--check"]):
        code, output = run(*command, "--url", url)
        assert code == 2 and said in output and "s3cret" not in output, (command, output)


def test_a_database_that_cannot_be_reached_is_said_so() -> None:
    url = f"postgresql://saylau:s3cret@127.0.0.1:{postgres.free_port()}/nowhere"
    for command in (["db", "upgrade"], ["load", "kz-1999"], ["serve", "--check"]):
        code, output = run(*command, "--url", url)
        assert code == 2 and "error: the database cannot be reached" in output, output
        assert "Traceback" not in output and "s3cret" not in output


def test_other_errors_are_not_taken_for_the_database_s() -> None:
    assert database_trouble(ValueError("x")) is None
    assert database_trouble(OSError("x")) is None
