"""Open data and the researcher's views, read back from a built site: the downloads (JSON
against its schema, CSV as Excel opens it), the kind, session and proposer listings, the
statistics, the feeds and the JSON-LD, each checked against the archive they come from."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from benchmarks.generate import generate
from builder import data, urls
from builder.archive import Archive, Facet, number_order, proposer_names, session_names
from builder.build import BuildOptions, build, load_archive
from builder.errors import BuildFailed

from .conftest import WriteReply

BASE = "https://example.org/archive/"
ATOM = "{http://www.w3.org/2005/Atom}"
REPLIES = 40


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(REPLIES, tmp_path_factory.mktemp("open-data") / "archive")


@pytest.fixture(scope="module")
def site(generated: Path) -> Path:
    output = generated.parent / "site"
    build(BuildOptions(source=generated, output=output, base_url=BASE, search=False))
    return output


@pytest.fixture(scope="module")
def built(generated: Path) -> Archive:
    """The archive the site is built from."""
    return load_archive(BuildOptions(source=generated, output=generated / "x"))[1]


def read_json(site: Path, name: str = "replies.json") -> dict:  # type: ignore[type-arg]
    return json.loads((site / "data" / name).read_text(encoding="utf-8"))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.mark.slow
def test_the_json_download_validates_against_its_shipped_schema(site: Path) -> None:
    document = read_json(site)
    schema = read_json(site, "replies.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())
    assert document["schema_version"] == data.SCHEMA_VERSION
    assert document["count"] == len(document["replies"]) == REPLIES


def test_the_schema_rejects_a_record_it_does_not_describe(site: Path) -> None:
    document, schema = read_json(site), read_json(site, "replies.schema.json")
    document["replies"][0]["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


def test_every_reply_is_in_the_json_once_with_the_fields_its_page_shows(
    site: Path, built: Archive
) -> None:
    records = read_json(site)["replies"]
    assert [r["slug"] for r in records] == [r.slug for r in built.replies]
    for record, reply in zip(records, built.replies, strict=True):
        page = (site / record["url"]).read_text(encoding="utf-8")
        assert f">{reply.title}</h1>" in page and record["title"] == reply.title
        assert record["bureau"] == reply.bureau and reply.bureau in page
        assert record["doc_number"] == reply.doc_number
        assert record["tags"] == list(reply.tags)
        assert record["proposers"] == list(reply.proposers)
        assert record["published"].startswith(reply.published.date().isoformat())
        # The text as plain text: every paragraph of the page's body, without markup.
        assert "<" not in record["body_text"]
        first = record["body_text"].split("\n\n")[0]
        assert first and first in text_of(page)
        # The HTML as the page shows it, but for the ids the page gives its sections.
        assert record["body_html"] in re.sub(r' id="sec-[0-9]+"', "", page)


def test_the_csv_opens_in_excel_with_a_bom_a_row_a_reply_and_no_bodies(
    site: Path, built: Archive
) -> None:
    raw = (site / "data" / "replies.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(built.replies)
    assert tuple(rows[0]) == data.CSV_FIELDS and "body_text" not in rows[0]
    for row, reply in zip(rows, built.replies, strict=True):
        assert row["url"] == urls.reply_path(reply)
        assert row["tags"].split(data.LIST_SEPARATOR) == list(reply.tags)
        assert row["proposers"] == data.LIST_SEPARATOR.join(reply.proposers)


def test_the_downloads_page_gives_each_file_its_true_size_and_count(site: Path) -> None:
    page = (site / urls.DOWNLOADS).read_text(encoding="utf-8")
    for name in ("replies.json", "replies.csv", "replies.schema.json"):
        size = (site / "data" / name).stat().st_size
        row = re.search(rf'href="{re.escape(name)}" download>.*?</tr>', page, re.S)
        assert row is not None, name
        assert f"<td>{data.human_size(size)}</td>" in row.group(0)
    assert f"<td>{REPLIES}</td>" in page
    assert "许可与引用" in page and "本站未声明数据许可" in page
    for name, _ in data.field_table():
        assert f"<code>{name}</code>" in page


@pytest.mark.slow
def test_a_large_archive_gets_a_json_file_per_year_and_one_csv(generated: Path) -> None:
    split = generated.parent / "split"
    build(BuildOptions(source=generated, output=split, search=False))
    (generated / "site.toml").write_text("data_split_from = 10\n", encoding="utf-8")
    try:
        build(BuildOptions(source=generated, output=split, search=False, cache=False))
    finally:
        (generated / "site.toml").unlink()
    files = sorted(p.name for p in (split / "data").iterdir())
    assert "replies.json" not in files and "replies.csv" in files
    yearly = [
        json.loads((split / "data" / n).read_text("utf-8"))
        for n in files
        if "-" in n and n.endswith(".json")
    ]
    assert len(yearly) >= 2 and sum(d["count"] for d in yearly) == REPLIES
    assert all({r["published"][:4] for r in d["replies"]} == {str(d["year"])} for d in yearly)


def test_kind_listings_hold_each_kind_and_add_up(site: Path, built: Archive) -> None:
    counts = Counter(r.kind.label for r in built.replies)
    assert {g.name: g.count for g in built.kinds} == dict(counts)
    index = (site / "kinds/index.html").read_text(encoding="utf-8")
    for group in built.kinds:
        assert f'href="{group.slug}/index.html">{group.name}</a>' in index
        page = (site / urls.group_path(group)).read_text(encoding="utf-8")
        assert f"共 {group.count} 件答复" in page


def test_a_session_page_lists_its_replies_by_number_with_counts_per_bureau(
    site: Path, built: Archive
) -> None:
    session = max(built.sessions, key=lambda g: g.count)
    members = sorted(built.members(session), key=number_order)
    page = (site / urls.group_path(session)).read_text(encoding="utf-8")
    titles = re.findall(r'class="entry-title"><a href="[^"]+">([^<]+)</a>', page)
    assert titles == [r.proposal_title or r.title for r in members][: len(titles)] and titles
    for bureau, count in Counter(r.bureau for r in members).items():
        assert re.search(rf">{re.escape(bureau)}</a> <span class=\"count\">（{count}）", page)
    assert "按答复编号排列" in page


def test_numbers_sort_as_people_count(write_reply: WriteReply, archive: Path) -> None:
    for number in ("10", "2", "HN-35", "HN-9", ""):
        write_reply(
            f"r{number or 'none'}.md",
            f"---\ntitle: 第{number}号\nkind: suggestion\nbureau: 甲市民政局\n"
            f"published: 2025-01-01\nsession: 市一届人大一次会议\nnumber: '{number}'\n---\n正文\n",
        )
    loaded = load_archive(BuildOptions(source=archive, output=archive / "o"))[1]
    ordered = sorted(loaded.replies, key=number_order)
    assert [r.number for r in ordered] == ["2", "10", "HN-9", "HN-35", ""]
    assert [g.name for g in loaded.sessions] == ["甲市·市一届人大一次会议"]


def test_a_proposer_page_holds_every_reply_to_them_and_the_index_groups_by_role(
    site: Path, built: Archive
) -> None:
    expected: Counter[str] = Counter()
    for reply in built.replies:
        expected.update(proposer_names(reply))
    assert {g.name: g.count for g in built.proposers} == dict(expected)
    index = (site / "proposers/index.html").read_text(encoding="utf-8")
    roles = [role for role, _ in built.proposers_by_role()]
    assert roles[0] == "人大代表" and set(roles) <= {"人大代表", "政协委员"}
    assert all(f">{role}</h2>" in index for role in roles)
    busiest = max(built.proposers, key=lambda g: g.count)
    page = (site / urls.group_path(busiest)).read_text(encoding="utf-8")
    for reply in built.members(busiest):
        assert urls.reply_path(reply).rsplit("/", 1)[1] in page


def test_a_reply_links_to_its_session_each_proposer_and_its_kind(
    site: Path, built: Archive
) -> None:
    reply = next(r for r in built.replies if r.proposers and r.session)
    page = (site / urls.reply_path(reply)).read_text(encoding="utf-8")
    for group in built.sessions_of(reply) + built.proposers_of(reply):
        assert f'href="../../{urls.group_path(group)}"' in page
    assert f'href="../../{urls.group_path(built.kind_of(reply))}"' in page
    assert session_names(reply)


def test_the_statistics_page_counts_what_the_archive_holds(site: Path, built: Archive) -> None:
    page = (site / urls.STATISTICS).read_text(encoding="utf-8")
    for year in built.years:
        assert re.search(rf">{year.name}年</a></th><td>{year.count}</td>", page), year.name
    for kind in built.kinds:
        assert re.search(rf">{kind.name}</a></th><td>{kind.count}</td>", page)
    outcomes = Counter(r.outcome for r in built.replies)
    for code, count in outcomes.items():
        if code:
            assert re.search(rf"<th scope=\"row\">{code}类：[^<]+</th><td>{count}</td>", page)
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert main.count("<svg") == main.count("<table") == 6
    assert "<script" not in page.split("<main", 1)[1]  # charts are drawn at build time


def test_every_feed_is_well_formed_atom_with_absolute_links_and_is_linked(
    site: Path, built: Archive
) -> None:
    feeds = sorted(site.rglob("feed.xml"))
    groups = built.tags + built.bureaus + built.sessions + built.proposers
    assert len(feeds) == len(groups) + 1
    for feed in feeds:
        root = ET.parse(feed).getroot()
        assert root.tag == f"{ATOM}feed"
        links = [link.get("href", "") for link in root.iter(f"{ATOM}link")]
        assert links and all(href.startswith(BASE) and "/../" not in href for href in links)
        entries = root.findall(f"{ATOM}entry")
        assert 1 <= len(entries) <= 50
    group = built.bureaus[0]
    listing = (site / urls.group_path(group)).read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml"' in listing
    assert 'href="feed.xml" type="application/atom+xml">订阅' in listing
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="feed.xml" type="application/atom+xml">订阅全部答复' in home


@pytest.mark.slow
def test_without_a_base_url_no_feed_is_written(generated: Path, tmp_path: Path) -> None:
    build(BuildOptions(source=generated, output=tmp_path / "out", search=False))
    assert not list((tmp_path / "out").rglob("feed.xml"))
    assert "订阅" not in (tmp_path / "out/index.html").read_text(encoding="utf-8")


def test_json_ld_is_valid_and_cannot_close_its_script(
    archive: Path, write_reply: WriteReply
) -> None:
    title = "标题</script><script>alert(1)</script>&"
    write_reply(
        "x.md",
        f"---\ntitle: '{title}'\nkind: proposal\nbureau: 乙县财政局\npublished: 2024-05-06\n"
        "doc_number: 乙财复〔2024〕3号\ntags: [财政]\n---\n正文\n",
    )
    build(BuildOptions(source=archive, output=archive / "out", search=False))
    page = next((archive / "out/replies").rglob("*.html")).read_text(encoding="utf-8")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block is not None and "<" not in block.group(1)
    document = json.loads(block.group(1))
    assert document["@type"] == "DigitalDocument" and document["name"] == title
    assert document["author"] == {
        "@type": "GovernmentOrganization",
        "name": "乙县财政局",
        "areaServed": "乙县",
    }
    assert document["identifier"] == "乙财复〔2024〕3号"


@pytest.mark.slow
def test_site_toml_turns_each_view_off(generated: Path, tmp_path: Path) -> None:
    (generated / "site.toml").write_text(
        "downloads = false\nstatistics = false\nkind_pages = false\n"
        "session_pages = false\nproposer_pages = false\ngroup_feeds = false\n",
        encoding="utf-8",
    )
    try:
        out = tmp_path / "out"
        build(BuildOptions(source=generated, output=out, base_url=BASE, search=False))
    finally:
        (generated / "site.toml").unlink()
    for folder in ("data", "stats", "kinds", "sessions", "proposers"):
        assert not (out / folder).exists(), folder
    assert [p.relative_to(out).as_posix() for p in out.rglob("feed.xml")] == ["feed.xml"]
    page = next((out / "replies").rglob("*.html")).read_text(encoding="utf-8")
    assert "proposers/" not in page and "sessions/" not in page


@pytest.mark.slow
def test_a_second_build_writes_none_of_the_new_outputs(generated: Path, tmp_path: Path) -> None:
    options = BuildOptions(source=generated, output=tmp_path / "out", base_url=BASE, search=False)
    first = build(options)
    assert {"data/replies.json", urls.STATISTICS, urls.DOWNLOADS} <= set(first.written)
    assert build(options).written == ()


def _shown_size(site: Path, name: str) -> str:
    page = (site / urls.DOWNLOADS).read_text(encoding="utf-8")
    row = re.search(rf'href="{re.escape(name)}" download>.*?</tr>', page, re.S)
    assert row is not None, name
    return row.group(0)


@pytest.mark.slow
def test_after_an_edit_the_downloads_page_gives_the_new_sizes(
    generated: Path, tmp_path: Path
) -> None:
    """The page takes the sizes from the files as this build wrote them, or as an earlier
    build left them when it did not write them again."""
    source = tmp_path / "archive"
    shutil.copytree(generated, source)
    options = BuildOptions(source=source, output=tmp_path / "out", search=False)
    build(options)
    reply = next((source / "content" / "replies").rglob("*.md"))
    reply.write_text(reply.read_text(encoding="utf-8") + "\n补充：" + "长" * 3000 + "\n", "utf-8")
    written = build(options).written
    assert "data/replies.json" in written and urls.DOWNLOADS in written
    for name in ("replies.json", "replies.csv"):
        size = (tmp_path / "out" / "data" / name).stat().st_size
        assert f"<td>{data.human_size(size)}</td>" in _shown_size(tmp_path / "out", name)
    settings = source / "site.toml"
    before = settings.read_text(encoding="utf-8") if settings.exists() else ""
    settings.write_text('licence = "CC BY 4.0"\n' + before, encoding="utf-8")
    assert "data/replies.schema.json" not in build(options).written
    size = (tmp_path / "out" / "data" / "replies.schema.json").stat().st_size
    shown = _shown_size(tmp_path / "out", "replies.schema.json")
    assert f"<td>{data.human_size(size)}</td>" in shown


def test_facets_have_labels_and_folders() -> None:
    assert [f.value for f in (Facet.KIND, Facet.SESSION, Facet.PROPOSER)] == [
        "kinds",
        "sessions",
        "proposers",
    ]
    assert Facet.SESSION.label == "会议" and Facet.PROPOSER.label == "提出人"


def test_a_broken_downloads_template_of_an_archive_is_an_error_line(
    generated: Path, tmp_path: Path
) -> None:
    """The downloads page is rendered after the others, in the build's own process: a
    mistake in an archive's own downloads.html is a path:line error there too."""
    source = tmp_path / "archive"
    shutil.copytree(generated, source)
    (source / "templates").mkdir()
    (source / "templates" / "downloads.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ page.sizes | no_such_filter }}\n'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    output = tmp_path / "out"
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(source=source, output=output, search=False))
    (problem,) = failed.value.problems
    assert problem.path == source / "templates" / "downloads.html"
    assert "no_such_filter" in problem.message
