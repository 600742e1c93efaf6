"""`build()`: the stages in order, each timed. Load, validate, plan, render, write, index.

A `Builder` builds one archive again and again: it keeps what it read and wrote (in
memory, and in the cache folder for the next process), reads again only the reply files
whose stat changed, and renders only the pages whose fingerprint changed. Which of the three
paths a build takes (nothing changed, swap the changed replies, plan again) is decided in
one place, `path.choose_path`.

The reuse layers and their keys (docs/incremental.md says more):

| layer              | reused                            | key                                  |
|--------------------|-----------------------------------|--------------------------------------|
| reply files        | each reply as validated           | stat, validation config, code key    |
| the whole site     | nothing planned or rendered       | `inputs_key`, output as its manifest |
| swapped replies    | pages not showing a changed reply | the record of what each page reads   |
| pages              | a page not rendered or written    | its fingerprint (`fingerprints`)     |
| compiled templates | Jinja's code                      | template source, Jinja's own check   |
| search             | pages as read, Pagefind shards    | page stat, shard digest, code key    |

The code key (`cache.code_key`) digests every module of the package; every cache file is
sealed (`sealed`), so a planted or corrupted one is ignored, never loaded.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from builder import urls
from builder.archive import Archive, make_archive
from builder.build.cache import (
    CACHE_DIR,
    CacheStore,
    CompiledTemplates,
    OutputState,
    Parsed,
    code_key,
    collector_paused,
)
from builder.build.fingerprints import Fingerprints, inputs_key, site_key
from builder.build.path import BuildFacts, BuildPath, choose_path
from builder.build.record import ReadRecord, shape
from builder.build.replies import ReplyFiles, duplicate_slugs, no_replies, stray_pages
from builder.build.workers import RenderJob, render_pages
from builder.config import CONFIG_FILE, Config, load_config
from builder.errors import BuildFailed, Problem, warning
from builder.model import Reply, validate
from builder.output import (
    HIDDEN,
    KEPT_FOLDERS,
    Manifest,
    OutputBusy,
    OutputGate,
    WriteReport,
    checkpoint,
    foreign_files,
    holds_exactly,
    locked,
    recover,
    remove_if_unbuilt,
)
from builder.pages import DownloadsView, Page, plan_pages
from builder.render import (
    Renderer,
    make_environment,
    static_files,
    template_digests,
    template_problem,
    theme_dirs,
)
from builder.slugs import slugify
from builder.sources import read_sources, scan_reply_files
from builder.timing import timed

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildOptions:
    source: Path = Path(".")
    output: Path | None = None
    """Defaults to `output/` inside the source folder."""
    base_url: str | None = None
    search: bool = True
    progress: Progress | None = None
    cache: bool = True
    """Keep what a build read and wrote in `SOURCE/.reply-archive-cache/` for the next."""
    stage: Callable[[str], None] | None = None
    """Told the name of each long stage as it starts (`search`), for a progress line."""
    lock_wait: float = 30.0
    """How long a build waits for another build of the same output folder to end."""

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
    rendered: int = 0
    """Pages rendered (the others were unchanged and skipped)."""

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
    anything may have changed. A builder with `record` keeps what each page read, so that
    an edit to a reply maps straight to the pages that show it.
    """

    def __init__(self, options: BuildOptions, record: bool = True) -> None:
        self.options = options
        self.store = CacheStore(options.source / CACHE_DIR) if options.cache else None
        self.replies = ReplyFiles(options.source, self.store)
        self.state: OutputState | None = None
        self.record: ReadRecord | None = None
        self.keep_record = record
        self._saving: threading.Thread | None = None
        self._templates: tuple[bytes, jinja2.Environment, dict[str, bytes]] | None = None

    def build(self, changed: Iterable[Path] | None = None) -> BuildReport:
        """Build the archive; raise `BuildFailed` with every problem found. The output
        folder is locked for the build, and a commit a killed build left is completed
        first (see `builder.output`)."""
        self.wait()
        output = self.options.output_dir
        refused = _check_output_folder(self.options, self._state().manifest)
        if refused:  # never touch it: read the archive only to report every error at once
            return self._build(changed, refused)
        fresh = not output.exists()
        try:
            return self._locked_build(changed)
        except BaseException:
            if fresh:
                remove_if_unbuilt(output)  # a failed first build leaves no folder
            raise

    def _locked_build(self, changed: Iterable[Path] | None) -> BuildReport:
        output = self.options.output_dir
        free = _free_bytes(output)
        try:
            with locked(output, self.options.lock_wait):
                checkpoint("locked")
                recover(output)
                return self._build(changed, [])
        except OutputBusy as busy:
            raise BuildFailed([Problem(output, 0, str(busy), "")]) from None
        except OSError as error:
            problem = _output_problem(output, error, free)
            if problem is None:
                raise
            raise BuildFailed([problem]) from None

    def _build(self, changed: Iterable[Path] | None, refused: list[Problem]) -> BuildReport:
        options, report = self.options, BuildReport()
        try:
            with collector_paused(), timed(report.timings, "load"):
                spool = None if refused else options.output_dir / HIDDEN / "bodies"
                config, replies, problems = self._load(changed, spool)
                problems = refused + problems
            if any(p.is_error for p in problems):
                self._save(None)
                raise BuildFailed(problems)
            written = self._pages(report, config, replies)
        finally:
            self.replies.forget_bodies()  # (the spool: the pages that read it are written)
        report.replies = len(replies)
        report.written, report.removed = written.written, written.removed
        report.warnings = tuple(problems)
        if options.search:
            if options.stage is not None:
                options.stage("search")
            with timed(report.timings, "search"):
                report.warnings += self._search(config)
        if self.store is not None:
            report.warnings += tuple(self.store.take_warning())
        return report

    def _pages(self, report: BuildReport, config: Config, replies: list[Reply]) -> WriteReport:
        """Write the pages, unless the output holds them as they would be written."""
        options = self.options
        dirs = theme_dirs(options.source)
        with timed(report.timings, "check"):
            site_digest = site_key(config, code_key(), dirs)
            inputs = inputs_key(site_digest, self.replies.digests())
            state = self._state()
            current = state.inputs == inputs and holds_exactly(options.output_dir, state.manifest)
            swapped = _swappable(self.replies.changes)
            path = choose_path(
                BuildFacts(
                    output_current=current,
                    keeps_record=self.keep_record,
                    record_of_site=self.record is not None
                    and self.record.site_digest == site_digest,
                    replies_swappable=bool(swapped),
                    has_manifest=bool(state.manifest),
                )
            )
        if path is BuildPath.NOTHING_CHANGED:
            report.pages, written = state.pages, WriteReport((), len(state.manifest), ())
            self._save(None)
        else:
            swap = swapped if path is BuildPath.SWAP_REPLIES else None
            written = self._write(report, config, site_digest, dirs, replies, swap)
            self._save(OutputState(written.manifest, inputs, report.pages))
        return written

    def wait(self) -> None:
        """Until what the last build keeps for the next is saved."""
        if self._saving is not None:
            self._saving.join()
            self._saving = None

    def _load(
        self, changed: Iterable[Path] | None, spool: Path | None
    ) -> tuple[Config, list[Reply], list[Problem]]:
        options = self.options
        loaded = load_config(options.source, options.base_url)
        config, problems = loaded.config, list(loaded.problems)
        replies, reply_problems = self.replies.read(config, changed, spool)
        problems += reply_problems
        problems += _plan_warnings(options, config, bool(replies))
        problems += stray_pages(options.source)
        checkpoint("loaded")
        return config, replies, problems

    def _write(
        self,
        report: BuildReport,
        config: Config,
        site_digest: bytes,
        dirs: list[Path],
        replies: list[Reply],
        swapped: dict[str, Reply] | None,
    ) -> WriteReport:
        """Swap `swapped` (when given) into the pages that show them, else plan again."""
        env, templates = self._theme(site_digest, dirs)
        gate = OutputGate(self.options.output_dir, self._state().manifest)
        try:
            with collector_paused(), timed(report.timings, "plan"):
                fingerprints = Fingerprints(config, code_key(), templates, self.replies.digests())
                if swapped:
                    todo = self._swap(report, swapped, fingerprints, gate)
                else:
                    todo = self._plan(report, site_digest, config, replies, fingerprints, gate)
            with timed(report.timings, "render"):
                renderer = Renderer(env, config, self.replies.body_of)
                self._render(RenderJob(todo, renderer, gate, dirs, fingerprints), report.pages)
                for path, file in static_files(dirs).items():
                    gate.copy(path, file)
        except BaseException as error:
            if isinstance(error, OSError) and error.errno in NO_SPACE:
                error.staged = gate.staged_bytes()  # type: ignore[attr-defined]
            gate.abort()
            self.record = None
            raise
        report.rendered = len(todo)
        return gate.commit(prune=not swapped)

    def _plan(
        self,
        report: BuildReport,
        site_digest: bytes,
        config: Config,
        replies: list[Reply],
        fingerprints: Fingerprints,
        gate: OutputGate,
    ) -> list[tuple[Page, bytes]]:
        """Every page, and those of them to render, with their fingerprints (made by the
        workers for the pages the output has not got: they need them only for the manifest)."""
        self.record = None
        pages = plan_pages(make_archive(replies, self.replies.slug), config)
        report.pages = len(pages)
        if self.keep_record:
            self.record = ReadRecord.of(site_digest, pages)
        known = gate.manifest
        return [
            (p, f)
            for p in pages
            if not gate.keep(p.path, f := fingerprints.of(p) if p.path in known else b"")
        ]

    def _swap(
        self,
        report: BuildReport,
        swapped: dict[str, Reply],
        fingerprints: Fingerprints,
        gate: OutputGate,
    ) -> list[tuple[Page, bytes]]:
        """The pages to render: those the record shows the changed replies in (the pages
        it does not touch are trusted to be as written)."""
        record = self.record
        assert record is not None  # (`choose_path` swaps only with a record of the site)
        touched = {i: record.swapped(i, swapped) for i in record.affected(swapped.values())}
        gate.carry(p.path for i, p in enumerate(record.pages) if i not in touched)
        todo = []
        for index, page in touched.items():
            record.pages[index] = page
            if not gate.keep(page.path, fingerprint := fingerprints.of(page)):
                todo.append((page, fingerprint))
        report.pages = len(record.pages)
        return todo

    def _theme(
        self, site_digest: bytes, dirs: list[Path]
    ) -> tuple[jinja2.Environment, dict[str, bytes]]:
        """The Jinja environment and the digests of its templates, kept while the theme (and
        the rest of `site_digest`) is unchanged."""
        if self._templates is None or self._templates[0] != site_digest:
            env = make_environment(dirs, CompiledTemplates(self.store) if self.store else None)
            self._templates = (site_digest, env, template_digests(env, dirs))
        return self._templates[1], self._templates[2]

    def _render(self, job: RenderJob, total: int) -> None:
        """Render `job`'s pages, the downloads page last: it says the size of each download,
        which the gate knows once they are written (so none is encoded twice)."""
        last = [item for item in job.pages if isinstance(item[0].view, DownloadsView)]
        if last:
            job = dataclasses.replace(job, pages=[i for i in job.pages if i not in last])
        self._render_pages(job, total - len(last))
        for page, fingerprint in last:
            self._render_downloads(job, page, fingerprint)

    def _render_downloads(self, job: RenderJob, page: Page, fingerprint: bytes) -> None:
        view = page.view
        assert isinstance(view, DownloadsView)
        fingerprint = fingerprint or job.fingerprints.of(page)  # (as planned: without sizes)
        known = [job.gate.size_of(file.path) for file in view.files]
        sizes = tuple(
            size if size is not None else job.renderer.size_of(file)  # (a download not built)
            for size, file in zip(known, view.files, strict=True)
        )
        page = dataclasses.replace(page, view=dataclasses.replace(view, sizes=sizes))
        try:
            data = job.renderer.render(page).encode("utf-8")
        except jinja2.TemplateError as error:  # (an archive's own downloads.html)
            raise BuildFailed([template_problem(error, job.dirs)]) from None
        job.gate.record(job.gate.stage(page.path, data, fingerprint))

    def _render_pages(self, job: RenderJob, total: int) -> None:
        done = total - len(job.pages)
        # The replies read are saved for the next build while the workers render.
        for result in render_pages(job, meanwhile=lambda: self._save(None)):
            if isinstance(result, Problem):
                raise BuildFailed([result])
            for outcome in result:
                job.gate.record(outcome)
            done += len(result)
            if self.options.progress:
                self.options.progress(done, total)

    def _search(self, config: Config) -> tuple[Problem, ...]:
        """Index the output, unless the index is of the same pages (say what it said then)."""
        state, output = self._state(), self.options.output_dir
        indexed = all((output / folder).is_dir() for folder in KEPT_FOLDERS)
        if state.searched == state.inputs and indexed:
            return state.search_warnings
        self.wait()  # the search stage forks its readers: not while a thread saves the cache
        warnings = tuple(_index_for_search(self.options, config, self.store, state.manifest))
        self.state = dataclasses.replace(state, searched=state.inputs, search_warnings=warnings)
        self._save(self.state)
        return warnings

    def _state(self) -> OutputState:
        if self.state is None:
            store = self.store
            self.state = store.load_output(self.options.output_dir) if store else OutputState()
        return self.state

    def _save(self, state: OutputState | None) -> None:
        """Save, in the background, what changed of what this build keeps for the next."""
        self.wait()
        store, saves = self.store, [self.replies.saver()]
        if state is not None:
            self.state = state
            if store is not None:
                output = self.options.output_dir
                saves.append(lambda: store.save_output(output, state))
        work = [save for save in saves if save is not None]
        if work:
            self._saving = threading.Thread(target=lambda: [save() for save in work])
            self._saving.start()


def _swappable(
    changes: list[tuple[str, Parsed | None, Parsed | None]],
) -> dict[str, Reply] | None:
    """The changed replies by page path, when none of them moved in the archive."""
    swapped = {}
    for _, before, after in changes:
        old = before.reply if before else None
        new = after.reply if after else None
        if old is None or new is None or shape(old) != shape(new):
            return None
        swapped[urls.reply_path(new)] = new
    return swapped


def build(options: BuildOptions) -> BuildReport:
    """Build the archive at `options.source`; raise `BuildFailed` with every problem found."""
    builder = Builder(options, record=False)
    try:
        return builder.build()
    finally:
        builder.wait()


def check(options: BuildOptions) -> list[Problem]:
    """Every problem a build of `options.source` would find before writing; writes nothing."""
    config, archive, problems = load_archive(options)
    if not any(p.is_error for p in problems):
        plan_pages(archive, config)
    return problems + _plan_warnings(options, config, bool(archive.replies))


def load_archive(options: BuildOptions) -> tuple[Config, Archive, list[Problem]]:
    """Read and validate every reply; the archive holds only the valid ones (with bodies)."""
    loaded = load_config(options.source, options.base_url)
    problems = list(loaded.problems)
    walk = scan_reply_files(options.source)
    problems += walk.problems
    paths = [Path(path) for path in walk.files]
    if not paths:
        problems.append(no_replies(options.source))
    sources, read_problems = read_sources(paths)
    problems += read_problems
    replies = []
    for source in sources:
        reply, reply_problems = validate(source, loaded.config)
        problems += reply_problems
        if reply is not None:
            replies.append(reply)
    problems += duplicate_slugs(replies, options.source)
    problems += stray_pages(options.source)
    return loaded.config, make_archive(replies, slugify), problems


def _plan_warnings(options: BuildOptions, config: Config, has_replies: bool) -> list[Problem]:
    if config.base_url or not has_replies:
        return []
    return [
        warning(
            options.source / CONFIG_FILE,
            0,
            "no base_url: sitemap.xml and feed.xml are not written",
            "set base_url in site.toml or pass --base-url",
        )
    ]


NO_SPACE = (errno.ENOSPC, errno.EDQUOT)
NOT_WRITABLE = (errno.EROFS, errno.EACCES, errno.EPERM)


def _check_output_folder(options: BuildOptions, known: Iterable[str]) -> list[Problem]:
    """A build replaces what it wrote in the output folder: never point it at the user's
    files (`known`: the files the cached manifest says it wrote)."""
    output, source = options.output_dir.resolve(), options.source.resolve()
    if output == source or output in source.parents or source / "content" in output.parents:
        what, hint = "the output folder holds the archive", "choose a separate folder"
        return [Problem(options.output_dir, 0, what, f"{hint}, e.g. --output output")]
    if output.exists() and not output.is_dir():
        what = "the output folder is a file, not a folder"
        return [Problem(options.output_dir, 0, what, "choose a new or empty folder")]
    foreign = foreign_files(output, known)
    if foreign:
        more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        shown = ", ".join(foreign[:3]) + more
        what = f"the output folder holds files reply-archive did not write ({shown})"
        hint = "choose an empty or new folder; a build removes only what it wrote"
        return [Problem(options.output_dir, 0, what, hint)]
    return []


def _output_problem(output: Path, error: OSError, free: int) -> Problem | None:
    """One line for a full disk or an output that cannot be written (else `None`);
    `free`: the bytes the disk had free when the build began."""
    if error.errno in NO_SPACE:
        staged = _megabytes(getattr(error, "staged", 0))
        what = (
            f"no space left on the disk of the output folder: the new pages need more than "
            f"the {staged} staged when it filled up ({_megabytes(free)} were free)"
        )
        return Problem(output, 0, what, f"free more than {staged}, or build elsewhere")
    if error.errno in NOT_WRITABLE:
        where = error.filename or output
        what = f"the output folder is not writable ({error.strerror}: {where})"
        return Problem(output, 0, what, "make it writable, or choose another --output")
    return None


def _free_bytes(output: Path) -> int:
    for folder in (output, *output.parents):
        try:
            return os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
        except OSError:
            continue
    return 0


def _megabytes(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB"


def _index_for_search(
    options: BuildOptions, config: Config, store: CacheStore | None, manifest: Manifest
) -> list[Problem]:
    from builder.search import index_output

    return index_output(options.output_dir, config, store, manifest)
