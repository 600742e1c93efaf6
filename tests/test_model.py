"""Validation of one reply file into a `Reply`, with line-aware problems."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from builder.config import Config
from builder.model import Kind, region_of, validate
from builder.sources import Source, read_source, split_front_matter

from .conftest import MINIMAL_REPLY, SAMPLE_REPLIES


def source_of(text: str, name: str = "x.md") -> Source:
    result = split_front_matter(Path(name), text)
    assert isinstance(result, Source)
    return result


def test_the_seed_reply_validates_field_for_field() -> None:
    source = read_source(SAMPLE_REPLIES / "2025" / "wuhaishi-2025-jianyi-hn-35.md")
    assert isinstance(source, Source)
    reply, problems = validate(source, Config())
    assert problems == []
    assert reply is not None
    assert reply.slug == "wuhaishi-2025-jianyi-hn-35"
    assert reply.kind is Kind.SUGGESTION
    assert reply.bureau == "乌海市民政局"
    assert reply.region == "乌海市"
    assert reply.published == datetime(2025, 8, 4, 12, 43, 38)
    assert reply.published_has_time
    assert reply.written == date(2025, 6, 20)
    assert reply.doc_number == "乌民复〔2025〕20号"
    assert reply.index_number == "11150300011554455T/2025-04037"
    assert reply.proposers == ("陈可才", "刘治平")
    assert reply.addressees == "陈可才、刘治平代表"
    assert reply.contacts == (("分管领导", "张哲恒"), ("联系人", "吴棣"), ("电话", "8992056"))
    assert "<h2>一、基本情况</h2>" in reply.body_html
    assert "<h3>(一)针对养老服务供需矛盾问题</h3>" in reply.body_html


def test_a_number_written_without_quotes_is_kept_as_text() -> None:
    text = MINIMAL_REPLY.replace("tags:", "number: 150\ncontacts: {电话: 8992056}\ntags:")
    reply, problems = validate(source_of(text), Config())
    assert problems == [] and reply is not None
    assert reply.number == "150"
    assert reply.contacts == (("电话", "8992056"),)


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("suggestion", Kind.SUGGESTION),
        ("建议", Kind.SUGGESTION),
        ("proposal", Kind.PROPOSAL),
        ("提案", Kind.PROPOSAL),
    ],
)
def test_kind_accepts_english_and_chinese(word: str, kind: Kind) -> None:
    reply, _ = validate(
        source_of(MINIMAL_REPLY.replace("kind: proposal", f"kind: {word}")), Config()
    )
    assert reply is not None and reply.kind is kind


@pytest.mark.parametrize(
    ("published", "expected", "has_time"),
    [
        ("2025-07-07", datetime(2025, 7, 7), False),
        ("2025-07-07 14:40", datetime(2025, 7, 7, 14, 40), True),
        ("'2025-07-07T14:40:05'", datetime(2025, 7, 7, 14, 40, 5), True),
    ],
)
def test_published_takes_a_date_or_a_date_and_time(
    published: str, expected: datetime, has_time: bool
) -> None:
    text = MINIMAL_REPLY.replace("published: 2025-07-07 14:40:00", f"published: {published}")
    reply, _ = validate(source_of(text), Config())
    assert reply is not None
    assert (reply.published, reply.published_has_time) == (expected, has_time)


def test_errors_point_at_the_line_of_their_key() -> None:
    text = MINIMAL_REPLY.replace("kind: proposal", "kind: proposal\noutcome: Z")
    reply, problems = validate(source_of(text), Config())
    assert reply is None
    assert [(p.line, p.message) for p in problems] == [(4, "unknown outcome `Z`")]


def test_outcome_codes_come_from_the_config() -> None:
    text = MINIMAL_REPLY.replace("kind: proposal", "kind: proposal\noutcome: 甲")
    config = Config(outcomes={"甲": "已解决"})  # type: ignore[arg-type]
    reply, problems = validate(source_of(text), config)
    assert problems == [] and reply is not None and reply.outcome == "甲"


def test_a_file_name_that_is_not_ascii_becomes_a_pinyin_slug() -> None:
    reply, _ = validate(source_of(MINIMAL_REPLY, "潜江答复.md"), Config())
    assert reply is not None and reply.slug == "qianjiangdafu"


def test_proposers_may_be_one_string() -> None:
    text = MINIMAL_REPLY.replace("tags:", "proposers: 陈可才、刘治平\ntags:")
    reply, _ = validate(source_of(text), Config())
    assert reply is not None and reply.proposers == ("陈可才", "刘治平")


@pytest.mark.parametrize(
    ("bureau", "region"),
    [
        ("乌海市民政局", "乌海市"),
        ("潜江市民政局", "潜江市"),
        ("达尔罕茂明安联合旗教育局", "达尔罕茂明安联合旗"),
        ("海淀区卫生健康委员会", "海淀区"),
        ("杭州市民政局", "杭州市"),
        ("湖北省潜江市民政局", "潜江市"),
        ("湖北省民政厅", "湖北省"),
        ("民政局", ""),
    ],
)
def test_region_is_the_bureaus_leading_place_name(bureau: str, region: str) -> None:
    assert region_of(bureau) == region


def test_front_matter_must_be_closed() -> None:
    result = split_front_matter(Path("x.md"), "---\ntitle: 答复\n\n正文")
    assert not isinstance(result, Source)
    assert result.line == 1 and "never closed" in result.message


def test_crlf_and_bom_are_read(tmp_path: Path) -> None:
    path = tmp_path / "crlf.md"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL_REPLY.replace("\n", "\r\n").encode("utf-8"))
    source = read_source(path)
    assert isinstance(source, Source)
    reply, problems = validate(source, Config())
    assert problems == [] and reply is not None and reply.bureau == "潜江市民政局"


def test_a_file_that_is_not_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "gbk.md"
    path.write_bytes(MINIMAL_REPLY.encode("gb18030"))
    problem = read_source(path)
    assert not isinstance(problem, Source)
    assert problem.line == 2 and "not UTF-8" in problem.message
