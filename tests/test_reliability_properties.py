"""Any input, generated: a reply or `path:line` problems, never an exception.

Property-based (hypothesis) over front matter, bodies and `site.toml`, at the level of
the stages (quick: hundreds of examples a second) and through whole builds (a few)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.cli import main
from builder.config import Config, load_config
from builder.errors import Problem
from builder.markup import render_body
from builder.model import validate
from builder.model_yaml import parse_front_matter
from builder.sources import Source, split_front_matter

from .test_reliability import tree_digest

QUICK = settings(
    max_examples=150,
    deadline=2000,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
BUILDS = settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

KEYS = ["title", "kind", "bureau", "published", "written", "tags", "proposers", "contacts",
        "slug", "number", "source_url", "outcome", "region", "<<", "未知"]  # fmt: skip
PIECES = ["", " ", ":", ": ", "- ", "[", "]", "{", "}", ",", "'", '"', "#", "&a", "*a", "!!str",
          "|", ">", "?", "\t", "\x00", "\x07", "\x1b", "\ufeff", "\u2028", "\n", "\n  ",
          "2025-08-04", "0001-01-01", "9" * 50, "proposal", "建议", "乌海市民政局", "〔2025〕",
          "【一】", "（二）", "、", "养老服务", "---", "~", "null", "true", "0x1F", "1e9",
          "javascript:alert(1)", "data:text/html,x", "../../etc/passwd"]  # fmt: skip

scalars = st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=6).map("".join)
lines = st.tuples(st.sampled_from(KEYS) | st.text(max_size=4), scalars).map(
    lambda pair: f"{pair[0]}: {pair[1]}"
)
VALID = ["title: 关于第HN-35号建议的答复", "kind: suggestion", "bureau: 乌海市民政局",
         "published: 2025-08-04", "tags: [养老服务, 老年助餐]", "proposers: 陈可才、刘治平",
         "contacts:\n  联系人: 吴棣\n  电话: \"8992056\"", "number: 35",
         "written: 2025-06-20"]  # fmt: skip
VALUES = ["养老服务", "'引号'", '"双引号"', "[a, b]", "{a: b}", "2025-13-45", "0001-01-01", "", "~",
          "suggestion", "proposal", "A", "https://example.org/", "9" * 5000, "a\x00b"]  # fmt: skip
mutations = st.tuples(st.sampled_from(KEYS), st.sampled_from(VALUES) | scalars).map(
    lambda pair: f"{pair[0]}: {pair[1]}"
)
front_matters = st.tuples(
    st.lists(st.sampled_from(VALID), min_size=2, max_size=9, unique=True),
    st.lists(mutations | lines | scalars, max_size=3),
).map(lambda parts: "\n".join(parts[0] + parts[1]))
MARKDOWN = ["# ", "## ", "**", "_", "`", "```", "[a](", ")", "![i](", "<", ">", "&", "\\",
            "javascript:x", "data:image/png;base64,AA", "http://a.b/c", "<script>", "\n",
            "\n\n", "- ", "1. ", "> ", "|a|b|\n|-|-|", "\x00", "\r", "    ", "[x]: /y",
            "〔〕"]  # fmt: skip
bodies = st.lists(st.sampled_from(MARKDOWN) | st.text(max_size=8), max_size=30).map("".join)
TOML = ["title", "base_url", "page_size", "feed_size", "max_list_items", "[outcomes]",
        "[import]", "=", " = ", '"', "'", "[", "]", "0", "-1", "true", "\n", "#", "\x00",
        "https://example.org/", "档案", "1979-05-27", "{", "}", "99999999999999999999"]  # fmt: skip
tomls = st.lists(st.sampled_from(TOML) | st.text(max_size=6), max_size=25).map("".join)

PATH = Path("/archive/content/replies/x.md")
LINE = re.compile(r'^(?:"[^"\n]+"|[^\s:"][^:\n]*)(?::\d+)?: \S[^\n]*$')


def _check(problems: list[Problem] | tuple[Problem, ...]) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.line >= 0
        assert LINE.match(problem.format(Path("/archive"))), problem.format()


@pytest.mark.slow
@QUICK
@given(front_matters, bodies)
def test_any_reply_gives_a_reply_or_problems(front: str, body: str) -> None:
    source = split_front_matter(PATH, f"---\n{front}\n---\n{body}")
    if isinstance(source, Problem):
        _check([source])
        return
    reply, problems = validate(source, Config())
    _check(problems)
    assert (reply is None) == any(p.is_error for p in problems)


@pytest.mark.slow
@QUICK
@given(front_matters)
def test_both_front_matter_readers_agree(front: str) -> None:
    source = Source(PATH, front, "", 3)
    quick, slow = parse_front_matter(source), parse_front_matter(source, quick=False)
    _check(quick[2] + slow[2])
    assert (quick[0], quick[1]) == (slow[0], slow[1])
    assert bool(quick[2]) == bool(slow[2])


@pytest.mark.slow
@QUICK
@given(bodies)
def test_any_body_is_safe_html(body: str) -> None:
    html, problems = render_body(body, PATH, 5)
    _check(problems)
    assert "<script" not in html
    assert not re.search(r'(?:href|src)="\s*(?:javascript|data|vbscript):', html, re.I)


@pytest.mark.slow
@QUICK
@given(tomls)
def test_any_site_toml_gives_a_config_or_problems(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder)
        (archive / "site.toml").write_text(text, encoding="utf-8", errors="surrogatepass")
        loaded = load_config(archive)
    assert isinstance(loaded.config, Config)
    for problem in loaded.problems:
        assert LINE.match(problem.format(archive)), problem.format(archive)


GOOD = (
    "---\ntitle: 答复\nkind: proposal\nbureau: 潜江市民政局\npublished: 2025-07-07\n---\n\n正文。\n"
)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    (root / "content" / "replies").mkdir(parents=True)
    (root / "content" / "replies" / "good.md").write_text(GOOD, encoding="utf-8")
    assert main(["build", "--no-search", "--source", str(root), "--output", str(root / "out")]) == 0
    return root


@pytest.mark.slow
@BUILDS
@given(front=front_matters, body=bodies, toml=tomls)
def test_any_archive_builds_or_fails_cleanly(
    archive: Path, capsys: pytest.CaptureFixture[str], front: str, body: str, toml: str
) -> None:
    output = archive / "out"
    (archive / "site.toml").write_text(toml, encoding="utf-8", errors="surrogatepass")
    reply = archive / "content" / "replies" / "generated.md"
    reply.write_text(f"---\n{front}\n---\n{body}", encoding="utf-8", errors="surrogatepass")
    capsys.readouterr()
    before = tree_digest(output)
    status = main(["build", "--no-search", "--source", str(archive), "--output", str(output)])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "bug in reply-archive" not in err, err
    assert status in (0, 1), err
    if status == 1:
        assert tree_digest(output) == before
    for line in err.splitlines():
        assert line.startswith("build failed") or LINE.match(line), line
