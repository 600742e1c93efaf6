"""The archive's reply files as a builder last read them: only changed files are read again.

A file counts as unchanged while its mtime and size are; the replies are kept without
their body HTML, and a page that needs a body the build did not read gets it from the
file again (a one-edit build renders only a few reply pages).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from pathlib import Path

from builder.build.cache import CacheStore, Parsed, body_html, shard_of
from builder.build.spool import BodyRef, BodySpool, read_body
from builder.build.workers import ParseJob, parse_files
from builder.config import Config, ImportDefaults
from builder.errors import Problem, warning
from builder.i18n import _
from builder.model import Reply
from builder.slugs import slugify
from builder.sources import REPLIES_DIR, Stat, is_hidden, is_reply_file, scan_reply_files


class ReplyFiles:
    def __init__(self, source: Path, store: CacheStore | None) -> None:
        self.source = source
        self.store = store
        self.files: dict[str, Parsed] = {}
        self.slugs: dict[str, str] = {}
        self.bodies: dict[str, BodyRef] = {}
        """Bodies read by the current build, until its pages are rendered (spooled)."""
        self._spool: BodySpool | None = None
        self.changes: list[tuple[str, Parsed | None, Parsed | None]] = []
        """What the last `read` found changed: (path, before, after), None for no file."""
        self._scan: dict[str, Stat] | None = None
        self._scan_problems: tuple[Problem, ...] = ()
        """What the last walk could not read or would not follow (`sources.scan_reply_files`)."""
        self._key: str | None = None
        self._dirty: set[int] = set()
        """The shards (see `build.cache.shard_of`) with changes not saved yet."""
        self._new_slugs = False

    def read(
        self, config: Config, changed: Iterable[Path] | None, spool: Path | None
    ) -> tuple[list[Reply], list[Problem]]:
        """The valid replies and every problem found in the files (kept ones included);
        the bodies read are kept in the folder `spool` until `forget_bodies` (without a
        spool, none is kept: a build that will not render)."""
        self._use_config(config)
        self.forget_bodies()
        self._spool = BodySpool.at(spool) if spool is not None else None
        scan = self._rescan(changed)
        stale = [(p, s) for p, s in scan.items() if p not in self.files or self.files[p].stat != s]
        self.changes = []
        for chunk in parse_files(ParseJob(stale, config, self._spool, self.slugs)):
            for path, parsed, body in chunk.files:
                self.changes.append((path, self.files.get(path), parsed))
                self.files[path] = parsed
                if body is not None:
                    self.bodies[path] = body
            if chunk.slugs:
                self.slugs.update(chunk.slugs)
                self._new_slugs = True
        for gone in [p for p in self.files if p not in scan]:
            self.changes.append((gone, self.files.pop(gone), None))
        self._dirty.update(shard_of(path) for path, _, _ in self.changes)
        return self._replies_and_problems()

    def slug(self, name: str) -> str:
        """`slugify`, remembered across builds (group names repeat)."""
        found = self.slugs.get(name)
        if found is None:
            found = self.slugs[name] = slugify(name)
            self._new_slugs = True
        return found

    def saver(self) -> Callable[[], None] | None:
        """What saves what changed of the files read so far (a snapshot), if anything did."""
        store, key = self.store, self._key
        if store is None or key is None or not (self._dirty or self._new_slugs):
            return None
        shards: dict[int, dict[str, Parsed]] = {shard: {} for shard in self._dirty}
        for path, parsed in self.files.items():
            shard = shard_of(path)
            if shard in shards:
                shards[shard][path] = parsed
        slugs = dict(self.slugs) if self._new_slugs else None
        self._dirty, self._new_slugs = set(), False
        return lambda: store.save_replies(key, shards, slugs)

    def digests(self) -> dict[str, bytes]:
        """The digest of each valid reply's file, by the reply's slug."""
        return {p.reply.slug: p.digest for p in self.files.values() if p.reply is not None}

    def body_of(self, reply: Reply) -> str:
        body = self.bodies.get(str(reply.source))
        return read_body(body) if body is not None else body_html(reply)

    def forget_bodies(self) -> None:
        self.bodies = {}
        if self._spool is not None:
            self._spool.remove()
            self._spool = None

    def _use_config(self, config: Config) -> None:
        # Validation reads the outcomes (and may read more): only presentation settings
        # can change without reading every file again.
        key = repr(_reading_part(config))
        if key == self._key:
            return
        self.files, self.slugs = self.store.load_replies(key) if self.store else ({}, {})
        self._key, self._scan = key, None

    def _rescan(self, changed: Iterable[Path] | None) -> dict[str, Stat]:
        if changed is None or self._scan is None or not self._update_scan(changed, self._scan):
            walk = scan_reply_files(self.source)
            self._scan, self._scan_problems = walk.files, walk.problems
        return self._scan

    def _update_scan(self, changed: Iterable[Path], scan: dict[str, Stat]) -> bool:
        """Apply the changed paths to `scan`; False when they need a full walk instead."""
        root = (self.source / REPLIES_DIR).resolve()
        for path in changed:
            full = path if path.is_absolute() else Path.cwd() / path
            try:
                relative = full.resolve().relative_to(root)
            except ValueError:
                continue  # not a reply file
            if any(map(is_hidden, relative.parts)):
                continue  # never read
            if full.is_dir() or not is_reply_file(relative):
                return False  # a folder moved or removed: walk it all
            key = str(self.source / REPLIES_DIR / relative)
            try:
                stat = full.stat()
                scan[key] = (stat.st_mtime_ns, stat.st_size)
            except FileNotFoundError:
                scan.pop(key, None)
        return True

    def _replies_and_problems(self) -> tuple[list[Reply], list[Problem]]:
        replies: list[Reply] = []
        problems: list[Problem] = list(self._scan_problems)
        for parsed in self.files.values():
            problems += parsed.problems
            if parsed.reply is not None:
                replies.append(parsed.reply)
        if not self.files:
            problems.append(no_replies(self.source))
        problems += duplicate_slugs(replies, self.source)
        return replies, problems


def _reading_part(config: Config) -> Config:
    return dataclasses.replace(
        config,
        title="",
        description="",
        base_url="",
        page_size=1,
        feed_size=1,
        import_defaults=ImportDefaults(),  # read by `import` only
    )


def no_replies(source: Path) -> Problem:
    return Problem(
        source / REPLIES_DIR,
        0,
        _("no replies found in {folder}/: is this the archive folder?").format(
            folder=(source / REPLIES_DIR).as_posix()
        ),
        _("`reply-archive init {folder}` makes one").format(folder=source.as_posix()),
    )


def stray_pages(source: Path) -> list[Problem]:
    """One warning naming the Markdown files under content/ but outside content/replies/."""
    content, replies = source / REPLIES_DIR.parent, source / REPLIES_DIR
    if not content.is_dir():
        return []
    stray = sorted(
        path
        for entry in content.iterdir()
        if entry != replies and not entry.name.startswith(".")
        for path in ([entry] if entry.is_file() else entry.rglob("*.md"))
        if path.suffix == ".md" and path.is_file()
    )
    if not stray:
        return []
    names = ", ".join(path.relative_to(source).as_posix() for path in stray)
    return [
        warning(
            content,
            0,
            _("{count} Markdown file(s) outside content/replies/ are not read: {names}").format(
                count=len(stray), names=names
            ),
            _("move replies into content/replies/"),
        )
    ]


def duplicate_slugs(replies: list[Reply], root: Path) -> list[Problem]:
    first: dict[str, Reply] = {}
    problems = []
    for reply in sorted(replies, key=lambda r: str(r.source)):
        if reply.slug in first:
            other = _relative_to(first[reply.slug].source, root)
            problems.append(
                Problem(
                    reply.source,
                    1,
                    f"slug `{reply.slug}` is used twice",
                    f"{other} has it too; rename a file or set `slug:`",
                )
            )
        else:
            first[reply.slug] = reply
    return problems


def _relative_to(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
