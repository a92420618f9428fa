"""The audit key: an Ed25519 key kept in a file outside the database, which signs every
audit entry's content and every checkpoint of the chain.

The file is made once, with owner-only permissions (0600), at the path of
`SAYLAU_AUDIT_KEY` (`saylau serve --audit-key PATH`), by default `saylau-audit.key` in the
working folder; a key file that others may read is refused. It holds the raw 32-byte
private key, hex-encoded. The public key is published with every snapshot
(`national.json`'s `audit_head.public_key`) and printed by `saylau audit verify`; anyone
holding it checks the signatures, and nobody without the file can make one. A database
trigger never sees the file, so it can seal an entry into the chain but never sign it.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from saylau.errors import InputError
from saylau.service.owner_file import make_once, open_to_others

KEY_VARIABLE = "SAYLAU_AUDIT_KEY"
DEFAULT_KEY = "saylau-audit.key"
ENTRY = "saylau audit entry"
HEAD = "saylau audit head"
CHECKPOINT = "saylau audit checkpoint"


def key_path(path: str | Path | None = None) -> Path:
    """The key file: the one given, else `SAYLAU_AUDIT_KEY`, else `saylau-audit.key`."""
    return Path(path or os.environ.get(KEY_VARIABLE) or DEFAULT_KEY)


@dataclass(frozen=True)
class PublicKey:
    """A public key (64 hex digits): what checks the signatures."""

    raw: bytes

    @classmethod
    def parse(cls, text: str) -> PublicKey:
        value = text.strip().lower()
        if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
            raise ValueError(f"public key {text[:80]!r} is not 64 hex digits")
        return cls(bytes.fromhex(value))

    @property
    def hex(self) -> str:
        return self.raw.hex()

    def verifies(self, message: str, signature: str | None) -> bool:
        """Whether `signature` (hex) is this key's signature of `message`."""
        if not signature or len(signature) != 128:
            return False
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(
                bytes.fromhex(signature), message.encode()
            )
        except (InvalidSignature, ValueError):
            return False
        return True


class Signer:
    """The private key, read from its file."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private
        raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public = PublicKey(raw)

    def sign(self, message: str) -> str:
        return self._private.sign(message.encode()).hex()


def make_key(path: Path) -> bool:
    """Make the key file at `path` unless it exists (never overwritten, owner-only, whole
    when found: `owner_file.make_once`); whether it made it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return make_once(path, Ed25519PrivateKey.generate().private_bytes_raw().hex() + "\n")


def read_key(path: Path) -> Signer:
    """The key in `path`, refused when others than its owner may read or write the file."""
    mode = open_to_others(path)
    if mode is not None:
        raise InputError(
            f"audit key {path}: its permissions are {mode}; it must be readable "
            f"by its owner only (chmod 600 {path})"
        )
    text = path.read_text(encoding="ascii").strip()
    try:
        raw = bytes.fromhex(text)
        if len(raw) != 32:
            raise ValueError
    except ValueError:
        raise InputError(f"audit key {path}: not 64 hex digits (an Ed25519 key)") from None
    return Signer(Ed25519PrivateKey.from_private_bytes(raw))


_signers: dict[str, Signer] = {}
_lock = threading.Lock()


def signer(path: str | Path | None = None, *, make: bool = True) -> Signer | None:
    """This process's signer: the key file's (`key_path`, made first if it does not exist
    and `make`); None when there is no key file and `make` is off. Read once, then found by
    the file's absolute name. Every audit entry asks, so a key named absolutely is found
    without a call to the system (which would let go of the interpreter's lock and wait to
    take it back); one named relatively is the one in the working folder."""
    name = str(key_path(path))
    if not os.path.isabs(name):
        name = os.path.join(os.getcwd(), name)
    known = _signers.get(name)
    if known is not None:
        return known
    found = Path(name)
    with _lock:
        if name not in _signers:
            if not found.exists():
                if not make:
                    return None
                make_key(found)
            _signers[name] = read_key(found)
        return _signers[name]


def entry_message(content_hash: str) -> str:
    """What an entry's signature signs: its content hash (which covers who, when, what and
    the states before and after). Its place in the chain is not known until COMMIT; signed
    checkpoints hold the order."""
    return f"{ENTRY}:{content_hash}"


def head_message(seq: int, hash: str) -> str:
    """What a signed head signs: an entry's seq and hash (which covers every entry before)."""
    return f"{HEAD}:{seq}:{hash}"


HEAD_FILE_VARIABLE = "SAYLAU_AUDIT_HEAD_FILE"
"""Where the running service keeps the last head it signed, outside the database (none by
default): a chain cut short behind it, its checkpoints deleted too, is named."""


def head_file() -> Path | None:
    """The file `SAYLAU_AUDIT_HEAD_FILE` names, if it names one."""
    found = os.environ.get(HEAD_FILE_VARIABLE, "").strip()
    return Path(found) if found else None


def keep_head(path: Path, genesis: str, anchor: str) -> None:
    """Keep `anchor` (SEQ:HASH:SIGNATURE) as the last signed head of the chain whose first
    entry's hash is `genesis` (one file may serve several databases), written whole before
    it takes the old one's place."""
    kept = _heads(path)
    kept[genesis] = anchor
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    fresh.write_text(json.dumps(kept, sort_keys=True) + "\n", encoding="ascii")
    os.replace(fresh, path)


def kept_head(path: Path, genesis: str) -> str | None:
    """The last head kept for the chain whose first entry's hash is `genesis`."""
    return _heads(path).get(genesis)


def _heads(path: Path) -> dict[str, str]:
    try:
        found = json.loads(path.read_text(encoding="ascii"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}
