"""`reply-archive import`: content files from replies saved off government web pages.

`import_paths` reads text files and saved HTML pages (UTF-8 with or without BOM, or
GB18030/GBK; CRLF or LF) and writes one content file per reply,
`<into>/<year>/<slug>.md`. Problems are collected, never raised: a page that cannot be read
is reported with the reason and the others are still imported. Nothing is dropped: a page
with a title and a text whose bureau, kind or date of publication is not found is written as
a draft (`draft: true`, in `<into>/undated/` without a date); a second bureau's answer to the
same suggestion gets a file of its own; the same reply saved twice is reported as a duplicate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from builder.config import ImportDefaults
from builder.errors import Problem, warning
from builder.ingest.existing import Existing, read_existing, same_text
from builder.ingest.limits import bounded, not_a_regular_file
from builder.ingest.page import READ_SUFFIXES
from builder.ingest.reader import read_page
from builder.ingest.reply import ImportedReply, extract_reply
from builder.ingest.summary import format_report
from builder.ingest.writer import render, target_of, write_file
from builder.slugs import short_hash
from builder.sources import is_reply_file

__all__ = [
    "ImportDefaults",
    "ImportReport",
    "ImportedReply",
    "format_report",
    "import_paths",
    "find_pages",
]

PAGE_SUFFIXES = READ_SUFFIXES


@dataclass(frozen=True)
class Duplicate:
    """A page giving a reply already imported or already in the archive, with the same text."""

    source: Path
    target: Path
    """The content file that holds the reply."""
    first: Path | None
    """The page of this run that gave it first; None when the file was there before."""


@dataclass(frozen=True)
class ImportReport:
    written: tuple[Path, ...]
    """Content files written (with `dry_run`: the files that would be)."""
    skipped: tuple[Path, ...]
    """Pages not written because their content file exists with other text (without
    `force`): each is an error."""
    problems: tuple[Problem, ...]
    dry_run: bool = False
    replies: tuple[tuple[Path, ImportedReply], ...] = ()
    """Each content file written, and the reply it holds (its `source`, its `missing`)."""
    duplicates: tuple[Duplicate, ...] = ()
    pages: int = 0
    """Pages read (files named or found in the folders named)."""

    @property
    def failed(self) -> bool:
        """Some page could not be imported: the exit status should say so."""
        return any(p.is_error for p in self.problems)

    @property
    def drafts(self) -> tuple[tuple[Path, ImportedReply], ...]:
        return tuple((path, reply) for path, reply in self.replies if reply.draft)


def import_paths(
    paths: list[Path],
    into: Path,
    *,
    dry_run: bool,
    force: bool,
    out: TextIO,
    defaults: ImportDefaults | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import every page in `paths` (files, or folders searched for .txt and .html pages);
    `defaults` fill in what a page does not say (see `ImportDefaults`); `progress` is told
    (pages done, pages in all) after each page."""
    run = _Run(into, dry_run, force, out, defaults or ImportDefaults())
    pages = list(find_pages(paths, run.problems))
    for page in pages:
        run.pages += 1
        run.import_page(page)
        if progress is not None:
            progress(run.pages, len(pages))
    return ImportReport(
        tuple(run.written),
        tuple(run.skipped),
        tuple(run.problems),
        dry_run,
        tuple(run.replies),
        tuple(run.duplicates),
        run.pages,
    )


def find_pages(paths: list[Path], problems: list[Problem]) -> Iterator[Path]:
    """The files named, and the pages in the folders named (hidden files and the `_files`
    folders browsers save beside a page left out)."""
    for path in paths:
        if path.is_dir():
            pages = sorted(p for p in path.rglob("*") if _is_page(p, path))
            if not pages:
                problems.append(warning(path, 0, "no .txt or .html pages in this folder"))
            yield from pages
        elif path.is_file():
            yield path
        elif not_a_regular_file(path):
            yield path  # reported by the reader as what it is, never opened
        else:
            problems.append(Problem(path, 0, "no such file or folder"))


def _is_page(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    hidden = any(part.startswith((".", "~")) or part.endswith("_files") for part in parts)
    # not `is_file()`: a FIFO or device named like a page is reported, not passed over
    return path.suffix.lower() in PAGE_SUFFIXES and not hidden and not path.is_dir()


_DUPLICATE = object()


class _Run:
    """One import run: what it wrote, skipped and found wrong."""

    def __init__(
        self, into: Path, dry_run: bool, force: bool, out: TextIO, defaults: ImportDefaults
    ) -> None:
        self.into, self.dry_run, self.force, self.out = into, dry_run, force, out
        self.defaults = defaults
        self.pages = 0
        self.written: list[Path] = []
        self.skipped: list[Path] = []
        self.problems: list[Problem] = []
        self.replies: list[tuple[Path, ImportedReply]] = []
        self.duplicates: list[Duplicate] = []
        self.made: dict[Path, ImportedReply] = {}
        self.slugs = _slugs_in(into)

    def import_page(self, path: Path) -> None:
        read = bounded(path, lambda: _read_reply(path, self.defaults))
        if isinstance(read, Problem):
            self.problems.append(read)
            return
        reply, problems = read
        before = len(self.problems)
        self.problems.extend(problems)
        if reply is not None and self._place(reply) is _DUPLICATE:
            # The page's own findings were said of the first copy: only its duplicate line.
            del self.problems[before:-1]

    def _place(self, reply: ImportedReply) -> object:
        """Where the reply goes: its own slug; the slug with the bureau when another
        bureau's reply has it; nowhere when the same text is there already."""
        target = target_of(self.into, reply)
        existing = self.slugs.get(target.stem)
        if existing is not None and self._other_bureau(reply, existing):
            target = target_of(self.into, reply, with_bureau=True)
            existing = self.slugs.get(target.stem)
        if existing is None:
            self._write(reply, target)
            return None
        other = self._other(existing)
        if same_text(other.body, reply.body) and not (self.force and other.source is None):
            self._duplicate(reply, existing)
            return _DUPLICATE
        self._replace(reply, existing, other)
        return None

    def _other_bureau(self, reply: ImportedReply, existing: Path) -> bool:
        """The file there holds another bureau's reply (a co-handled suggestion)."""
        other = self._other(existing)
        different = other.bureau is not None and reply.bureau is not None
        return different and other.bureau != reply.bureau and not same_text(other.body, reply.body)

    def _other(self, existing: Path) -> Existing:
        made = self.made.get(existing)
        if made is not None:
            return Existing(made.bureau, made.body, made.source)
        return read_existing(existing)

    def _replace(self, reply: ImportedReply, existing: Path, other: Existing) -> None:
        if other.source is not None:
            # Two pages of this run give one reply with different texts: keep both.
            target = existing.with_name(f"{existing.stem}-{short_hash(reply.body, 6)}.md")
            self.problems.append(
                warning(
                    reply.source,
                    0,
                    f"{existing} is also made from {other.source}, with another text; "
                    f"this page is written as {target.name}",
                    "compare the two and delete the one that is not the reply",
                )
            )
            self._write(reply, target)
        elif self.force:
            self._write(reply, existing)
        else:
            self.problems.append(
                Problem(
                    reply.source,
                    0,
                    f"not imported: {existing} exists, with another text, and is left as it is",
                    "use --force to replace it",
                )
            )
            self.skipped.append(reply.source)

    def _duplicate(self, reply: ImportedReply, existing: Path) -> None:
        other = self.made.get(existing)
        first = other.source if other else None
        self.duplicates.append(Duplicate(reply.source, existing, first))
        said = f"the same reply as {first}" if first else f"already in {existing}"
        self.problems.append(
            warning(reply.source, 0, f"duplicate: {said}, with the same text; not written again")
        )

    def _write(self, reply: ImportedReply, target: Path) -> None:
        if self.dry_run:
            print(f"would write {target} (from {reply.source})", file=self.out)
            print(render(reply), file=self.out)
            self._done(reply, target)
            return
        try:
            write_file(target, render(reply))
        except OSError as error:
            self.problems.append(
                Problem(reply.source, 0, f"cannot write {target}: {error.strerror or error}")
            )
            return
        print(f"wrote {target} (from {reply.source})", file=self.out)
        self._done(reply, target)

    def _done(self, reply: ImportedReply, target: Path) -> None:
        self.made[target] = reply
        self.written.append(target)
        self.replies.append((target, reply))
        self.slugs[target.stem] = target


def _read_reply(path: Path, defaults: ImportDefaults) -> tuple[ImportedReply | None, list[Problem]]:
    page = read_page(path)
    if isinstance(page, Problem):
        return None, [page]
    return extract_reply(page, defaults)


def _slugs_in(into: Path) -> dict[str, Path]:
    """Each content file under `into` by its name: the archive allows replies in any
    sub-folder, and a second file with the same name would clash with the first."""
    found = sorted(into.rglob("*.md")) if into.is_dir() else []
    found = [path for path in found if is_reply_file(path.relative_to(into))]
    return {path.stem: path for path in found}
