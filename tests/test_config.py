"""site.toml: defaults for everything, typed values, unknown keys with a did-you-mean."""

from __future__ import annotations

from pathlib import Path

from builder import i18n
from builder.config import Config, load_config


def write_config(folder: Path, text: str) -> None:
    (folder / "site.toml").write_text(text, encoding="utf-8")


def test_an_archive_without_site_toml_gets_the_defaults(tmp_path: Path) -> None:
    loaded = load_config(tmp_path)
    assert loaded.config == Config()
    assert loaded.problems == ()
    assert loaded.config.page_size == 50


def test_values_are_read(tmp_path: Path) -> None:
    write_config(tmp_path, 'title = "乌海答复"\npage_size = 20\n[outcomes]\n"甲" = "已解决"\n')
    config = load_config(tmp_path).config
    assert (config.title, config.page_size, dict(config.outcomes)) == (
        "乌海答复",
        20,
        {"甲": "已解决"},
    )


def test_an_unknown_key_is_a_warning_with_the_nearest_key(tmp_path: Path) -> None:
    write_config(tmp_path, 'title = "x"\npage_sise = 20\n')
    (problem,) = load_config(tmp_path).problems
    assert not problem.is_error
    assert problem.line == 2
    assert "did you mean `page_size`?" in problem.hint


def test_a_retired_key_of_an_older_site_toml_is_a_warning_and_nothing_else(
    tmp_path: Path,
) -> None:
    write_config(tmp_path, 'title = "x"\noffline_search_budget = 8000000\n')
    loaded = load_config(tmp_path)
    (problem,) = loaded.problems
    assert not problem.is_error and problem.line == 2
    assert "`offline_search_budget` is no longer used" in problem.message
    assert "remove the line" in problem.hint
    assert loaded.config.title == "x"
    try:
        i18n.use("zh_CN")
        assert i18n.translate(problem.message) == "`offline_search_budget` 已不再使用"
        assert "请从 site.toml 中删除这一行" in i18n.translate(problem.hint)
    finally:
        i18n.use("en")


def test_a_wrong_type_is_an_error_at_its_line(tmp_path: Path) -> None:
    write_config(tmp_path, 'title = "x"\n\npage_size = "many"\n')
    (problem,) = load_config(tmp_path).problems
    assert problem.is_error and problem.line == 3 and "page_size" in problem.message


def test_a_toml_syntax_error_has_its_line(tmp_path: Path) -> None:
    write_config(tmp_path, 'title = "x"\npage_size = \n')
    (problem,) = load_config(tmp_path).problems
    assert problem.is_error and problem.line == 2


def test_base_url_from_the_command_line_wins_and_is_checked(tmp_path: Path) -> None:
    write_config(tmp_path, 'base_url = "https://a.example/"\n')
    assert load_config(tmp_path, "https://b.example/x/").config.base_url == "https://b.example/x/"
    (problem,) = load_config(tmp_path, "ftp://nowhere").problems
    assert problem.is_error and "http(s)" in problem.message
