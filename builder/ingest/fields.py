"""Header fields: the labels sites use (索 引 号, 发文机构, 文号 …), each mapped to one key.

A label may hold any inner whitespace (`标       题`, `索\u2002引\u2002号`, `文\u3000\u3000号`) and
ends with a colon, ASCII or full-width; one line may hold several fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from builder.ingest.page import Line

IGNORED = "-"
"""The key of labels that are recognised (so they end the value before them) but not kept."""

CONTACT = "contact"
UNIT = "unit"
SUBJECT = "subject"
"""主题分类: the page's subject classes, offered as tags when there is no 主题词."""
"""承办单位 / 答复单位: the answering unit in a page's header (a site's footer names its own)."""
UNKNOWN = "?"
"""The key of a `label：value` on a field line whose label is in no table: reported, not kept."""

LABELS: dict[str, str] = {
    **dict.fromkeys(
        ("标题", "名称", "文件名称", "信息名称", "文章标题", "题目", "公文标题"), "title"
    ),
    **dict.fromkeys(("索引号", "索取号", "信息索引号", "文档索引号"), "index_number"),
    **dict.fromkeys(
        ("发文字号", "文号", "发文文号", "文件编号", "文件字号", "发文编号"), "doc_number"
    ),
    **dict.fromkeys(
        (
            "发文机构",
            "发布机构",
            "发文机关",
            "发布机关",
            "发文单位",
            "发布单位",
            "制发机关",
            "成文单位",
        ),
        "bureau",
    ),
    **dict.fromkeys(
        (
            "承办单位",
            "主办单位",
            "答复单位",
            "办理单位",
            "承办部门",
            "主办部门",
            "答复部门",
            "办理部门",
            "答复机关",
        ),
        UNIT,
    ),
    **dict.fromkeys(("信息分类", "分类", "信息类别", "所属分类", "所属类别"), "category"),
    **dict.fromkeys(("主题分类", "所属主题"), SUBJECT),
    **dict.fromkeys(
        ("成文日期", "发文日期", "成文时间", "发文时间", "印发日期", "签发日期"), "written"
    ),
    **dict.fromkeys(
        (
            "公开日期",
            "发布日期",
            "发布时间",
            "公开时间",
            "上网日期",
            "上网时间",
            "日期",
            "答复时间",
            "答复日期",
            "发表时间",
            "发表日期",
            "办复时间",
            "办复日期",
            "时间",
        ),
        "published",
    ),
    **dict.fromkeys(
        ("有效性", "效力状态", "时效性", "有效状态", "效力", "时效", "是否有效"), "status"
    ),
    **dict.fromkeys(("来源", "信息来源", "文章来源", "稿件来源"), "source"),
    **dict.fromkeys(("主题词", "关键词", "关键字"), "tags"),
    **dict.fromkeys(("办理结果", "答复类别", "办理类别", "答复类型", "办复类别"), "outcome"),
    **dict.fromkeys(
        ("网址", "原文链接", "原文地址", "链接地址", "页面地址", "本文链接", "本页地址"),
        "source_url",
    ),
    **dict.fromkeys(("会议", "会议名称", "届次"), "session"),
    **dict.fromkeys(("建议编号", "提案编号", "建议号", "提案号", "编号", "案号"), "number"),
    **dict.fromkeys(
        (
            "提出人",
            "提案人",
            "建议人",
            "领衔人",
            "领衔代表",
            "领衔委员",
            "代表姓名",
            "委员姓名",
            "提案者",
        ),
        "proposers",
    ),
    **dict.fromkeys(("建议标题", "提案标题", "建议名称", "提案名称", "案由"), "proposal_title"),
    **dict.fromkeys(
        (
            "分管领导",
            "分管负责人",
            "分管负责同志",
            "承办负责人",
            "承办人及联系电话",
            "承办人电话",
            "经办人及电话",
            "联系人及电话",
            "联系人及联系电话",
            "联系单位",
            "承办科室",
            "承办处室",
            "联系人",
            "联系电话",
            "办公电话",
            "固定电话",
            "移动电话",
            "联系手机",
            "手机号码",
            "电话",
            "联系方式",
            "承办人",
            "经办人",
            "签发人",
            "责任人",
            "手机",
            "传真",
            "邮编",
            "邮政编码",
            "通讯地址",
            "联系地址",
            "电子邮箱",
            "电子信箱",
            "电子邮件",
            "邮箱",
        ),
        CONTACT,
    ),
    **dict.fromkeys(
        (
            "概述",
            "摘要",
            "内容概述",
            "内容摘要",
            "废止日期",
            "失效日期",
            "失效时间",
            "生效日期",
            "更新日期",
            "更新时间",
            "作者",
            "发布人",
            "编辑",
            "责任编辑",
            "浏览次数",
            "访问次数",
            "阅读次数",
            "点击数",
            "浏览量",
            "访问量",
            "组配分类",
            "体裁分类",
            "服务对象分类",
            "公开方式",
            "公开范围",
            "公开形式",
            "副标题",
            "当前位置",
            "您当前的位置",
            "您当前位置",
            "您的位置",
            "您所在的位置",
            "所在位置",
        ),
        IGNORED,
    ),
}

_GAP = r"[\s\u200b]*"  # \s takes U+00A0, U+2002, U+2003 and U+3000 too
_COLON = r"[:：]"
_LABEL = re.compile(
    "(?P<label>"
    + "|".join(
        _GAP.join(re.escape(char) for char in label)
        for label in sorted(LABELS, key=len, reverse=True)
    )
    + ")"
    + _GAP
    + _COLON
)
_LABEL_WORDS = "|".join(
    _GAP.join(re.escape(char) for char in label) for label in sorted(LABELS, key=len, reverse=True)
)
_BARE_LABEL = re.compile(
    rf"(?:^|(?<=[\t|｜\u3000])|(?<=  ))(?P<label>{_LABEL_WORDS})(?=[\t|｜\u3000]|\s{{2}}|$)"
)
"""A label with no colon, as a table copied as text gives it: at the line's start or after
a tab, a cell's `|` or two spaces, and before one of them or the line's end."""
_CELL = re.compile(r"\s*[|｜]\s*")
_BULLET = re.compile(r"^\s*(?:[-*•·●▪]\s+|[|｜]\s*)")
_UNKNOWN_LABEL = re.compile(
    r"(?:^|(?<=\s))(?P<label>[\u4e00-\u9fff](?:[\s\u200b]*[\u4e00-\u9fff]){1,7})[\s\u200b]*[:：]"
)
_SPACES = re.compile(r"[\s\u200b]+")
_BARE_VALUE = 60
"""The longest value a colon-less label takes: a longer line is a sentence."""
_VALUE_EDGES = " \t\u00a0\u2002\u2003\u3000，,；;、|｜"


@dataclass(frozen=True)
class Field:
    """One `label: value` found on a page; `label` without its inner spaces."""

    key: str
    label: str
    value: str
    line: int


def normalise_label(text: str) -> str:
    """`索\u2002引\u2002号：` -> `索引号`: inner whitespace and the colon removed."""
    return _SPACES.sub("", text).rstrip(":：")


def key_of(label: str) -> str | None:
    return LABELS.get(normalise_label(label))


def find_fields(line: Line) -> tuple[str, list[Field]]:
    """The text before the first label on the line, and the fields after it. On a line with
    known labels, an unknown `label：value` is split off as an `UNKNOWN` field, so that it
    never runs into the value before it."""
    matches = list(_LABEL.finditer(line.text))
    if not matches:
        return _bare_fields(line)
    prefix, fields = _unknown_fields(line.text[: matches[0].start()], line.number)
    for match, end in _segments(matches, len(line.text)):
        label = normalise_label(match.group("label"))
        value, unknown = _unknown_fields(line.text[match.end() : end], line.number)
        fields += [Field(LABELS[label], label, clean_value(value), line.number), *unknown]
    return prefix.strip(), fields


def _bare_fields(line: Line) -> tuple[str, list[Field]]:
    """`发布机构\t某某局`, `| 文号 | 某发〔2024〕3号 |`, `- 索引号`: labels without a colon,
    taken only when the line starts with one (a sentence starting 时间… is no field)."""
    text = _CELL.sub("\t", _BULLET.sub("", line.text)).rstrip(" \t|｜")
    matches = list(_BARE_LABEL.finditer(text))
    if not matches or matches[0].start() != 0:
        return line.text, []
    fields = []
    for match, end in _segments(matches, len(text)):
        value = clean_value(text[match.end() : end])
        if len(value) > _BARE_VALUE:
            return line.text, []
        fields.append(
            Field(
                LABELS[normalise_label(match.group("label"))],
                normalise_label(match.group("label")),
                value,
                line.number,
            )
        )
    return "", fields


def _unknown_fields(text: str, number: int) -> tuple[str, list[Field]]:
    """The text before any unknown `label：`, and the unknown fields from there on."""
    matches = list(_UNKNOWN_LABEL.finditer(text))
    fields = []
    for match, end in _segments(matches, len(text)):
        label = normalise_label(match.group("label"))
        fields.append(Field(UNKNOWN, label, clean_value(text[match.end() : end]), number))
    return (text[: matches[0].start()] if matches else text), fields


def _segments(matches: list[re.Match[str]], length: int) -> Iterator[tuple[re.Match[str], int]]:
    """Each label's match and where its value ends: at the next label, or the line's end."""
    ends = [m.start() for m in matches[1:]] + [length]
    return zip(matches, ends[: len(matches)], strict=True)


def is_field_line(line: Line) -> bool:
    prefix, fields = find_fields(line)
    return bool(fields) and not prefix


def parse_fields(lines: Sequence[Line]) -> list[Field]:
    """Every field on the lines; a lone label takes the next line as its value (tables, dl)."""
    found: list[Field] = []
    index = 0
    while index < len(lines):
        _, fields = find_fields(lines[index])
        following = lines[index + 1] if index + 1 < len(lines) else None
        if (
            _is_lone_label(lines[index], fields)
            and following
            and not find_fields(following)[1]
            and _fits(fields[0].key, clean_value(_BULLET.sub("", following.text)))
        ):
            fields = [_with_value(fields[0], clean_value(_BULLET.sub("", following.text)))]
            index += 1
        found.extend(fields)
        index += 1
    return found


_DOC_LIKE = re.compile(r"[〔\[【(（［]\s*(?:19|20)\d{2}\s*[〕\]】)）］]|\d+\s*号$")
_DATE_LIKE = re.compile(r"^[\d〇○零一二三四五六七八九十０-９\s年月日./:：\-]{6,30}$")
_SENTENCE = re.compile(r"[。；！？]")
_TITLE_WORDS = re.compile(r"答复|复函|建议|提案")


def _fits(key: str, value: str) -> bool:
    """Whether the line after a lone label can be its value: an empty `文号：` never takes
    the title or a paragraph below it."""
    if not value:
        return False
    if key in ("published", "written"):
        return bool(_DATE_LIKE.match(value))
    if key == "doc_number":
        return len(value) <= 40 and bool(_DOC_LIKE.search(value))
    if key == "index_number":
        return len(value) <= 60 and not re.search(r"[\u4e00-\u9fff]{3}", value)
    if key in ("title", "proposal_title"):
        return len(value) <= 120 and not _SENTENCE.search(value)
    return len(value) <= 40 and not _SENTENCE.search(value) and not _TITLE_WORDS.search(value)


def clean_value(text: str) -> str:
    value = text.strip(_VALUE_EDGES)
    if value.endswith((")", "）")) and not any(c in value for c in "(（"):
        value = value[:-1].rstrip(_VALUE_EDGES)
    return value


def first(fields: Iterable[Field], key: str) -> Field | None:
    """The first field with a value for `key`."""
    return next((f for f in fields if f.key == key and f.value), None)


def _is_lone_label(line: Line, fields: list[Field]) -> bool:
    return len(fields) == 1 and not fields[0].value and not find_fields(line)[0]


def _with_value(field: Field, value: str) -> Field:
    return Field(field.key, field.label, value, field.line)
