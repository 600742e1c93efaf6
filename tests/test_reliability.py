"""Hostile input: every case ends in `path:line: message`, exit 1, no traceback, and the
previous output byte for byte as it was (or, for a warning, a build)."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.cli import main

from .conftest import MINIMAL_REPLY

Setup = Callable[[Path], None]

REPLY = """\
---
title: 关于市十届人大五次会议第HN-35号建议的答复
kind: suggestion
bureau: 乌海市民政局
published: 2025-08-04
{extra}---

您提出的〔关于加强社区养老服务〕的建议收悉，现答复如下：【一】（略）。
"""


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def replies(archive: Path) -> Path:
    return archive / "content" / "replies"


def build(archive: Path, output: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["build", "--no-search", "--source", str(archive), "--output", str(output)])
    return status, capsys.readouterr().err


@pytest.fixture
def built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """A good archive of one reply, built once: (archive, output)."""
    archive = tmp_path / "archive"
    replies(archive).mkdir(parents=True)
    (replies(archive) / "good.md").write_text(MINIMAL_REPLY, encoding="utf-8")
    output = tmp_path / "output"
    assert build(archive, output, capsys)[0] == 0
    return archive, output


def fails_cleanly(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str], setup: Setup
) -> list[str]:
    """Apply `setup`, build again: exit 1, no traceback, output untouched; the error lines."""
    archive, output = built
    before = tree_digest(output)
    setup(archive)
    status, err = build(archive, output, capsys)
    assert "Traceback" not in err and "bug in reply-archive" not in err, err
    assert status == 1, err
    assert tree_digest(output) == before
    lines = [line for line in err.splitlines() if not line.startswith("build failed")]
    errors = [line for line in lines if ": warning: " not in line]
    assert errors, err
    for line in errors:
        assert re.match(r'^(?:"[^"]+"|[^\s:][^:]*):(\d+:)? \S', line), line
    return errors


def write(name: str, extra: str = "", text: str | None = None) -> Setup:
    def setup(archive: Path) -> None:
        path = replies(archive) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(REPLY.format(extra=extra) if text is None else text, encoding="utf-8")

    return setup


FRONT_MATTER_CASES = {
    "nul": ("region: 乌海\x00市\n", 6, "U+0000"),
    "bell": ("region: 乌海\x07市\n", 6, "U+0007"),
    "escape in a list": ("tags: [养老, \x1b]\n", 6, "U+001B"),
    "nested 1000 flow": ("tags: " + "[" * 1000 + "]" * 1000 + "\n", 6, "nested"),
    "nested 1000 mappings": ("contacts: " + "{a: " * 1000 + "b" + "}" * 1000 + "\n", 6, "nested"),
    "nested block lists": (
        "tags:\n" + "- " * 1000 + "x\n",
        7,
        "nested",
    ),
    "nested by indentation": (
        "contacts:\n" + "".join(" " * i + f"层{i}:\n" for i in range(1, 1000)),
        0,
        "nested",
    ),
    "5000 digits": ("number: " + "9" * 5000 + "\n", 6, "digits"),
    "5000 digits in a list": ("tags: [" + "1" * 5000 + "]\n", 6, "digits"),
    "duplicate key": ("title: 又一个标题\n", 6, "lines 2 and 6"),
    "duplicate contact": ("contacts:\n  电话: 1\n  电话: 2\n", 8, "lines 7 and 8"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(FRONT_MATTER_CASES))
def test_front_matter_that_broke_the_build(
    case: str, built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    extra, line, words = FRONT_MATTER_CASES[case]
    errors = fails_cleanly(built, capsys, write("bad.md", extra))
    assert len(errors) == 1
    assert errors[0].startswith(
        f"content/replies/bad.md:{line}:" if line else "content/replies/bad.md:"
    )
    assert words in errors[0]


@pytest.mark.parametrize(
    "url", ["data:text/html;base64,PHNjcmlwdD4=", "DATA:image/png;base64,AA", " data:image/gif,x"]
)
@pytest.mark.slow
def test_a_data_url_from_markdown_is_never_a_link(
    url: str, built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    archive, output = built
    body = f"[链接]({url}) ![图]({url}) <{url.strip()}>\n\n[参考]\n\n[参考]: {url.strip()}\n"
    text = REPLY.format(extra="") + body
    write("data.md", text=text)(archive)
    status, err = build(archive, output, capsys)
    assert status == 0, err
    page = next(output.rglob("data.html")).read_text(encoding="utf-8")
    assert "data:" in page.lower()  # shown as text...
    assert not re.search(r'(?:href|src)="\s*data:', page, re.IGNORECASE)  # ...never a link


def _link(target: str, name: str) -> Setup:
    def setup(archive: Path) -> None:
        os.symlink(target, replies(archive) / name)

    return setup


def _outside_file(archive: Path) -> None:
    secret = archive.parent / "secret.md"
    secret.write_text(REPLY.format(extra=""), encoding="utf-8")
    os.symlink(secret, replies(archive) / "secret.md")


def _outside_folder(archive: Path) -> None:
    elsewhere = archive.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.md").write_text(REPLY.format(extra=""), encoding="utf-8")
    os.symlink(elsewhere, replies(archive) / "more")


def _bad_name(archive: Path) -> None:
    (replies(archive) / os.fsdecode(b"\xb4\xf0\xb8\xb4.md")).write_bytes(b"---\n")  # GBK 答复


def _site_toml(data: bytes) -> Setup:
    def setup(archive: Path) -> None:
        (archive / "site.toml").write_bytes(data)

    return setup


DISK_CASES: dict[str, tuple[Setup, str]] = {
    "link loop": (_link("loop", "loop"), "content/replies/loop: a symbolic link that loops"),
    "link loop *.md": (_link("l.md", "l.md"), "content/replies/l.md: a symbolic link that loops"),
    "dangling *.md": (_link("gone.md", "x.md"), "content/replies/x.md: a symbolic link to nothing"),
    "link outside": (_outside_file, "content/replies/secret.md: a symbolic link to"),
    "folder outside": (_outside_folder, "content/replies/more: a symbolic link to"),
    "absolute link outside": (_link("/etc/hostname", "h.md"), "outside the archive"),
    "name not UTF-8": (_bad_name, '"content/replies/\\xb4\\xf0\\xb8\\xb4.md": the name is not'),
    "newline in a name": (
        write("a\nb.md", text="no front matter"),
        '"content/replies/a\\nb.md":1:',
    ),
    "site.toml in GBK": (
        _site_toml('title = "答复档案"\n'.encode("gbk")),
        "site.toml:1: site.toml is not UTF-8",
    ),
    "site.toml bad bytes": (
        _site_toml(b'title = "ok"\n\xff\xfe = 1\n'),
        "site.toml:2: site.toml is not UTF-8",
    ),
    "site.toml a folder": (
        lambda a: (a / "site.toml").mkdir(),
        "site.toml: site.toml is not a file",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(DISK_CASES))
def test_files_and_folders_that_cannot_be_read_or_followed(
    case: str, built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    setup, expected = DISK_CASES[case]
    errors = fails_cleanly(built, capsys, setup)
    assert any(expected in line for line in errors), errors


@pytest.mark.slow
def test_a_link_within_the_archive_is_followed(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    archive, output = built
    shared = archive / "shared"
    shared.mkdir()
    (shared / "linked.md").write_text(REPLY.format(extra=""), encoding="utf-8")
    os.symlink(shared / "linked.md", replies(archive) / "linked.md")
    os.symlink(replies(archive), replies(archive) / "again")  # a loop of folders: once
    status, err = build(archive, output, capsys)
    assert status == 0, err
    assert "content/replies/again: warning: a link to a folder already read" in err
    assert next(output.rglob("linked.html"))


@pytest.mark.slow
@pytest.mark.parametrize("what", ["reply file", "folder", "replies folder", "site.toml"])
def test_what_cannot_be_read_is_an_error(
    what: str,
    built: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Permissions are simulated: the tests may run as root, who reads everything."""
    archive, _ = built
    sub = replies(archive) / "2025"
    sub.mkdir()
    (sub / "inner.md").write_text(REPLY.format(extra=""), encoding="utf-8")
    target = {
        "reply file": sub / "inner.md",
        "folder": sub,
        "replies folder": replies(archive),
        "site.toml": archive / "site.toml",
    }[what]
    (archive / "site.toml").write_text('title = "档案"\n', encoding="utf-8")
    denied = PermissionError(13, "Permission denied")

    def guard(real: Callable[..., object]) -> Callable[..., object]:
        def wrapper(path: object, *args: object, **kwargs: object) -> object:
            if str(path) == str(target):
                raise denied
            return real(path, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(os, "scandir", guard(os.scandir))
    monkeypatch.setattr(os, "open", guard(os.open))
    monkeypatch.setattr(Path, "read_bytes", guard(Path.read_bytes))
    errors = fails_cleanly(built, capsys, lambda archive: None)
    name = target.relative_to(archive).as_posix()
    assert any(line.startswith(f"{name}: cannot read") for line in errors), errors


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_fifo_or_folder_named_md_is_a_warning_and_never_read(
    kind: str, built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    archive, output = built
    odd = replies(archive) / "odd.md"
    os.mkfifo(odd) if kind == "fifo" else odd.mkdir()
    status, err = build(archive, output, capsys)  # a FIFO opened for reading would hang
    assert status == 0, err
    assert "content/replies/odd.md: warning: " in err


@pytest.mark.slow
def test_a_long_tag_or_slug_never_makes_a_name_too_long(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    archive, output = built
    write("long.md", "tags: [" + "很长的主题" * 60 + ", " + "x" * 300 + "]\n")(archive)
    status, err = build(archive, output, capsys)
    assert status == 0, err
    names = [p.name for p in output.rglob("*")]
    assert max(len(name.encode()) for name in names) <= 110
    errors = fails_cleanly(built, capsys, write("slug.md", "slug: " + "a" * 300 + "\n"))
    assert errors == [
        "content/replies/slug.md:6: slug is 300 characters long, more than a file name may be"
        " (at most 100: shorten it)"
    ]


@pytest.mark.slow
def test_a_year_out_of_range_is_a_warning(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    archive, output = built
    text = REPLY.format(extra="written: 0001-01-01\n").replace("2025-08-04", "9999-01-01")
    write("year.md", text=text)(archive)
    status, err = build(archive, output, capsys)
    assert status == 0, err
    assert "content/replies/year.md:5: warning: `published` is in the year 9999" in err
    assert "content/replies/year.md:6: warning: `written` is in the year 1" in err


@pytest.mark.parametrize("key", ["tags", "proposers"])
def test_more_items_than_max_list_items_is_refused(
    key: str, built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    items = ", ".join(f"项{i}" for i in range(201))
    errors = fails_cleanly(built, capsys, write("many.md", f"{key}: [{items}]\n"))
    assert errors == [
        f"content/replies/many.md:6: `{key}` has 201 items, more than 200"
        " (keep the few that matter, or raise max_list_items in site.toml)"
    ]


@pytest.mark.slow
def test_5000_tags_on_one_reply_give_output_that_grows_linearly(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Each tag page listed the reply with all its tags: 4,000 tags made 956 MB."""
    archive, output = built
    (archive / "site.toml").write_text("max_list_items = 5000\n", encoding="utf-8")
    tags = ", ".join(f"主题{i}" for i in range(5000))
    write("many.md", f"tags: [{tags}]\n")(archive)
    status, err = build(archive, output, capsys)
    assert status == 0, err
    pages = list((output / "tags").rglob("*.html"))
    assert len(pages) > 5000
    one = next(p for p in pages if p.parent.name == "zhuti-4999")
    assert "等 5000 个主题" in one.read_text(encoding="utf-8")
    assert max(p.stat().st_size for p in pages if p.parent.name != "tags") < 16_000
    total = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
    assert total < 60_000_000  # 18.7 MB measured; before, this many tags would write GBs


@pytest.mark.slow
def test_feeds_list_a_bounded_number_of_tags(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A feed per tag, each with the reply and its tags, would grow with the square too."""
    archive, output = built
    tags = ", ".join(f"主题{i}" for i in range(30))
    write("many.md", f"tags: [{tags}]\n")(archive)
    status = main(
        ["build", "--no-search", "--base-url", "https://example.org/", "--source", str(archive)]
        + ["--output", str(output)]
    )
    assert status == 0, capsys.readouterr().err
    feed = (output / "tags" / "zhuti-29" / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<category ") == 10


@pytest.mark.slow
def test_a_control_character_in_a_body_is_a_warning_and_never_in_a_page(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    archive, output = built
    write("ctrl.md", text=REPLY.format(extra="") + "\n第二段\x07有铃声\x0c，【三】\x00。\n")(
        archive
    )
    status, err = build(archive, output, capsys)
    assert status == 0, err
    assert "content/replies/ctrl.md:10: warning: a control character U+0007" in err
    page = next(output.rglob("ctrl.html")).read_text(encoding="utf-8")
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", page)
    assert "第二段\ufffd有铃声" in page
