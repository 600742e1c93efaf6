"""Incremental builds: unchanged pages are neither rendered nor written, an edit rewrites
exactly the pages that show what changed, and a long-lived `Builder` gives the same site
as a cold build."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import datetime
from enum import Enum
from pathlib import Path

import pytest

import builder.build.replies as build_replies
import builder.build.workers as workers
from builder import urls
from builder.archive import Archive, Facet, Group, make_archive, number_order
from builder.build import Builder, BuildOptions, BuildReport, build, load_archive
from builder.build.cache import CACHE_DIR, body_html
from builder.build.fingerprints import Fingerprints
from builder.config import Config
from builder.errors import BuildFailed
from builder.model import Kind, Reply, parse_front_matter
from builder.output import HIDDEN
from builder.pages import (
    FEED_FACETS,
    GROUP_FEED_SIZE,
    Browse,
    Entry,
    ListingView,
    NeighbourLinks,
    Page,
    PageRef,
    Pagination,
    ReplyView,
)
from builder.sources import find_reply_files, read_source

from ..conftest import REPO_ROOT

BUREAUS = ("甲市民政局", "甲市教育局", "乙县民政局")
TAGS = ("养老服务", "教育", "交通", "医疗")
PAGE_SIZE = 4
FEED_SIZE = 3


def reply_text(n: int, title: str = "", body: str = "") -> str:
    bureau = BUREAUS[n % len(BUREAUS)]
    tags = ", ".join(TAGS[(n + k) % len(TAGS)] for k in range(1 + n % 2))
    return (
        "---\n"
        f"title: {title or f'关于第{n}号建议的答复'}\n"
        f"kind: {'suggestion' if n % 2 else 'proposal'}\n"
        f"bureau: {bureau}\n"
        f"published: {2024 + n % 2}-{1 + n % 12:02d}-{1 + n % 27:02d} 10:00:00\n"
        f"tags: [{tags}]\n"
        f"doc_number: 甲复〔2025〕{n}号\n"
        "---\n\n"
        f"{body or f'您提出的第{n}号建议收悉，现答复如下：'}\n\n## 一、基本情况\n\n第{n}段正文。\n"
    )


def make_archive_folder(root: Path, count: int = 22) -> Path:
    replies = root / "content" / "replies"
    replies.mkdir(parents=True)
    for n in range(count):
        (replies / f"reply-{n:02d}.md").write_text(reply_text(n), encoding="utf-8")
    (root / "site.toml").write_text(
        f'title = "测试档案"\nbase_url = "https://example.org/a/"\n'
        f"page_size = {PAGE_SIZE}\nfeed_size = {FEED_SIZE}\n",
        encoding="utf-8",
    )
    return root


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return make_archive_folder(tmp_path / "archive")


@pytest.fixture
def output(tmp_path: Path) -> Path:
    return tmp_path / "site"


def options(source: Path, output: Path, **more: object) -> BuildOptions:
    return BuildOptions(source=source, output=output, search=False, **more)  # type: ignore[arg-type]


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def mtimes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).parts[:2] != (".reply-archive", "lock")
    }


def cold_tree(source: Path, tmp_path: Path) -> dict[str, bytes]:
    """The site a fresh build makes of `source`, with no cache and no previous output."""
    fresh = tmp_path / "cold"
    shutil.rmtree(fresh, ignore_errors=True)
    build(options(source, fresh, cache=False))
    return tree(fresh)


def reply_file(source: Path, n: int) -> Path:
    return source / "content" / "replies" / f"reply-{n:02d}.md"


def pages_showing(source: Path, slug: str, title_changed: bool) -> set[str]:
    """What an edit of reply `slug` must rewrite, worked out from the archive itself: its
    page; the listing page of each list it is in; the feed, if it is in it; and, when its
    title changed, its neighbours' pages (they link to it by title)."""
    config, archive, _ = load_archive(options(source, source / "unused"))
    reply = next(r for r in archive.replies if r.slug == slug)
    expected = {urls.reply_path(reply)}
    expected.add(urls.home_path(_page_of(archive.replies, reply)))
    for group in archive.groups_of(reply):
        members = archive.members(group)
        if group.facet is Facet.SESSION:
            members = tuple(sorted(members, key=number_order))
        expected.add(urls.group_path(group, _page_of(members, reply)))
        in_feed = reply in archive.members(group)[:GROUP_FEED_SIZE]
        if config.base_url and group.facet in FEED_FACETS and in_feed:
            expected.add(urls.group_feed_path(group))
    if reply in archive.replies[: config.feed_size]:
        expected.add(urls.FEED)
    expected |= DOWNLOADS_OF_AN_EDIT
    if title_changed:
        neighbours = archive.neighbours[slug]
        expected |= {urls.reply_path(r) for r in (neighbours.older, neighbours.newer) if r}
    return expected


DOWNLOADS_OF_AN_EDIT = {"data/replies.json", "data/replies.csv"}
"""What an edit to a reply's title rewrites of the downloads (an edit to the body leaves the
CSV as it was: it has no bodies). Their page shows their sizes, rounded: it is rewritten
when a size it shows changed (`written_but_sizes` leaves it out; the whole tree is then
compared with a cold build's)."""


def written_but_sizes(report: BuildReport) -> set[str]:
    return set(report.written) - {urls.DOWNLOADS}


def _page_of(replies: tuple[Reply, ...], reply: Reply) -> int:
    return replies.index(reply) // PAGE_SIZE + 1


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_second_build_renders_and_writes_nothing(source: Path, output: Path) -> None:
    first = build(options(source, output))
    before = mtimes(output)
    second = build(options(source, output))
    assert first.written and first.rendered == first.pages
    assert (second.written, second.removed, second.rendered) == ((), (), 0)
    assert second.pages == first.pages and second.replies == first.replies == 22
    assert mtimes(output) == before


@pytest.mark.slow
def test_without_its_cache_a_second_build_still_writes_nothing(source: Path, output: Path) -> None:
    build(options(source, output))
    shutil.rmtree(source / CACHE_DIR)
    before = mtimes(output)
    again = build(options(source, output))
    assert again.rendered == again.pages  # nothing to trust: every page is rendered
    assert (again.written, again.removed) == ((), ())
    assert mtimes(output) == before


def test_a_build_that_keeps_no_cache_writes_none(source: Path, output: Path) -> None:
    build(options(source, output, cache=False))
    assert not (source / CACHE_DIR).exists()


@pytest.mark.slow
@pytest.mark.parametrize("in_process", [False, True])
def test_a_new_title_rewrites_its_page_its_listings_its_neighbours_and_the_feed(
    source: Path, output: Path, tmp_path: Path, in_process: bool
) -> None:
    build(options(source, output))
    builder = Builder(options(source, output))
    assert builder.build().written == ()
    assert builder.record is not None  # what each page reads, known before the first edit
    builder.wait()
    newest = 21 if 21 % 2 else 20  # in 2025, among the newest: in the feed
    edit(reply_file(source, newest), f"关于第{newest}号建议的答复", "改过的标题")
    report = builder.build([reply_file(source, newest)]) if in_process else _rebuild(source, output)
    expected = pages_showing(source, f"reply-{newest:02d}", title_changed=True)
    assert urls.FEED in expected and len(expected) >= 6
    assert written_but_sizes(report) == expected
    assert report.rendered == len(expected) + 1  # no other page was even rendered (+ sizes)
    assert report.removed == ()
    assert tree(output) == cold_tree(source, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("in_process", [False, True])
def test_a_new_body_rewrites_only_its_page(
    source: Path, output: Path, tmp_path: Path, in_process: bool
) -> None:
    builder = Builder(options(source, output))
    builder.build()
    builder.wait()
    edit(reply_file(source, 7), "第7段正文。", "第7段正文，改过。")
    report = builder.build([reply_file(source, 7)]) if in_process else _rebuild(source, output)
    assert written_but_sizes(report) == {
        "replies/2025/reply-07.html",
        "data/replies.json",  # the body's text and HTML
    }
    assert tree(output) == cold_tree(source, tmp_path)


def _rebuild(source: Path, output: Path) -> object:
    return build(options(source, output))


@pytest.mark.slow
def test_a_reply_moved_to_another_day_and_bureau_rewrites_what_shows_it(
    source: Path, output: Path, tmp_path: Path
) -> None:
    build(options(source, output))
    before = tree(output)
    expected_before = pages_showing(source, "reply-04", title_changed=True)
    edit(reply_file(source, 4), "bureau: 甲市教育局", "bureau: 乙县民政局")
    report = build(options(source, output))
    after = cold_tree(source, tmp_path)
    changed = {path for path in after if before.get(path) != after[path]}
    assert set(report.written) == changed
    assert expected_before <= changed | set(report.removed) | {urls.FEED}
    assert tree(output) == after


@pytest.mark.slow
def test_deleting_a_reply_removes_its_page(source: Path, output: Path, tmp_path: Path) -> None:
    build(options(source, output))
    reply_file(source, 5).unlink()
    report = build(options(source, output))
    assert "replies/2025/reply-05.html" in report.removed
    assert not (output / "replies/2025/reply-05.html").exists()
    assert tree(output) == cold_tree(source, tmp_path)


@pytest.mark.slow
def test_a_template_change_rerenders_the_pages_using_it(
    source: Path, output: Path, tmp_path: Path
) -> None:
    first = build(options(source, output))
    own = source / "templates"
    own.mkdir()
    text = (REPO_ROOT / "templates" / "reply.html").read_text(encoding="utf-8")
    marked = text.replace("{% block main %}", "{% block main %}<!-- own -->", 1)
    (own / "reply.html").write_text(marked, encoding="utf-8")
    report = build(options(source, output))
    replies = {p for p in tree(output) if p.startswith("replies/")}
    assert report.rendered == len(replies) == 22
    assert set(report.written) == replies
    macros = (REPO_ROOT / "templates" / "_macros.html").read_text(encoding="utf-8")
    (own / "_macros.html").write_text(macros.replace("entry-meta", "entry-meta own"), "utf-8")
    again = build(options(source, output))
    listings = {
        p
        for p in tree(output)
        if p.endswith(".html")
        and '<ol class="entries"' in ((output / p).read_text(encoding="utf-8"))
    }
    assert listings and set(again.written) == listings
    assert again.rendered == len(replies) + len(listings) < first.pages
    assert tree(output) == cold_tree(source, tmp_path)


@pytest.mark.slow
def test_a_long_lived_builder_gives_what_a_cold_build_gives(
    source: Path, output: Path, tmp_path: Path
) -> None:
    builder = Builder(options(source, output))
    builder.build()
    steps: list[str] = []

    def step(name: str, *changed: Path) -> None:
        report = builder.build(list(changed))
        assert tree(output) == cold_tree(source, tmp_path), name
        assert report.replies == len(find_reply_files(source))
        steps.append(name)

    edit(reply_file(source, 3), "关于第3号建议的答复", "新标题")
    step("title", reply_file(source, 3))
    edit(reply_file(source, 3), "doc_number: 甲复〔2025〕3号", "doc_number: 甲复〔2025〕33号")
    step("document number", reply_file(source, 3))
    edit(reply_file(source, 8), "published: 2024-09-09", "published: 2025-12-30")
    step("date", reply_file(source, 8))
    edit(reply_file(source, 9), "tags: [教育, 交通]", "tags: [新主题]")
    step("tags", reply_file(source, 9))
    reply_file(source, 11).unlink()
    step("deleted", reply_file(source, 11))
    reply_file(source, 30).write_text(reply_text(30), encoding="utf-8")
    step("added", reply_file(source, 30))
    edit(source / "site.toml", "测试档案", "改名的档案")
    step("config", source / "site.toml")
    edit(reply_file(source, 12), "第12段正文。", "第12段。")
    step("body after all that", reply_file(source, 12))
    step("nothing")
    assert len(steps) == 9


def test_a_long_lived_builder_recovers_from_an_error(source: Path, output: Path) -> None:
    builder = Builder(options(source, output))
    builder.build()
    before = tree(output)
    edit(reply_file(source, 2), "kind: proposal", "kind: opinion")
    with pytest.raises(BuildFailed) as failure:
        builder.build([reply_file(source, 2)])
    assert [p.line for p in failure.value.errors] == [3]
    assert tree(output) == before
    edit(reply_file(source, 2), "kind: opinion", "kind: proposal")
    report = builder.build([reply_file(source, 2)])
    assert (report.written, report.removed) == ((), ())


def test_files_changed_or_added_by_hand_are_put_right(source: Path, output: Path) -> None:
    build(options(source, output))
    page = output / "replies/2024/reply-04.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"</html>", b"<!-- hand -->\n</html>"))
    (output / "years/index.html").unlink()
    (output / "stray.html").write_text("x", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(options(source, output))  # a file it did not write is the user's: never removed
    assert "did not write (stray.html)" in failed.value.problems[0].message
    assert (output / "stray.html").read_text(encoding="utf-8") == "x"
    (output / "stray.html").unlink()
    report = build(options(source, output))
    assert set(report.written) == {"replies/2024/reply-04.html", "years/index.html"}
    assert report.removed == ()
    assert page.read_bytes() == original


@pytest.mark.slow
def test_rendering_in_forked_workers_gives_the_same_site(
    source: Path, output: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "PARALLEL_FROM", 2)
    monkeypatch.setattr(workers, "worker_count", lambda: 2)
    report = build(options(source, output))
    assert report.rendered == report.pages
    monkeypatch.undo()
    assert tree(output) == cold_tree(source, tmp_path)


def _views() -> list[object]:
    reply = Reply(
        source=Path("content/replies/a.md"),
        slug="a",
        title="标题",
        kind=Kind.SUGGESTION,
        bureau="甲市民政局",
        region="甲市",
        published=datetime(2025, 1, 2),
        published_has_time=False,
        body_html="",
    )
    group = Group(Facet.BUREAU, "甲市民政局", "jiashiminzhengju", 3, "甲市")
    ref = PageRef("replies/2025/b.html", "乙")
    return [
        ReplyView(
            reply,
            NeighbourLinks(ref, None),
            (PageRef("tags/x/index.html", "x"),),
            group,
            Group(Facet.YEAR, "2025", "2025", 9),
        ),
        ListingView(
            "全部",
            (Entry(reply, (ref,)),),
            1,
            Pagination(1, ("index.html",)),
            1,
            group,
            Browse(1, 2, 3, (group,)),
        ),
    ]


def _other(value: object) -> object:
    """A different value of the same kind."""
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, bool | int):
        return int(value) + 1
    if isinstance(value, tuple):
        return value[:-1] if value else (PageRef("p.html", "p"),)
    if value is None:
        return PageRef("q.html", "q")
    if isinstance(value, Enum):
        return next(member for member in type(value) if member is not value)
    if isinstance(value, Reply):  # another reply file: another digest
        return dataclasses.replace(value, slug=value.slug + "x")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        first = dataclasses.fields(value)[0]
        return dataclasses.replace(value, **{first.name: _other(getattr(value, first.name))})
    raise AssertionError(f"no other value for {value!r}")


@pytest.mark.parametrize("view", _views(), ids=lambda v: type(v).__name__)
def test_every_field_of_a_view_counts_in_its_fingerprint(view: object) -> None:
    replies = {"a": b"digest of a", "ax": b"digest of ax"}
    fingerprints = Fingerprints(Config(), "code", {"t.html": b"t"}, replies)
    base = fingerprints.of(Page("p.html", "t.html", view))  # type: ignore[arg-type]
    assert dataclasses.is_dataclass(view)
    for f in dataclasses.fields(view):
        changed = dataclasses.replace(view, **{f.name: _other(getattr(view, f.name))})  # type: ignore[type-var]
        again = Fingerprints(Config(), "code", {"t.html": b"t"}, replies)
        assert again.of(Page("p.html", "t.html", changed)) != base, f.name  # type: ignore[arg-type]


def test_a_fingerprint_follows_the_reply_file_the_template_and_the_config() -> None:
    view = _views()[0]
    page = Page("p.html", "t.html", view)  # type: ignore[arg-type]
    base = Fingerprints(Config(), "code", {"t.html": b"t"}, {"a": b"1"}).of(page)
    assert Fingerprints(Config(), "code", {"t.html": b"t"}, {"a": b"1"}).of(page) == base
    assert Fingerprints(Config(), "code", {"t.html": b"t"}, {"a": b"2"}).of(page) != base
    assert Fingerprints(Config(), "code", {"t.html": b"u"}, {"a": b"1"}).of(page) != base
    assert Fingerprints(Config(), "other", {"t.html": b"t"}, {"a": b"1"}).of(page) != base
    assert Fingerprints(Config(title="x"), "code", {"t.html": b"t"}, {"a": b"1"}).of(page) != base


def test_libyaml_reads_front_matter_as_pyyaml_does() -> None:
    sources = [read_source(p) for p in find_reply_files(REPO_ROOT)]
    sources += [read_source(p) for p in (REPO_ROOT / "tests" / "fixtures").rglob("*.md")]
    checked = 0
    for source in sources:
        if isinstance(source, Path) or not hasattr(source, "front_matter"):
            continue
        quick = parse_front_matter(source)  # type: ignore[arg-type]
        exact = parse_front_matter(source, quick=False)  # type: ignore[arg-type]
        assert quick == exact, source.path  # type: ignore[union-attr]
        checked += 1
    assert checked >= 5


def test_the_archive_keeps_groups_light() -> None:
    _, archive, _ = load_archive(BuildOptions(source=REPO_ROOT))
    assert isinstance(archive, Archive)
    for group in archive.tags + archive.bureaus + archive.years:
        assert group.count == len(archive.members(group)) > 0


def test_a_first_read_names_every_group_on_the_workers(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pypinyin's 0.1 ms a name, for every proposer of a large archive, is done where the
    # files are parsed: the archive then finds every slug known.
    monkeypatch.setattr(workers, "PARALLEL_FROM", 2)
    monkeypatch.setattr(workers, "worker_count", lambda: 2)
    files = build_replies.ReplyFiles(source, None)
    config = Config(title="测试档案")
    replies, _ = files.read(config, None, tmp_path / "bodies")
    assert len(replies) == 22
    assert [files.body_of(r) for r in replies] == [body_html(r) for r in replies]  # (spooled)
    files.forget_bodies()
    assert not (tmp_path / "bodies").exists()

    def unexpected(name: str) -> str:
        raise AssertionError(f"{name} was not slugged with its file")

    monkeypatch.setattr(build_replies, "slugify", unexpected)
    archive = make_archive(replies, files.slug)
    expected = make_archive(replies)  # (with slugify itself)
    for facet in ("tags", "bureaus", "years", "kinds", "sessions", "proposers"):
        assert getattr(archive, facet) == getattr(expected, facet)
    assert archive.tags and archive.regions == expected.regions
    files.slug("甲市民政局")
    with pytest.raises(AssertionError):
        files.slug("乙市民政局")  # (a name no file gave: the check above can fail)


def test_the_bodies_spool_is_gone_after_every_build(source: Path, output: Path) -> None:
    spool = output / HIDDEN / "bodies"
    build(options(source, output))
    assert not spool.exists()
    touched = next(source.rglob("*.md"))
    touched.touch()  # (read again: its body spooled, then the build finds nothing changed)
    report = build(options(source, output))
    assert report.rendered == 0 and not spool.exists()
    builder = Builder(options(source, output))
    (source / "content" / "replies" / "bad.md").write_text("---\ntitle: [\n---\n", "utf-8")
    with pytest.raises(BuildFailed):
        builder.build()
    assert not spool.exists()
    assert builder.replies.bodies == {}


def test_a_build_refused_its_output_spools_nothing(source: Path, tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "mine.txt").write_text("not reply-archive's", "utf-8")
    reads: list[object] = []
    original = build_replies.ReplyFiles.read

    def read(self: build_replies.ReplyFiles, config: Config, changed: object, spool: object):  # type: ignore[no-untyped-def]
        reads.append(spool)
        return original(self, config, changed, spool)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build_replies.ReplyFiles, "read", read)
        with pytest.raises(BuildFailed):
            build(options(source, taken))
    assert reads == [None]
    assert sorted(p.name for p in taken.iterdir()) == ["mine.txt"]
