"""The editor's command line: init, check, --version, did-you-mean, plain words for mistakes."""

from __future__ import annotations

import shutil
from dataclasses import fields
from pathlib import Path

import pytest

from builder import __version__
from builder.cli import main
from builder.config import Config, Footer, ImportDefaults, load_config

INVALID = Path(__file__).parent / "fixtures" / "invalid"


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_init_makes_an_archive_that_checks_and_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "新档案"
    assert main(["init", str(archive), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert sorted(files_under(archive)) == [
        ".gitignore",
        "README.md",
        "content/replies/example.md",
        "site.toml",
    ]
    assert "reply-archive build --source" in out
    gitignore = (archive / ".gitignore").read_text(encoding="utf-8").split()
    assert "output/" in gitignore and ".reply-archive-cache/" in gitignore

    assert main(["check", "--source", str(archive), "--lang", "en"]) == 0
    assert "checked: no errors" in capsys.readouterr().out
    assert not (archive / "output").exists(), "check wrote something"
    assert main(["build", "--no-search", "--source", str(archive), "--lang", "en"]) == 0
    assert (archive / "output" / "index.html").is_file()


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "site.toml").write_text('title = "mine"\n', encoding="utf-8")
    (tmp_path / "content" / "replies").mkdir(parents=True)
    (tmp_path / "content" / "replies" / "example.md").write_text("mine", encoding="utf-8")
    assert main(["init", str(tmp_path), "--lang", "en"]) == 0
    assert (tmp_path / "site.toml").read_text(encoding="utf-8") == 'title = "mine"\n'
    assert (tmp_path / "content" / "replies" / "example.md").read_text(encoding="utf-8") == "mine"
    assert "kept " in capsys.readouterr().err
    assert (tmp_path / "README.md").is_file()


def test_the_starter_site_toml_names_every_key_with_its_default(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path), "-q"]) == 0
    text = (tmp_path / "site.toml").read_text(encoding="utf-8")
    for key in {f.name for f in fields(Config)} - {"import_defaults"}:
        assert f"\n{key} = " in text or f"\n[{key}]" in text, key
    for key in (f.name for f in fields(ImportDefaults)):
        assert f"\n# {key} = " in text, key
    footer = text[text.index("\n[footer]\n") :]
    for key in (f.name for f in fields(Footer)):
        assert f"\n{key} = " in footer, key
    loaded = load_config(tmp_path)
    assert loaded.problems == ()
    assert loaded.config == Config()
    assert any("\u4e00" <= c <= "\u9fff" for c in text) and "default" in text


def test_init_into_a_file_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "file"
    file.write_text("x", encoding="utf-8")
    assert main(["init", str(file), "--lang", "en"]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err


@pytest.mark.parametrize("case", sorted(p.name for p in INVALID.iterdir() if p.is_dir()))
def test_check_reports_what_build_reports_and_writes_nothing(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / case
    shutil.copytree(INVALID / case, source)
    before = files_under(source)
    assert main(["check", "--source", str(source), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    checked = [line for line in err.splitlines() if line.startswith("content/")]
    assert checked == (source / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert "check failed: " in err
    assert files_under(source) == before
    assert main(["build", "--no-search", "--source", str(source), "--lang", "en"]) == 1
    built = [line for line in capsys.readouterr().err.splitlines() if line.startswith("content/")]
    assert built == checked


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["--version"])
    assert exit.value.code == 0
    assert capsys.readouterr().out.strip() == f"reply-archive {__version__}"


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["biuld"], "unknown command `biuld` (did you mean `build`?)"),
        (["chekc"], "unknown command `chekc` (did you mean `check`?)"),
        (["build", "--sorce", "x"], "unknown option `--sorce` (did you mean `--source`?)"),
        (["serve", "--prot=9"], "unknown option `--prot` (did you mean `--port`?)"),
        (["build", "--zzzz"], "unknown option `--zzzz` (one of: -h, --help, --source"),
    ],
)
def test_did_you_mean(argv: list[str], said: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main([*argv, "--lang", "en"])
    assert exit.value.code == 2
    assert said in capsys.readouterr().err


def test_a_folder_with_no_replies_is_named_with_the_way_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arch = tmp_path / "arch"
    (arch / "content").mkdir(parents=True)
    (arch / "content" / "reply.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    (arch / "content" / "2025").mkdir()
    (arch / "content" / "2025" / "other.md").write_text("x", encoding="utf-8")
    assert main(["build", "--source", str(arch), "--lang", "en"]) == 1
    err = capsys.readouterr().err.splitlines()
    folder = arch.as_posix()
    assert err == [
        "content: warning: 2 Markdown file(s) outside content/replies/ are not read: "
        "content/2025/other.md, content/reply.md (move replies into content/replies/)",
        f"content/replies: no replies found in {folder}/content/replies/: is this the archive "
        f"folder? (`reply-archive init {folder}` makes one)",
        "build failed: 1 error; nothing was written",
    ]
    assert not (arch / "output").exists()


def test_a_source_that_is_a_file_is_said_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "site.toml").write_text("", encoding="utf-8")
    source = tmp_path / "site.toml"
    assert main(["build", "--source", str(source), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "site.toml: is a file, not the archive folder" in err
    assert "site.toml/output" not in err
    assert main(["check", "--source", str(tmp_path / "nonesuch"), "--lang", "en"]) == 1
    assert "nonesuch: no such folder" in capsys.readouterr().err
