"""render_fast's overrides of Jinja's internals give stock Jinja's bytes, page for page."""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import markupsafe
import pytest

import builder.build
from builder import render
from builder.build import BuildOptions, build
from builder.render_fast import escape_output
from tests.conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT))
from benchmarks import generate  # noqa: E402


def _site(output: Path) -> dict[str, bytes]:
    files = (p for p in output.rglob("*") if p.is_file() and ".reply-archive" not in p.parts)
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in files}


def _both_ways(source: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Build `source` with the fast internals and with stock Jinja; every file the same."""
    options = {"source": source, "search": False, "cache": False}
    build(BuildOptions(output=out / "fast", **options))
    stock: list[jinja2.Environment] = []

    def stock_environment(*args: object, **kwargs: object) -> jinja2.Environment:
        env = render.make_environment(*args, fast=False, **kwargs)
        stock.append(env)
        return env

    with monkeypatch.context() as patch:
        patch.setattr(builder.build, "make_environment", stock_environment)
        build(BuildOptions(output=out / "stock", **options))
    assert stock and all(type(env) is jinja2.Environment for env in stock)
    fast, slow = _site(out / "fast"), _site(out / "stock")
    assert sorted(fast) == sorted(slow)
    assert [path for path in fast if fast[path] != slow[path]] == []
    assert sum(path.endswith(".html") for path in fast) > 10


def test_the_fast_environment_is_the_one_builds_use() -> None:
    env = render.make_environment(render.theme_dirs(REPO_ROOT))
    assert type(env) is not jinja2.Environment and isinstance(env, jinja2.Environment)
    template = env.get_template("reply.html")
    assert template.root_render_func.__globals__["escape"] is escape_output
    stock = render.make_environment(render.theme_dirs(REPO_ROOT), fast=False)
    assert type(stock) is jinja2.Environment


@pytest.mark.parametrize(
    ("value", "escaped"),
    [("<a href='x'>&</a>", "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"), (3, "3"), ("", "")],
)
def test_the_fast_escape_gives_markupsafes_text(value: object, escaped: str) -> None:
    assert escape_output(value) == escaped
    assert str(markupsafe.escape(value)) == escaped
    assert escape_output(markupsafe.Markup("<b>")) == "<b>"


@pytest.mark.slow
def test_every_page_of_the_sample_archive_is_as_stock_jinja_renders_it(
    tmp_path: Path, sample_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _both_ways(sample_archive, tmp_path, monkeypatch)


@pytest.mark.slow
def test_every_page_of_a_generated_archive_is_as_stock_jinja_renders_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 300 replies: more pages than builder.build.workers renders in the parent.
    archive = generate.generate(300, tmp_path / "archive", seed=3)
    _both_ways(archive, tmp_path, monkeypatch)
