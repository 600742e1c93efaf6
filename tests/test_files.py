"""The one atomic write: a file is its old bytes or its new bytes, never half, and no
temporary file outlives a write."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from builder import files
from builder.files import create_atomic, is_temporary, write_atomic, write_if_changed
from builder.output import HIDDEN, recover


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_a_write_makes_the_file_with_its_bytes_and_nothing_else(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.bin", b"\x00bytes\xff")
    assert (tmp_path / "a.bin").read_bytes() == b"\x00bytes\xff"
    assert _names(tmp_path) == ["a.bin"]


def test_text_is_written_as_utf8_with_its_newlines_untouched(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.md", "答复\r\n第二行\n")
    assert (tmp_path / "a.md").read_bytes() == "答复\r\n第二行\n".encode()


def test_a_write_replaces_the_old_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_bytes(b"old and longer than the new")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert _names(tmp_path) == ["a.txt"]


def test_a_written_file_has_the_usual_permissions_not_a_temporary_files(
    tmp_path: Path,
) -> None:
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.txt", b"x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.stat(tmp_path / "a.txt").st_mode) == 0o644


def test_a_write_that_fails_halfway_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.txt"
    target.write_bytes(b"old")

    def half_then_full_disk(handle: int, data: bytes) -> None:
        os.write(handle, data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "_write_all", half_then_full_disk)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, b"new bytes, never seen half written")
    assert target.read_bytes() == b"old"
    assert _names(tmp_path) == ["a.txt"]


def test_a_write_interrupted_before_the_rename_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(source: object, target: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "a.txt", b"new")
    assert _names(tmp_path) == []


def test_a_write_over_a_folder_fails_and_leaves_no_temporary(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    with pytest.raises(OSError):
        write_atomic(tmp_path / "a", b"x")
    assert _names(tmp_path) == ["a"]


def test_a_durable_write_syncs_its_bytes_before_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(handle: int) -> None:
        events.append("fsync")
        real_fsync(handle)

    def replace(source: str | Path, target: str | Path) -> None:
        events.append("replace")
        real_replace(source, target)

    monkeypatch.setattr(files.os, "fsync", fsync)
    monkeypatch.setattr(files.os, "replace", replace)
    write_atomic(tmp_path / "journal.json", b"{}", durable=True)
    write_atomic(tmp_path / "cache", b"x")
    assert events == ["fsync", "replace", "replace"]


def test_unchanged_bytes_are_not_written_again_and_keep_their_mtime(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "folder" / "index.js"
    assert write_if_changed(target, "一")
    os.utime(target, ns=(1, 1))
    assert not write_if_changed(target, "一".encode())
    assert os.stat(target).st_mtime_ns == 1
    assert write_if_changed(target, "二")
    assert target.read_text(encoding="utf-8") == "二"


def test_the_temporary_names_are_hidden_and_known(tmp_path: Path) -> None:
    name = files._temporary_name("offline-index.js")
    assert is_temporary(name) and name.startswith(".offline-index.js.")
    assert not is_temporary("offline-index.js") and not is_temporary(".hidden")
    assert files._temporary_name("a") != files._temporary_name("a")


def test_the_gate_clears_the_temporary_a_killed_commit_left(tmp_path: Path) -> None:
    hidden = tmp_path / "site" / HIDDEN
    hidden.mkdir(parents=True)
    (hidden / files._temporary_name("journal.json")).write_bytes(b'{"moves": [')
    (hidden / "owned.json").write_bytes(b"[]")
    assert recover(tmp_path / "site")
    assert _names(hidden) == ["owned.json"]


def test_a_new_file_is_made_whole_with_its_mode_and_never_replaces_one(tmp_path: Path) -> None:
    target = tmp_path / "secret"
    assert create_atomic(target, b"first", mode=0o600) is True
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert create_atomic(target, b"second", mode=0o600) is False
    assert target.read_bytes() == b"first"
    assert _names(tmp_path) == ["secret"]


def test_a_new_file_that_fails_halfway_is_never_seen_under_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def half_then_full_disk(handle: int, data: bytes) -> None:
        os.write(handle, data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "_write_all", half_then_full_disk)
    with pytest.raises(OSError, match="No space"):
        create_atomic(tmp_path / "secret", b"thirty-two bytes, never half")
    assert _names(tmp_path) == []


def test_a_link_replaces_the_file_with_the_source_itself_or_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = tmp_path / "shard.bin", tmp_path / "merged.bin"
    source.write_bytes(b"fragment")
    target.write_bytes(b"old")
    files.link_atomic(source, target)
    assert target.samefile(source)
    assert _names(tmp_path) == ["merged.bin", "shard.bin"]

    def other_file_system(src: object, dst: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(files.os, "link", other_file_system)
    copy = tmp_path / "copy.bin"
    assert files.link_atomic(source, copy)
    assert copy.read_bytes() == b"fragment" and not copy.samefile(source)
    copy.write_bytes(b"kept")
    assert not files.link_atomic(source, copy, copy=False)  # (no link: left as it is)
    assert copy.read_bytes() == b"kept"

    def rename_fails(src: object, dst: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(files.os, "replace", rename_fails)
    with pytest.raises(OSError):
        files.link_atomic(source, target)
    assert target.samefile(source)  # the file as it was, and its temporary removed
    assert _names(tmp_path) == ["copy.bin", "merged.bin", "shard.bin"]
