"""`reply-archive import`: content files from replies saved off government web pages.

`import_paths` reads text files and saved HTML pages (UTF-8 with or without BOM, or
GB18030/GBK; CRLF or LF) and writes one content file per reply,
`<into>/<year>/<slug>.md`. Problems are collected, never raised: a page that cannot be read
is reported with the reason and the others are still imported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from builder.errors import Problem, warning
from builder.ingest.page import HTML_SUFFIXES, TEXT_SUFFIXES
from builder.ingest.reader import read_page
from builder.ingest.reply import ImportedReply, extract_reply
from builder.ingest.writer import render, target_of, write_file

__all__ = ["ImportReport", "ImportedReply", "import_paths", "find_pages"]

PAGE_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES


@dataclass(frozen=True)
class ImportReport:
    written: tuple[Path, ...]
    """Content files written (with `dry_run`: the files that would be)."""
    skipped: tuple[Path, ...]
    """Pages not written because their content file exists (without `force`) or another
    page of this run makes the same file."""
    problems: tuple[Problem, ...]
    dry_run: bool = False

    @property
    def failed(self) -> bool:
        """Some page could not be imported: the exit status should say so."""
        return any(p.is_error for p in self.problems)


def import_paths(
    paths: list[Path], into: Path, *, dry_run: bool, force: bool, out: TextIO
) -> ImportReport:
    """Import every page in `paths` (files, or folders searched for .txt and .html pages)."""
    run = _Run(into, dry_run, force, out)
    for page in find_pages(paths, run.problems):
        run.import_page(page)
    return ImportReport(tuple(run.written), tuple(run.skipped), tuple(run.problems), dry_run)


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
        else:
            problems.append(Problem(path, 0, "no such file or folder"))


def _is_page(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    hidden = any(part.startswith((".", "~")) or part.endswith("_files") for part in parts)
    return path.suffix.lower() in PAGE_SUFFIXES and not hidden and path.is_file()


class _Run:
    """One import run: what it wrote, skipped and found wrong."""

    def __init__(self, into: Path, dry_run: bool, force: bool, out: TextIO) -> None:
        self.into, self.dry_run, self.force, self.out = into, dry_run, force, out
        self.written: list[Path] = []
        self.skipped: list[Path] = []
        self.problems: list[Problem] = []
        self.made_by: dict[Path, Path] = {}
        self.slugs = _slugs_in(into)

    def import_page(self, path: Path) -> None:
        page = read_page(path)
        if isinstance(page, Problem):
            self.problems.append(page)
            return
        reply, problems = extract_reply(page)
        self.problems.extend(problems)
        if reply is not None:
            self._write(reply)

    def _write(self, reply: ImportedReply) -> None:
        target = target_of(self.into, reply)
        existing = self.slugs.get(target.stem)
        if existing in self.made_by:
            self._skip(reply, f"{existing} is also made from {self.made_by[existing]}", "")
        elif existing and not self.force:
            self._skip(
                reply, f"{existing} exists and is left as it is", "use --force to replace it"
            )
        elif self.dry_run:
            print(f"would write {existing or target} (from {reply.source})", file=self.out)
            print(render(reply), file=self.out)
            self._done(reply, existing or target)
        else:
            self._write_file(reply, existing or target)

    def _write_file(self, reply: ImportedReply, target: Path) -> None:
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
        self.made_by[target] = reply.source
        self.written.append(target)
        self.slugs[target.stem] = target

    def _skip(self, reply: ImportedReply, message: str, hint: str) -> None:
        self.problems.append(warning(reply.source, 0, f"skipped: {message}", hint))
        self.skipped.append(reply.source)


def _slugs_in(into: Path) -> dict[str, Path]:
    """Each content file under `into` by its name: the archive allows replies in any
    sub-folder, and a second file with the same name would clash with the first."""
    found = sorted(into.rglob("*.md")) if into.is_dir() else []
    return {path.stem: path for path in found}
