"""What one build leaves for the next: the replies it read and the files it wrote.

Kept under `SOURCE/.reply-archive-cache/` (never inside the output):

- `replies-NN.cache`: each reply file as last read, keyed by its mtime and size, with the
  problems found in it, in shards (an edit rewrites one); `slugs.cache`: the slugs of
  group names. Replies are kept without their body HTML (a build that needs a body again
  reads the file again), so loading stays quick.
- `output-<digest of the output folder's path>.cache`: the write gate's manifest.
- `search-<digest>.cache`: what the search stage read of each page, and its shards.
- `templates/<name>.cache`: Jinja's compiled templates.

All are keyed by the builder's own code (every module of the package, `code_key`) and
(for replies) the config: a new version of reply-archive, any edit to its code, or a
changed `site.toml` starts afresh. Every file is sealed with this machine's secret
(`build.sealed`) and loaded only when its seal checks out: a file planted, truncated or
corrupted is ignored (and named in one warning). A cache that is missing, stale or
unreadable is never needed for a correct build, only for a quick one.
"""

from __future__ import annotations

import copyreg
import dataclasses
import gc
import hashlib
import io
import pickle
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PosixPath
from typing import Any

import jinja2

import builder
from builder.build.sealed import machine_secret, seal, unseal
from builder.config import Config
from builder.errors import Problem, warning
from builder.files import write_atomic
from builder.markup import render_body
from builder.model import Reply, validate
from builder.output import Manifest
from builder.sources import Source, Stat, read_source

CACHE_DIR = ".reply-archive-cache"
FORMAT = 1


@dataclass(frozen=True)
class Parsed:
    """One reply file as a build read it."""

    stat: Stat
    digest: bytes
    """Of the file's path and text: what a page showing the reply depends on."""
    reply: Reply | None
    """Without its body HTML; None when the file has errors."""
    problems: tuple[Problem, ...]


def parse_file(path: Path, stat: Stat, config: Config) -> tuple[Parsed, str]:
    """Read and validate one reply file: what to keep, and the body HTML apart."""
    source = read_source(path)
    if isinstance(source, Problem):
        return Parsed(stat, b"", None, (source,)), ""
    reply, problems = validate(source, config)
    digest = _digest_of_source(source)
    if reply is None:
        return Parsed(stat, digest, None, tuple(problems)), ""
    bare = dataclasses.replace(reply, body_html="")
    return Parsed(stat, digest, bare, tuple(problems)), reply.body_html


def body_html(reply: Reply) -> str:
    """A reply's body HTML, read again from its file (for a reply kept without it)."""
    source = read_source(reply.source)
    if isinstance(source, Problem):
        return reply.body_html
    html, _ = render_body(source.body, source.path, source.body_line)
    return html


def _digest_of_source(source: Source) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for part in (str(source.path), source.front_matter, source.body, str(source.body_line)):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.digest()


@cache
def code_key() -> str:
    """The builder's version and a digest of its code: any change to either starts afresh."""
    return code_key_of(Path(builder.__file__).parent, builder.__version__)


def code_key_of(package: Path, version: str) -> str:
    """`version` and a digest of every module of `package` (its folder), by relative path.

    Every module counts, not a list of those that decide the output: a list falls behind
    the code (a module added, or one that comes to decide the output), and a stale site
    is worse than a build that starts afresh after an upgrade."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{version}-{FORMAT}-{digest.hexdigest()}"


SHARDS = 32
"""The replies are saved in this many files, so that an edit rewrites one small file."""


def shard_of(path: str) -> int:
    return zlib.crc32(path.encode("utf-8", "surrogatepass")) % SHARDS


@dataclass(frozen=True)
class OutputState:
    """What the last build left in an output folder."""

    manifest: Manifest = dataclasses.field(default_factory=dict)
    inputs: bytes = b""
    """The digest of everything its pages were made from (`fingerprints.inputs_key`)."""
    pages: int = 0
    searched: bytes = b""
    """The `inputs` of the pages the search stage last indexed."""
    search_warnings: tuple[Problem, ...] = ()


@dataclass
class CacheStore:
    """The cache folder of one archive."""

    folder: Path
    rejected: list[str] = dataclasses.field(default_factory=list)
    """The files that failed their check since `take_warning` last reported them."""

    def load_replies(self, key: str) -> tuple[dict[str, Parsed], dict[str, str]]:
        """The files and group slugs saved with `key` (the part of the config that
        validation reads); a shard saved with another key counts as empty."""
        full_key = f"{code_key()}-{key}"
        files: dict[str, Parsed] = {}
        for shard in range(SHARDS):
            files.update(self._load(f"replies-{shard:02d}.cache", full_key) or {})
        slugs = self._load("slugs.cache", full_key)
        return files, slugs if isinstance(slugs, dict) else {}

    def save_replies(
        self, key: str, shards: dict[int, dict[str, Parsed]], slugs: dict[str, str] | None
    ) -> None:
        """Save the given shards of the files (see `shard_of`), and the slugs if given."""
        full_key = f"{code_key()}-{key}"
        for shard, files in shards.items():
            self._save(f"replies-{shard:02d}.cache", full_key, files)
        if slugs is not None:
            self._save("slugs.cache", full_key, slugs)

    def load_output(self, output: Path) -> OutputState:
        data = self._load(_output_name(output), code_key())
        return data if isinstance(data, OutputState) else OutputState()

    def save_output(self, output: Path, state: OutputState) -> None:
        self._save(_output_name(output), code_key(), state)

    def load_search(self, output: Path, key: str) -> object:
        """What the search stage kept of `output` with `key` and this code (None if nothing)."""
        return self._load(_output_name(output, "search"), f"{code_key()}-{key}")

    def save_search(self, output: Path, key: str, state: object) -> None:
        self._save(_output_name(output, "search"), f"{code_key()}-{key}", state)

    def take_warning(self) -> list[Problem]:
        """One warning naming the cache files ignored since the last call, if any."""
        if not self.rejected:
            return []
        names, self.rejected = sorted(set(self.rejected)), []
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        what = f"ignored {len(names)} cache file(s) that failed their check ({shown})"
        hint = "planted, truncated or corrupted: nothing in them was run; they are made again"
        return [warning(self.folder, 0, what, hint)]

    def read(self, name: str) -> bytes | None:
        """The contents saved as `name` (a path inside the folder), if its seal checks out."""
        secret = machine_secret()
        try:
            sealed = (self.folder / name).read_bytes()
        except OSError:
            return None  # none yet (or unreadable: saving will say nothing either)
        contents = unseal(name, sealed, secret) if secret is not None else None
        if contents is None and secret is not None:
            self.rejected.append(name)
        return contents

    def write(self, name: str, contents: bytes) -> None:
        """Save `contents` as `name`, sealed; nothing when the folder is not writable."""
        secret = machine_secret()
        if secret is None:
            return  # no secret to seal with: no cache
        target = self.folder / name
        with suppress(OSError):  # a read-only archive builds without a cache
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, seal(name, contents, secret))

    def _load(self, name: str, key: str) -> Any:
        contents = self.read(name)
        if contents is None:
            return None
        try:
            with collector_paused():
                stored_key, data = pickle.loads(contents)
        except (EOFError, pickle.UnpicklingError, ValueError, TypeError):
            return None
        except (AttributeError, ImportError, IndexError):
            return None  # written by another version of reply-archive
        return data if stored_key == key else None

    def _save(self, name: str, key: str, data: object) -> None:
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((key, data))
        self.write(name, buffer.getvalue())


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates (marshalled code), in the store, sealed like the rest."""

    def __init__(self, store: CacheStore) -> None:
        self.store = store

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        contents = self.store.read(_template_name(bucket))
        if contents is not None:
            bucket.bytecode_from_string(contents)  # Jinja's own checks follow (its version)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store.write(_template_name(bucket), bucket.bytecode_to_string())


def _template_name(bucket: jinja2.bccache.Bucket) -> str:
    return f"templates/{bucket.key}.cache"


def _output_name(output: Path, kind: str = "output") -> str:
    where = hashlib.blake2b(str(output.resolve()).encode(), digest_size=8).hexdigest()
    return f"{kind}-{where}.cache"


class _Pickler(pickle.Pickler):
    """Pickles paths as their text, which loads several times quicker than their parts."""

    dispatch_table = {**copyreg.dispatch_table, PosixPath: lambda p: (PosixPath, (str(p),))}


@contextmanager
def collector_paused() -> Iterator[None]:
    """Loading allocates a great many objects and frees none: collecting would only scan."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
