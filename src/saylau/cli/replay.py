"""`saylau replay`: an election's protocols played into a running service, as on election
night, ending with the live result held to the batch run and the audit chain verified."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from saylau.cli.errors import one_line_errors

EXIT_CHECK = 1

PASSWORD_VARIABLE = "SAYLAU_ADMIN_PASSWORD"


@one_line_errors
def replay_command(
    election: Annotated[str, typer.Argument(help="The election whose protocols are played.")],
    url: Annotated[
        str, typer.Option("--url", help="The running service (loopback only).")
    ] = "http://127.0.0.1:8000",
    serve: Annotated[
        bool,
        typer.Option(
            "--serve",
            help="Start a temporary service of its own (a fresh SQLite database in a "
            "temporary folder, on a free loopback port) and play into it.",
        ),
    ] = False,
    keep_serving: Annotated[
        bool,
        typer.Option(help="With --serve: keep serving the result after the replay, until Ctrl+C."),
    ] = True,
    admin: Annotated[str, typer.Option(help="The administrator the replay acts as.")] = "admin",
    password_file: Annotated[
        Path | None,
        typer.Option(
            help=f"The administrator's password, read from this file (else {PASSWORD_VARIABLE})."
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option(help="Seed of the generated operators, order and disagreements.")
    ] = 1,
    speed: Annotated[
        float, typer.Option(help="Protocols a second (0: as fast as the service takes them).")
    ] = 50.0,
    delay: Annotated[
        float | None, typer.Option(help="Seconds between protocols (instead of --speed).")
    ] = None,
    disagreements: Annotated[
        int, typer.Option(help="Entries whose two operators disagree (a supervisor resolves).")
    ] = 5,
    clients: Annotated[int, typer.Option(help="Connections entering at once.")] = 8,
    territory: Annotated[
        list[str] | None,
        typer.Option(help="Play only this territory's stations (repeatable); default all."),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="With --serve: the server's workers.")] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Play an election's protocols into a service through its workflow: two generated
    operators of each commission enter each protocol, a few disagree and a supervisor
    resolves them, stations report in a plausible order, and the stages run (runoffs, new
    votings, rounds closed, publication). It ends by checking that the live result equals
    the batch run (`saylau run`) and that the audit chain verifies; exit 1 if either fails.

    Example: saylau replay kz-1999 --serve --speed 0 --territory astana --no-keep-serving
    """
    from contextlib import ExitStack

    from saylau.errors import InputError
    from saylau.pipeline.run import load_inputs
    from saylau.service.replay.client import loopback
    from saylau.service.replay.local import temporary_service
    from saylau.service.replay.plan import make_plan
    from saylau.service.replay.play import Pace, play

    if delay is not None:
        if delay < 0:
            raise InputError(f"--delay {delay}: not a number of seconds (0 or more)")
        speed = 1 / delay if delay else 0.0
    if speed < 0 or clients < 1 or disagreements < 0:
        raise InputError("--speed, --clients and --disagreements take positive numbers")
    inputs, root = load_inputs(election)
    known = {t.territory_id for t in inputs.election.territories}
    wanted = frozenset(territory) if territory else None
    unknown = sorted((wanted or set()) - known)
    if unknown:
        raise InputError(f"--territory {unknown[0]}: not a territory of {election}")
    plan = make_plan(inputs, seed, disagreements, wanted)
    with ExitStack() as stack:
        if serve:
            local = stack.enter_context(temporary_service(election, workers))
            target, credentials = local.url, local.admin
            typer.echo(f"a temporary service of {election} listens on {target}/ : open it")
        else:
            target, credentials = loopback(url), (admin, _password(password_file))
        pace = Pace(speed, clients)
        typer.echo(
            f"replaying {election} into {target}/: {len(plan.entries):,} protocols, "
            f"{'as fast as it takes them' if not speed else f'{speed:g} a second'}, seed {seed}"
        )
        with _bar(quiet) as progress:
            played = play(target, plan, inputs, credentials, pace, typer.echo, progress)
        typer.echo(f"{played.resolved} disagreement(s) resolved by a supervisor")
        passed = _checks(target, credentials, inputs, root, wanted)
        if serve and keep_serving and passed:
            typer.echo(f"the result stays served at {target}/ until Ctrl+C")
            _wait()
    if not passed:
        raise typer.Exit(EXIT_CHECK)


def _password(path: Path | None) -> str:
    from saylau.errors import InputError
    from saylau.io.files import read_text

    found = read_text(path).strip() if path is not None else os.environ.get(PASSWORD_VARIABLE)
    if not found:
        raise InputError(
            f"the administrator's password: give --password-file FILE or {PASSWORD_VARIABLE}"
        )
    return found


def _checks(
    url: str,
    credentials: tuple[str, str],
    inputs: Any,
    root: Path | None,
    territories: frozenset[str] | None,
) -> bool:
    from saylau.service.replay.check import audit_verified, live_equals_batch, played_inputs
    from saylau.service.replay.client import Api

    api = Api(url)
    try:
        api.login(*credentials)
        found = [
            live_equals_batch(api, played_inputs(inputs, territories), root),
            audit_verified(api, credentials[0]),
        ]
    finally:
        api.close()
    for check in found:
        typer.echo(check.text)
    return all(check.passed for check in found)


def _bar(quiet: bool) -> Any:
    """A bar per phase, on stderr (cli.progress), moved by the replay's progress."""
    from contextlib import contextmanager

    from saylau.cli.progress import progress_bar

    @contextmanager
    def bar() -> Any:
        shown = progress_bar("count", "time left", quiet=quiet)
        tasks: dict[str, Any] = {}

        def moved(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = shown.add_task(phase, total=total)
            shown.update(tasks[phase], completed=done)

        with shown:
            yield moved

    return bar()


def _wait() -> None:
    import time

    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        typer.echo("stopped")
