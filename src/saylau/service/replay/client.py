"""The service's JSON API as a replay calls it: on loopback only, each user with a bearer
token, a refused call a one-line error naming the call and the service's answer.

A call the service turns away for load (429, 503), or that never reached it, is sent again,
up to `TRIES` times; one lost on the way back only if sending it twice makes nothing twice:
a read, or a call with a client key."""

from __future__ import annotations

import ipaddress
import time
from typing import Any
from urllib.parse import urlsplit

import httpx

from saylau.errors import InputError, SaylauError

TRIES = 5
TIMEOUT = 60.0
"""Seconds a call may take (a stage transition decides the whole election)."""

LOOPBACK_NAMES = frozenset({"localhost"})


class ReplayError(SaylauError):
    """The service refused a call of the replay, or answered what the replay did not expect."""


def loopback(url: str) -> str:
    """`url` if it names a loopback host (127.0.0.0/8, ::1, localhost); refused otherwise."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise InputError(f"--url {url!r}: not an http:// address of the service")
    try:
        local = ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = host.lower() in LOOPBACK_NAMES
    if not local:
        raise InputError(
            f"--url {url}: a replay plays into a service on this machine only (127.0.0.1, "
            f"::1 or localhost), not {host}"
        )
    return url.rstrip("/")


class Api:
    """A connection to the service; `as_(user)` calls as a logged-in user."""

    def __init__(self, url: str) -> None:
        self.url = loopback(url)
        self.http = httpx.Client(base_url=self.url, timeout=TIMEOUT, trust_env=False)
        self.tokens: dict[str, str] = {}

    def close(self) -> None:
        self.http.close()

    def login(self, username: str, password: str) -> None:
        """Log `username` in; later calls `as_` it carry its token."""
        found = self.call(
            "POST", "/api/session", None, {"username": username, "password": password}
        )
        self.tokens[username] = found["token"]

    def call(
        self,
        method: str,
        path: str,
        user: str | None,
        body: Any = None,
        *,
        allowed: tuple[int, ...] = (),
        params: dict[str, Any] | None = None,
    ) -> Any:
        """One call's JSON answer; a refusal (other than `allowed`) raises ReplayError."""
        headers = {} if user is None else {"Authorization": f"Bearer {self.tokens[user]}"}
        again = method == "GET" or (isinstance(body, dict) and bool(body.get("client_key")))
        for attempt in range(1, TRIES + 1):
            try:
                answer = self.http.request(method, path, json=body, headers=headers, params=params)
            except httpx.TransportError as exc:
                unsent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
                if attempt == TRIES or not (unsent or again):
                    raise ReplayError(f"{method} {self.url}{path}: {exc}") from None
            else:
                if answer.status_code not in (429, 503) or attempt == TRIES:
                    break
            time.sleep(0.2 * attempt)
        try:
            found = answer.json() if answer.content else None
        except ValueError:
            found = None
        if answer.status_code >= 400 and answer.status_code not in allowed:
            said = found.get("error") if isinstance(found, dict) else answer.text[:200]
            raise ReplayError(f"{method} {path}{' as ' + user if user else ''}: {said}")
        return found
