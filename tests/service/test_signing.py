"""The audit key's signer is found again by how it was named: a key named by an absolute
path (given, or in `SAYLAU_AUDIT_KEY`) without a call to the system, a key named relative to
the working folder as the file in the folder the process is in; and `saylau serve` names
its key absolutely for its workers."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.cli import app
from saylau.errors import InputError
from saylau.service import signing
from saylau.service.serving import Listening
from saylau.service.signing import KEY_VARIABLE, signer
from tests.service.conftest import Copy


def test_a_key_named_absolutely_is_found_again_without_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = tmp_path / "given.key"
    first = signer(given)
    monkeypatch.setenv(KEY_VARIABLE, str(tmp_path / "variable.key"))
    by_variable = signer()
    asked: list[str] = []
    folder = os.getcwd

    def watched() -> str:
        if sys._getframe(1).f_globals.get("__name__") == signing.__name__:
            asked.append("signing")
        return folder()

    monkeypatch.setattr(os, "getcwd", watched)
    assert signer(given) is first
    assert signer(str(given)) is first
    assert signer() is by_variable
    assert asked == [], "the working folder was asked for"
    assert by_variable is not None and first is not None
    assert by_variable.public != first.public


def test_a_key_named_relatively_is_the_one_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    monkeypatch.chdir(one)
    in_one = signer("audit.key")
    monkeypatch.chdir(two)
    in_two = signer("audit.key")
    assert in_one is not None and in_two is not None
    assert in_one.public != in_two.public, "each folder's own key"
    assert (one / "audit.key").exists() and (two / "audit.key").exists()
    monkeypatch.chdir(one)
    assert signer("audit.key") is in_one
    assert signer(signing.DEFAULT_KEY) is signer(), "the default is named relatively too"


def test_no_key_file_and_none_to_be_made_is_no_signer(tmp_path: Path) -> None:
    assert signer(tmp_path / "absent.key", make=False) is None
    assert not (tmp_path / "absent.key").exists()


def test_serve_names_the_key_absolutely_for_its_workers(
    sqlite_copy: Copy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`saylau serve` makes the key named relatively (here in `SAYLAU_AUDIT_KEY`) in its
    own folder, and hands it to its workers by its absolute name."""
    seen: list[str] = []

    def bind(host: str, port: int, workers: int) -> Listening:
        seen.append(os.environ[KEY_VARIABLE])
        raise InputError("stopped before listening")

    monkeypatch.setattr(Listening, "bind", staticmethod(bind))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(KEY_VARIABLE, os.path.join("keys", "serve.key"))
    secret = tmp_path / "secret"
    said = CliRunner().invoke(
        app, ["serve", "--url", sqlite_copy.url, "--secret-file", str(secret)]
    )
    assert "stopped before listening" in said.output, said.output
    assert seen == [str(tmp_path / "keys" / "serve.key")]
    assert (tmp_path / "keys" / "serve.key").exists()
