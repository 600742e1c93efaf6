"""Parsing and rendering on every core: forked workers (`builder.parallel`), each taking
chunks of the work. A render worker writes its pages into the gate's staging folder itself
and returns what it did with each, for the parent's gate to record.
"""

from __future__ import annotations

import dataclasses
import itertools
import multiprocessing.pool
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import jinja2

from builder.archive import group_names
from builder.build.cache import Parsed, parse_file
from builder.build.fingerprints import Fingerprints
from builder.build.spool import BodyRef, BodySpool
from builder.config import Config
from builder.errors import Problem
from builder.model import Reply
from builder.output import Outcome, OutputGate
from builder.pages import Page
from builder.parallel import forked_pool, worker_count
from builder.render import Renderer, template_problem
from builder.slugs import slugify
from builder.sources import Stat

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 200
"""Fewer items than this are done in the parent: forking costs more than it saves."""


@dataclass(frozen=True)
class ParseJob:
    files: Sequence[tuple[str, Stat]]
    config: Config
    spool: BodySpool | None
    """Where the bodies go (`build.spool`); None: nowhere."""
    known_slugs: Mapping[str, str] = field(default_factory=dict)
    """Group names slugged already: the others are slugged with the files that name them
    (pypinyin, 0.1 ms a name, on every core rather than in the parent)."""
    slugged: dict[str, str] = field(default_factory=dict, compare=False)
    """The names this process slugged for the job (each worker has its own copy)."""


@dataclass(frozen=True)
class ParsedChunk:
    files: list[tuple[str, Parsed, BodyRef | None]]
    """(path, what was read, where its body HTML is spooled) of each file."""
    slugs: dict[str, str]
    """The new slugs of the group names of its valid replies."""


@dataclass(frozen=True)
class RenderJob:
    pages: Sequence[tuple[Page, bytes]]
    """Each page with its fingerprint (empty: the worker makes it with `fingerprints`)."""
    renderer: Renderer
    gate: OutputGate
    dirs: list[Path]
    fingerprints: Fingerprints


RenderResult = list[Outcome] | Problem

_job: ParseJob | RenderJob | None = None
"""The job of the forked workers, set before they fork."""


def parse_files(job: ParseJob) -> Iterator[ParsedChunk]:
    """Every file of `job`, parsed, in chunks (in order)."""
    yield from _run(job, len(job.files), _parse_chunk)


def render_pages(
    job: RenderJob, meanwhile: Callable[[], None] | None = None
) -> Iterator[RenderResult]:
    """The outcome of every page of `job`, in chunks; a template error ends a chunk.
    `meanwhile` is called once the work has started (forked workers that inherit a
    running thread can deadlock: a thread may start there)."""
    try:  # compiled once, before the workers fork
        for name in sorted({page.template for page, _ in job.pages if page.template}):
            job.renderer.env.get_template(name)
    except jinja2.TemplateError as error:
        yield template_problem(error, job.dirs)
        return
    spread = dataclasses.replace(job, pages=_folder_by_folder(job.pages))
    yield from _run(spread, len(spread.pages), _render_chunk, meanwhile)


def _folder_by_folder(pages: Sequence[tuple[Page, bytes]]) -> list[tuple[Page, bytes]]:
    """The pages, a page of each folder in turn.

    A file system creates the files of one folder one at a time (it locks the folder), so
    two workers writing into the same folder wait for each other: in this order they
    seldom do. It also starts the listings (in many folders, and several times the work
    of a reply page) early, and leaves replies, quick to render, for the end."""
    folders: dict[str, list[tuple[Page, bytes]]] = {}
    for item in pages:
        folders.setdefault(item[0].path.rpartition("/")[0], []).append(item)
    rounds = itertools.zip_longest(*folders.values())
    return [item for round_ in rounds for item in round_ if item is not None]


def _parse_chunk(bounds: tuple[int, int]) -> ParsedChunk:
    job = _job
    assert isinstance(job, ParseJob)
    chunk = ParsedChunk([], {})
    for path, stat in job.files[bounds[0] : bounds[1]]:
        parsed, body = parse_file(Path(path), stat, job.config)
        ref = None
        if parsed.reply is not None:
            ref = job.spool.put(body) if job.spool is not None else None
            _slug_names(job, parsed.reply, chunk.slugs)
        chunk.files.append((path, parsed, ref))
    if job.spool is not None:
        job.spool.flush()
    return chunk


def _slug_names(job: ParseJob, reply: Reply, new: dict[str, str]) -> None:
    for name in group_names(reply):
        if name not in job.known_slugs and name not in job.slugged:
            new[name] = job.slugged[name] = slugify(name)


def _render_chunk(bounds: tuple[int, int]) -> RenderResult:
    job = _job
    assert isinstance(job, RenderJob)
    outcomes = []
    try:
        for page, fingerprint in job.pages[bounds[0] : bounds[1]]:
            data = job.renderer.render(page).encode("utf-8")
            fingerprint = fingerprint or job.fingerprints.of(page)
            outcomes.append(job.gate.stage(page.path, data, fingerprint))
    except jinja2.TemplateError as error:
        return template_problem(error, job.dirs)
    return outcomes


def _run(
    job: ParseJob | RenderJob,
    count: int,
    work: Callable[[tuple[int, int]], R],
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[R]:
    global _job
    workers = worker_count()
    if count < PARALLEL_FROM or workers == 1:
        _job = job
        try:
            if meanwhile is not None:
                meanwhile()
            yield from (work(b) for b in _chunks(count, 64))
        finally:
            _job = None
        return
    # Small chunks, so that no worker is left alone with a long one at the end.
    chunks = _chunks(count, max(8, min(200, count // (workers * 16))))
    with _forked_pool(job, workers) as pool:
        results = pool.imap(work, chunks)
        if meanwhile is not None:
            meanwhile()
        yield from results


def _chunks(count: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, count, size):
        yield start, min(count, start + size)


@contextmanager
def _forked_pool(job: ParseJob | RenderJob, workers: int) -> Iterator[multiprocessing.pool.Pool]:
    """The pool, forked with `job` for its workers to find."""
    global _job
    _job = job
    try:
        with forked_pool(workers) as pool:
            yield pool
    finally:
        _job = None
