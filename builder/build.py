"""`build()`: the stages in order, each timed. Load, validate, plan, render, write, index."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from builder.archive import Archive, make_archive
from builder.config import CONFIG_FILE, Config, load_config
from builder.errors import BuildFailed, Problem, warning
from builder.model import Reply, validate
from builder.output import OutputGate, WriteReport
from builder.pages import Page, plan_pages
from builder.render import Renderer, make_environment, static_files, template_problem, theme_dirs
from builder.sources import REPLIES_DIR, find_reply_files, read_sources

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildOptions:
    source: Path = Path(".")
    output: Path | None = None
    """Defaults to `output/` inside the source folder."""
    base_url: str | None = None
    search: bool = True
    progress: Progress | None = None

    @property
    def output_dir(self) -> Path:
        return self.output if self.output is not None else self.source / "output"


@dataclass
class BuildReport:
    replies: int = 0
    pages: int = 0
    written: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    warnings: tuple[Problem, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())

    def summary(self) -> str:
        return (
            f"{self.replies} replies, {self.pages} pages, {len(self.written)} written, "
            f"{len(self.removed)} removed in {self.seconds:.2f} s"
        )


class Builder:
    """Builds one archive again and again in one process (the watch server keeps one).

    `changed` names the files that changed since the last build, when known; `None` means
    anything may have changed.
    """

    def __init__(self, options: BuildOptions) -> None:
        self.options = options

    def build(self, changed: Iterable[Path] | None = None) -> BuildReport:
        return build(self.options)


def build(options: BuildOptions) -> BuildReport:
    """Build the archive at `options.source`; raise `BuildFailed` with every problem found."""
    report = BuildReport()
    with _stage(report, "load"):
        config, archive, problems = load_archive(options)
    with _stage(report, "plan"):
        pages = plan_pages(archive, config)
        problems += _plan_warnings(options, config, archive)
    _check_output_folder(options, problems)
    if any(p.is_error for p in problems):
        raise BuildFailed(problems)
    with _stage(report, "render"):
        written = _render_and_write(options, config, archive, pages)
    report.replies, report.pages = len(archive.replies), len(pages)
    report.written, report.removed = written.written, written.removed
    report.warnings = tuple(problems)
    if options.search:
        with _stage(report, "search"):
            _index_for_search(options, config)
    return report


def load_archive(options: BuildOptions) -> tuple[Config, Archive, list[Problem]]:
    """Read and validate every reply; the archive holds only the valid ones."""
    loaded = load_config(options.source, options.base_url)
    problems = list(loaded.problems)
    paths = find_reply_files(options.source)
    if not paths:
        problems.append(
            Problem(
                options.source / REPLIES_DIR,
                0,
                "no replies found",
                "put one Markdown file per reply under content/replies/",
            )
        )
    sources, read_problems = read_sources(paths)
    problems += read_problems
    replies = []
    for source in sources:
        reply, reply_problems = validate(source, loaded.config)
        problems += reply_problems
        if reply is not None:
            replies.append(reply)
    problems += duplicate_slugs(replies, options.source)
    return loaded.config, make_archive(replies), problems


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


def _plan_warnings(options: BuildOptions, config: Config, archive: Archive) -> list[Problem]:
    if config.base_url or not archive.replies:
        return []
    return [
        warning(
            options.source / CONFIG_FILE,
            0,
            "no base_url: sitemap.xml and feed.xml are not written",
            "set base_url in site.toml or pass --base-url",
        )
    ]


def _check_output_folder(options: BuildOptions, problems: list[Problem]) -> None:
    # A build replaces the output folder's contents: never point it at the user's files.
    output, source = options.output_dir.resolve(), options.source.resolve()
    if output == source or output in source.parents or source / "content" in output.parents:
        problems.append(
            Problem(
                options.output_dir,
                0,
                "the output folder holds the archive",
                "choose a separate folder, e.g. --output output",
            )
        )
    elif output.is_dir() and any(output.iterdir()) and not (output / "index.html").exists():
        problems.append(
            Problem(
                options.output_dir,
                0,
                "the output folder is not empty and is not a built archive",
                "choose an empty or new folder",
            )
        )


def _render_and_write(
    options: BuildOptions, config: Config, archive: Archive, pages: list[Page]
) -> WriteReport:
    dirs = theme_dirs(options.source)
    renderer = Renderer(make_environment(dirs), config, archive)
    gate = OutputGate(options.output_dir)
    try:
        for done, page in enumerate(pages, 1):
            gate.write(page.path, renderer.render(page).encode("utf-8"))
            if options.progress:
                options.progress(done, len(pages))
        for path, file in static_files(dirs).items():
            gate.copy(path, file)
    except jinja2.TemplateError as error:
        gate.abort()
        raise BuildFailed([template_problem(error, dirs)]) from error
    except BaseException:
        gate.abort()
        raise
    return gate.commit()


def _index_for_search(options: BuildOptions, config: Config) -> None:
    from builder.search import index_output

    index_output(options.output_dir, config)


@contextmanager
def _stage(report: BuildReport, name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        report.timings[name] = time.perf_counter() - start
