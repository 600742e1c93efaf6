"""Messages in Chinese or English: the catalogue holds every message, compiled and current."""

from __future__ import annotations

import gettext
import importlib.util
import io
import types
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from builder import i18n
from builder.cli import main

from .conftest import REPO_ROOT

BUILDER = Path(__file__).resolve().parent.parent / "builder"
CATALOGUE = BUILDER / "locale" / "zh_CN" / "LC_MESSAGES" / "reply-archive"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
INVALID = Path(__file__).parent / "fixtures" / "invalid"
CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


def extracted() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(BUILDER), keywords=KEYWORDS, comment_tags=()
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_marked_message_has_a_chinese_translation() -> None:
    with CATALOGUE.with_suffix(".po").open("rb") as file:
        catalogue = read_po(file, locale="zh_CN")
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalogue
        if m.id and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    missing = sorted(extracted() - translated)
    assert missing == [], "run `python scripts/catalogue.py` and translate these in the .po file"


def test_the_shipped_mo_file_is_the_compiled_po_file() -> None:
    with CATALOGUE.with_suffix(".po").open("rb") as file:
        catalogue = read_po(file, locale="zh_CN")
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    fresh = gettext.GNUTranslations(compiled)
    with CATALOGUE.with_suffix(".mo").open("rb") as file:
        shipped = gettext.GNUTranslations(file)
    messages = {k: v for k, v in shipped._catalog.items() if k}  # type: ignore[attr-defined]
    assert messages == {k: v for k, v in fresh._catalog.items() if k}, "run scripts/catalogue.py"  # type: ignore[attr-defined]


def load_catalogue_script() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(
        "catalogue", REPO_ROOT / "scripts" / "catalogue.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_every_message_that_reaches_a_problem_is_in_the_catalogue() -> None:
    """A message or hint written in place (`Problem(path, line, f"...")`), by anyone, later
    too: its text or f-string template must have a translation."""
    script = load_catalogue_script()
    with CATALOGUE.with_suffix(".po").open("rb") as file:
        catalogue = read_po(file, locale="zh_CN")
    done = {(m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalogue if m.string}
    found = script.messages()
    lacking = sorted(
        f"{sorted(places)[0]}: {message}"
        for message, places in found.items()
        if (message[0] if isinstance(message, tuple) else message) not in done
    )
    assert lacking == [], "run `python scripts/catalogue.py` and translate these in the .po"
    assert len(found) > 150  # (the extraction found the problems' texts at all)


def test_a_template_keeps_its_values_and_translates_them() -> None:
    i18n.use("zh_CN")
    try:
        assert i18n.translate("unknown kind `opinion`") == "未知的类别 `opinion`"
        assert i18n.translate("draft, not published: complete") == "草稿，不发布：内容完整"
        assert i18n.translate("nothing like a message") == "nothing like a message"
    finally:
        i18n.use("en")
    assert i18n.translate("unknown kind `opinion`") == "unknown kind `opinion`"


@pytest.mark.parametrize("case", CASES)
def test_the_error_fixtures_in_both_languages(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each message in Chinese, at the same `path:line:`, with the same exit status."""
    source = INVALID / case
    output = tmp_path / "output"
    said = {}
    for lang, expected in (("en", "expected.txt"), ("zh-CN", "expected.zh-CN.txt")):
        argv = ["build", "--no-search", "--no-cache", "--source", str(source), "--lang", lang]
        assert main([*argv, "--output", str(output)]) == 1
        lines = [
            line for line in capsys.readouterr().err.splitlines() if line.startswith("content/")
        ]
        assert lines == (source / expected).read_text(encoding="utf-8").splitlines()
        said[lang] = lines
    where = [line.split(": ", 1)[0] for line in said["en"]]
    assert [line.split(": ", 1)[0] for line in said["zh-CN"]] == where
    assert all(any("\u4e00" <= c <= "\u9fff" for c in line) for line in said["zh-CN"])
    assert not output.exists()


@pytest.mark.parametrize(
    ("flag", "env", "expected"),
    [
        (None, {"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        (None, {"LANG": "en_GB.UTF-8"}, "en"),
        (None, {"LANG": "C"}, "en"),
        (None, {"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),
        (None, {"LANG": "zh_CN.UTF-8", "REPLY_ARCHIVE_LANG": "en"}, "en"),
        ("en", {"LANG": "zh_CN.UTF-8"}, "en"),
        ("zh-CN", {"LANG": "en_US.UTF-8", "REPLY_ARCHIVE_LANG": "en"}, "zh_CN"),
        (None, {}, "en"),
    ],
)
def test_the_language_is_the_flag_then_the_variable_then_the_locale(
    flag: str | None, env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("REPLY_ARCHIVE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert i18n.choose(flag) == expected


def test_help_in_chinese_under_a_chinese_locale(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("REPLY_ARCHIVE_LANG")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：reply-archive build")
    assert "跳过搜索索引" in out and "显示本帮助并退出" in out
    assert i18n.language() == "en", "main() left its language behind"


def test_did_you_mean_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["biuld", "--lang", "zh-CN"])
    assert exit.value.code == 2
    assert "未知命令 `biuld` (是不是 `build`？)" in capsys.readouterr().err


def test_no_replies_in_both_languages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path.as_posix()
    assert main(["check", "--source", str(tmp_path), "--lang", "zh-CN"]) == 1
    zh = capsys.readouterr().err.splitlines()
    assert main(["check", "--source", str(tmp_path), "--lang", "en"]) == 1
    en = capsys.readouterr().err.splitlines()
    assert zh[0] == (
        f"content/replies: 在 {folder}/content/replies/ 中没有找到答复：这是档案文件夹吗？"
        f" (用 `reply-archive init {folder}` 新建一个)"
    )
    assert en[0].startswith("content/replies: no replies found in ")
    assert zh[-1] == "检查未通过：1 个错误，0 个警告"
    assert zh[0].split(": ")[0] == en[0].split(": ")[0] == "content/replies"


@pytest.mark.parametrize("command", ["init", "check", "build", "serve", "import"])
def test_every_help_text_is_in_chinese(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help", "--lang", "zh-CN"])
    chinese = capsys.readouterr().out
    with pytest.raises(SystemExit):
        main([command, "--help", "--lang", "en"])
    english = capsys.readouterr().out
    assert chinese.startswith(f"用法：reply-archive {command}")
    assert english.startswith(f"usage: reply-archive {command}")
    # Every line of help text (after the option's own words) is Chinese.
    for line in chinese.splitlines():
        words = line.strip()
        if words and not words.startswith(("-", "用法", "reply-archive", "[", "FILE", "DIR")):
            assert any("\u4e00" <= c <= "\u9fff" for c in words), line
