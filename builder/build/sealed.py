"""Cache files sealed with a key of this machine's: the cache reads back only what it wrote.

A cache file is `MAGIC`, then a MAC of its name and contents keyed by a secret kept outside
the archive (`secret_path`, made on first use, readable by its owner only), then the
contents. The contents (pickles, and Jinja's compiled templates) are loaded only after the
MAC checks out: a file planted in the archive's cache folder (a shared folder, a cloned
repository, a zip), or one truncated or bit-flipped, is never unpickled, only ignored.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import cache
from pathlib import Path

from builder.files import create_atomic

MAGIC = b"reply-archive sealed 1\n"
_MAC_SIZE = 32
_SECRET_SIZE = 32


def secret_path() -> Path:
    """`$XDG_CACHE_HOME/reply-archive/secret` (by default under `~/.cache/`)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "reply-archive" / "secret"


@cache
def machine_secret() -> bytes | None:
    """The secret of this user on this machine, made on first use; None when it can be
    neither read nor made (the build then keeps no cache)."""
    path = secret_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        create_atomic(path, secrets.token_bytes(_SECRET_SIZE), mode=0o600)
    except OSError:
        return None
    return _read_secret(path)


def _read_secret(path: Path) -> bytes | None:
    try:
        secret = path.read_bytes()
    except OSError:
        return None
    return secret if len(secret) == _SECRET_SIZE else None


def seal(name: str, contents: bytes, secret: bytes) -> bytes:
    """The file to write for `contents` saved as `name`."""
    return MAGIC + _mac(name, contents, secret) + contents


def unseal(name: str, sealed: bytes, secret: bytes) -> bytes | None:
    """The contents of a file `seal` wrote as `name`; None for anything else."""
    start = len(MAGIC) + _MAC_SIZE
    if not sealed.startswith(MAGIC) or len(sealed) < start:
        return None
    contents = sealed[start:]
    if not hmac.compare_digest(sealed[len(MAGIC) : start], _mac(name, contents, secret)):
        return None
    return contents


def _mac(name: str, contents: bytes, secret: bytes) -> bytes:
    digest = hashlib.blake2b(key=secret, digest_size=_MAC_SIZE, person=b"reply-archive")
    digest.update(name.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(contents)
    return digest.digest()
