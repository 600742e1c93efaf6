"""The pieces of §2 one at a time: dates, colon-less fields, doc numbers, titles, addressees."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from builder.ingest.addressees import named_in_text, parse_addressee
from builder.ingest.dates import first_moment
from builder.ingest.fields import find_fields, parse_fields
from builder.ingest.page import Line, Page
from builder.ingest.reply import extract_reply
from builder.ingest.titles import bureau_in_title, parse_title


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("20230514", date(2023, 5, 14)),
        ("2024 611", date(2024, 6, 11)),
        ("2024 1103", date(2024, 11, 3)),
        ("2024.6.11", date(2024, 6, 11)),
        ("二〇二四年六月十一日", date(2024, 6, 11)),
        ("二0二四年六月十一日", date(2024, 6, 11)),
        ("二〇一二年十二月三十一日", date(2012, 12, 31)),
    ],
)
def test_dates_as_pages_write_them(text: str, day: date) -> None:
    assert first_moment(text) == day


@pytest.mark.parametrize("text", ["2012年13月40日", "20231340", "2024 1340", "2024年6月", "明天"])
def test_a_date_that_cannot_be_read_is_none_never_a_wrong_date(text: str) -> None:
    assert first_moment(text) is None


def _fields(*texts: str) -> dict[str, str]:
    lines = [Line(text, number) for number, text in enumerate(texts, 1)]
    return {f.key: f.value for f in parse_fields(lines)}


def test_colon_less_labels_with_tabs_spaces_cells_and_bullets() -> None:
    assert _fields("发布机构\t某某县民政局", "发布日期  2024-06-11") == {
        "bureau": "某某县民政局",
        "published": "2024-06-11",
    }
    assert _fields("| 索引号 | 001/2024-1 | 文号 | |") == {
        "index_number": "001/2024-1",
        "doc_number": "",
    }
    assert _fields("- 文号", "- 某民发【2023】118号") == {"doc_number": "某民发【2023】118号"}
    assert _fields("发布机构  某某县民政局    发布日期  20240611") == {
        "bureau": "某某县民政局",
        "published": "20240611",
    }


def test_a_sentence_starting_with_a_label_word_is_no_field() -> None:
    assert find_fields(Line("时间紧、任务重，我局加班加点完成了改造。", 1))[1] == []
    assert find_fields(Line("时间 紧任务重", 1))[1] == []


def test_an_empty_value_stays_empty() -> None:
    assert _fields("文号：", "关于县十八届人大三次会议第17号建议的答复") == {"doc_number": ""}
    assert _fields("发布日期：", "某某县民政局") == {"published": ""}
    assert _fields("发布日期：", "2024-06-11") == {"published": "2024-06-11"}


def test_titles_with_a_bureau_first_or_a_year() -> None:
    title = "某某县农业农村局对县十八届人大三次会议第17号建议的答复"
    assert parse_title(title).session == "县十八届人大三次会议"
    assert bureau_in_title(title) == "某某县农业农村局"
    assert (
        parse_title("2023年市十六届人大二次会议第5号建议的答复").session == "市十六届人大二次会议"
    )
    assert parse_title("第9号建议的答复").number == "9"


def test_addressees_groups_agencies_and_names_in_the_text() -> None:
    group = parse_addressee("城关镇代表组", 3, before_opening=True)
    assert group is not None and group.names == ("城关镇代表组",)
    agency = parse_addressee("市财政局：", 3, before_opening=True)
    assert agency is not None and agency.names == ()
    polite = parse_addressee("尊敬的王某某代表：", 3, before_opening=False)
    assert polite is not None and polite.names == ("王某某",)
    named = named_in_text("政协委员李某、张某等3名委员提出的《关于…的提案》收悉", 5)
    assert named is not None and (named.names, named.role, named.count) == (
        ("李某", "张某"),
        "委员",
        3,
    )


def _reply(text: str):  # type: ignore[no-untyped-def]
    lines = tuple(Line(t, n) for n, t in enumerate(text.splitlines(), 1))
    return extract_reply(Page(Path("page.txt"), lines))


@pytest.mark.parametrize(
    ("line", "doc", "outcome"),
    [
        ("某教复〔2023〕5号(A类)", "某教复〔2023〕5号", "A"),
        ("某建字[2021]7号 B类", "某建字[2021]7号", "B"),
        ("某民发【2023】118号", "某民发【2023】118号", None),
        ("某政办函（2022）3号（乙类）", "某政办函（2022）3号", "B"),
    ],
)
def test_doc_numbers_on_unlabeled_lines(line: str, doc: str, outcome: str | None) -> None:
    reply, _ = _reply(
        f"{line}\n关于市十届人大五次会议第3号建议的答复\n王某代表：\n您提出的建议收悉，现答复如下：\n"
        "正文。\n某某市民政局\n2024年6月11日\n"
    )
    assert reply is not None and reply.doc_number == doc and reply.outcome == outcome


def test_the_publisher_gives_way_to_the_answering_unit_and_it_is_said() -> None:
    reply, problems = _reply(
        "发布机构：某某县人民政府\n发布日期：2024-06-11\n关于县十八届人大三次会议第17号建议的答复\n"
        "王某代表：\n您提出的建议收悉，现答复如下：\n正文。\n某某县农业农村局\n2024年6月5日\n"
    )
    assert reply is not None and reply.bureau == "某某县农业农村局"
    said = [p.message for p in problems]
    assert (
        "bureau: 发布机构 某某县人民政府 is the site's publisher; "
        "using the signature: 某某县农业农村局" in said
    )


def test_a_bureau_named_only_in_the_title_is_completed_with_the_publishers_place() -> None:
    reply, problems = _reply(
        "发布机构：绍兴市人民政府\n发布日期：2024-06-11\n对市九届人大四次会议第41号建议的答复(交通运输局)\n"
        "王某代表：\n您提出的建议收悉，现答复如下：\n正文。\n"
    )
    assert reply is not None and reply.bureau == "绍兴市交通运输局"
    assert any("completed with the place of 发布机构 绍兴市人民政府" in p.message for p in problems)


def test_subjects_become_tags_but_never_other() -> None:
    reply, _ = _reply(
        "主题分类：其他\n发布机构：某某市民政局\n发布日期：2024-06-11\n关于第3号建议的答复\n"
        "王某代表：\n您提出的建议收悉，现答复如下：\n正文。\n"
    )
    assert reply is not None and reply.tags == ()


def test_an_outcome_mark_after_the_title_is_the_outcome_not_the_title() -> None:
    reply, _ = _reply(
        "关于市十届人大五次会议第3号建议的答复（乙类）\n发布机构：某某市民政局\n发布日期：2024-06-11\n"
        "王某代表：\n您提出的建议收悉，现答复如下：\n正文。\n"
    )
    assert reply is not None and reply.title == "关于市十届人大五次会议第3号建议的答复"
    assert reply.outcome == "B"
