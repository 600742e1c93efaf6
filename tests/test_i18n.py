"""Messages in Chinese or English: the catalogue holds every message, compiled and current."""

from __future__ import annotations

import ast
import gettext
import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from builder import i18n
from builder.cli import main

BUILDER = Path(__file__).resolve().parent.parent / "builder"
CATALOGUE = BUILDER / "locale" / "zh_CN" / "LC_MESSAGES" / "reply-archive"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}

# Modules whose messages are not yet marked for translation (they are shown in English).
# Remove a module from here once its messages go through `_()`.
NOT_YET_TRANSLATED = {
    "ingest",
    "search",
    "render.py",
    "serve",
    "build",
    "config.py",
    "markup.py",
    "model.py",
    "model_yaml.py",
    "sources.py",
}


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
    assert missing == [], "run scripts/catalogue.sh and translate these in the .po file"


def test_the_shipped_mo_file_is_the_compiled_po_file() -> None:
    with CATALOGUE.with_suffix(".po").open("rb") as file:
        catalogue = read_po(file, locale="zh_CN")
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    fresh = gettext.GNUTranslations(compiled)
    with CATALOGUE.with_suffix(".mo").open("rb") as file:
        shipped = gettext.GNUTranslations(file)
    assert shipped._catalog == fresh._catalog, "run scripts/catalogue.sh"  # type: ignore[attr-defined]


def literal_messages(path: Path) -> list[str]:
    """Calls that make a problem from a string written in place, not through `_()`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name not in ("Problem", "warning") or len(node.args) < 3:
            continue
        for argument in node.args[2:4]:
            if isinstance(argument, ast.Constant | ast.JoinedStr):
                found.append(f"{path.relative_to(BUILDER)}:{node.lineno}")
    return found


def test_every_message_that_reaches_a_problem_is_marked_for_translation() -> None:
    unmarked = []
    for path in sorted(BUILDER.rglob("*.py")):
        if path.relative_to(BUILDER).parts[0] not in NOT_YET_TRANSLATED:
            unmarked += literal_messages(path)
    assert unmarked == [], "wrap these messages and hints in _() (builder.i18n)"


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
