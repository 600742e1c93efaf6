"""Parsing and rendering on every core: forked workers, each taking chunks of the work.

Workers are forked, so they start with everything the parent holds (the archive, the
planned pages, the bodies) without copying it; each sends back only small results.
A render worker writes its pages into the gate's staging folder itself and returns what
it did with each, for the parent's gate to record.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import jinja2

from builder.build_cache import Parsed, Stat, parse_file
from builder.config import Config
from builder.errors import Problem
from builder.output import Outcome, OutputGate
from builder.pages import Page
from builder.render import Renderer, template_problem

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 200
"""Fewer items than this are done in the parent: forking costs more than it saves."""


def worker_count() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


@dataclass(frozen=True)
class ParseJob:
    files: Sequence[tuple[str, Stat]]
    config: Config


@dataclass(frozen=True)
class RenderJob:
    pages: Sequence[tuple[Page, bytes]]
    """Each page with its fingerprint."""
    renderer: Renderer
    gate: OutputGate
    dirs: list[Path]


ParseResult = list[tuple[str, Parsed, str]]
RenderResult = list[Outcome] | Problem

_job: ParseJob | RenderJob | None = None
"""The job of the forked workers, set before they fork."""


def parse_files(job: ParseJob) -> Iterator[ParseResult]:
    """Every file of `job`, parsed, in chunks (in order)."""
    yield from _run(job, len(job.files), _parse_chunk)


def render_pages(job: RenderJob) -> Iterator[RenderResult]:
    """The outcome of every page of `job`, in chunks; a template error ends a chunk."""
    try:  # compiled once, before the workers fork
        for name in sorted({page.template for page, _ in job.pages}):
            job.renderer.env.get_template(name)
    except jinja2.TemplateError as error:
        yield template_problem(error, job.dirs)
        return
    yield from _run(job, len(job.pages), _render_chunk)


def _parse_chunk(bounds: tuple[int, int]) -> ParseResult:
    job = _job
    assert isinstance(job, ParseJob)
    results = []
    for path, stat in job.files[bounds[0] : bounds[1]]:
        parsed, body = parse_file(Path(path), stat, job.config)
        results.append((path, parsed, body))
    return results


def _render_chunk(bounds: tuple[int, int]) -> RenderResult:
    job = _job
    assert isinstance(job, RenderJob)
    outcomes = []
    try:
        for page, fingerprint in job.pages[bounds[0] : bounds[1]]:
            data = job.renderer.render(page).encode("utf-8")
            outcomes.append(job.gate.stage(page.path, data, fingerprint))
    except jinja2.TemplateError as error:
        return template_problem(error, job.dirs)
    return outcomes


def _run(
    job: ParseJob | RenderJob, count: int, work: Callable[[tuple[int, int]], R]
) -> Iterator[R]:
    global _job
    workers = worker_count()
    if count < PARALLEL_FROM or workers == 1:
        _job = job
        try:
            yield from (work(b) for b in _chunks(count, 64))
        finally:
            _job = None
        return
    chunk = max(8, min(500, count // (workers * 8)))
    with _forked_pool(job, workers) as pool:
        yield from pool.imap(work, _chunks(count, chunk))


def _chunks(count: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, count, size):
        yield start, min(count, start + size)


def _leave_ctrl_c_to_parent() -> None:
    # A terminal's Ctrl-C reaches every process of the group; the parent stops the pool,
    # so a worker printing its own KeyboardInterrupt traceback is only noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def _forked_pool(job: ParseJob | RenderJob, workers: int) -> Iterator[multiprocessing.pool.Pool]:
    global _job
    _job = job
    gc.freeze()  # the workers' collector then leaves the inherited objects' pages shared
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_leave_ctrl_c_to_parent)
    try:
        yield pool
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        gc.unfreeze()
        _job = None
