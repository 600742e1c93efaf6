"""The URL scheme: where pages live and the relative links between them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from builder import urls
from builder.archive import Facet, Group
from builder.model import Kind, Reply
from builder.slugs import is_plain_slug, slugify


def reply(slug: str = "wuhaishi-2025-jianyi-hn-35", year: int = 2025) -> Reply:
    return Reply(
        source=Path("x.md"),
        slug=slug,
        title="答复",
        kind=Kind.SUGGESTION,
        bureau="乌海市民政局",
        region="乌海市",
        published=datetime(year, 8, 4),
        published_has_time=False,
        body_html="",
    )


def test_each_kind_of_page_has_one_file_path() -> None:
    tag = Group(Facet.TAG, "养老服务", "yanglaofuwu", count=1)
    assert urls.path_of(reply()) == "replies/2025/wuhaishi-2025-jianyi-hn-35.html"
    assert urls.path_of(tag) == "tags/yanglaofuwu/index.html"
    assert urls.group_path(tag, 3) == "tags/yanglaofuwu/3.html"
    assert urls.path_of(Facet.BUREAU) == "bureaus/index.html"
    assert urls.home_path(1) == "index.html"
    assert urls.home_path(2) == "page/2.html"


@pytest.mark.parametrize(
    ("from_path", "to_path", "link"),
    [
        ("index.html", "static/style.css", "static/style.css"),
        ("replies/2025/a.html", "static/style.css", "../../static/style.css"),
        ("replies/2025/a.html", "replies/2024/b.html", "../2024/b.html"),
        ("tags/x/index.html", "tags/x/2.html", "2.html"),
        ("page/2.html", "index.html", "../index.html"),
        ("tags/x/2.html", "bureaus/y/index.html", "../../bureaus/y/index.html"),
    ],
)
def test_links_are_relative_and_name_a_file(from_path: str, to_path: str, link: str) -> None:
    assert urls.relative(from_path, to_path) == link


@pytest.mark.parametrize(
    ("path", "inside"),
    [
        ("index.html", True),
        ("replies/2025/a.html", True),
        ("../x.html", False),
        ("/etc/passwd", False),
        ("a/../../x", False),
        ("a\\b", False),
    ],
)
def test_output_paths_stay_inside_the_output(path: str, inside: bool) -> None:
    assert urls.is_inside_output(path) is inside


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("乌海市民政局", "wuhaishiminzhengju"),
        ("养老服务", "yanglaofuwu"),
        ("HN-35", "hn-35"),
        ("1+3 +N 智慧养老", "1-3-n-zhihuiyanglao"),
    ],
)
def test_slugs_are_ascii_pinyin(text: str, slug: str) -> None:
    assert slugify(text) == slug
    assert is_plain_slug(slugify(text))


def test_a_slug_of_nothing_readable_is_still_a_stable_file_name() -> None:
    assert slugify("！！") == slugify("！！")
    assert is_plain_slug(slugify("！！"))
    assert not is_plain_slug("../x") and not is_plain_slug("a/b") and not is_plain_slug("")


@pytest.mark.parametrize(
    ("base", "root"),
    [
        ("https://example.org", "/"),
        ("https://example.org/", "/"),
        ("https://example.org/archive", "/archive/"),
        ("https://政府.example/答复/", "/答复/"),
    ],
)
def test_the_site_root_is_the_base_urls_path_only(base: str, root: str) -> None:
    assert urls.site_root(base) == root
