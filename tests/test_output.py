"""The write gate: atomic, writes only changed bytes, trusts its manifest only while the
files on disk are as it left them, removes what is no longer produced."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from builder import urls
from builder.output import HIDDEN, KEPT_FOLDERS, OutputGate, holds_exactly
from builder.render import Linker, relative_link


def first_build(output: Path) -> OutputGate:
    gate = OutputGate(output)
    gate.write("index.html", b"home", b"fp-home")
    gate.write("replies/2025/a.html", b"reply a", b"fp-a")
    gate.write("replies/2025/b.html", b"reply b", b"fp-b")
    return gate


def test_a_first_build_writes_everything_and_records_it(tmp_path: Path) -> None:
    output = tmp_path / "site"
    report = first_build(output).commit()
    assert sorted(report.written) == ["index.html", "replies/2025/a.html", "replies/2025/b.html"]
    assert (output / "replies/2025/a.html").read_bytes() == b"reply a"
    assert report.manifest["index.html"].fingerprint == b"fp-home"
    assert report.manifest["index.html"].size == 4
    assert holds_exactly(output, report.manifest)
    assert not (output / HIDDEN / "staging").exists()


def test_unchanged_bytes_are_not_written_and_keep_their_mtime(tmp_path: Path) -> None:
    output = tmp_path / "site"
    manifest = first_build(output).commit().manifest
    before = os.stat(output / "index.html").st_mtime_ns
    gate = OutputGate(output, manifest)
    assert gate.keep("index.html", b"fp-home")
    assert not gate.keep("replies/2025/a.html", b"fp-a-new")
    gate.write("replies/2025/a.html", b"reply a", b"fp-a-new")
    gate.write("replies/2025/b.html", b"reply b, changed", b"fp-b-new")
    report = gate.commit()
    assert report.written == ("replies/2025/b.html",)
    assert report.unchanged == 2
    assert os.stat(output / "index.html").st_mtime_ns == before
    assert report.manifest["replies/2025/a.html"].fingerprint == b"fp-a-new"


def test_a_file_changed_by_hand_is_not_trusted(tmp_path: Path) -> None:
    output = tmp_path / "site"
    manifest = first_build(output).commit().manifest
    (output / "index.html").write_bytes(b"hand")
    (output / "replies/2025/a.html").unlink()
    assert not holds_exactly(output, manifest)
    gate = OutputGate(output, manifest)
    assert not gate.keep("index.html", b"fp-home")
    assert not gate.keep("replies/2025/a.html", b"fp-a")
    gate.write("index.html", b"home", b"fp-home")
    gate.write("replies/2025/a.html", b"reply a", b"fp-a")
    assert gate.keep("replies/2025/b.html", b"fp-b")
    report = gate.commit()
    assert sorted(report.written) == ["index.html", "replies/2025/a.html"]
    assert (output / "index.html").read_bytes() == b"home"
    assert holds_exactly(output, report.manifest)


def test_without_a_manifest_bytes_are_compared(tmp_path: Path) -> None:
    output = tmp_path / "site"
    first_build(output).commit()
    gate = OutputGate(output)
    gate.write("index.html", b"home")
    gate.write("replies/2025/a.html", b"reply a")
    gate.write("replies/2025/b.html", b"reply B")
    assert gate.commit().written == ("replies/2025/b.html",)


def test_what_is_no_longer_produced_is_removed_but_the_search_folders_stay(
    tmp_path: Path,
) -> None:
    """And a file the gate did not write stays (it removes only what it wrote)."""
    output = tmp_path / "site"
    manifest = first_build(output).commit().manifest
    for folder in KEPT_FOLDERS:
        (output / folder).mkdir()
        (output / folder / "index.js").write_text("x", encoding="utf-8")
    (output / "stray.txt").write_text("x", encoding="utf-8")
    gate = OutputGate(output, manifest)
    gate.carry(["index.html", "replies/2025/a.html"])
    report = gate.commit()
    assert report.removed == ("replies/2025/b.html",)
    assert (output / "stray.txt").read_text(encoding="utf-8") == "x"
    assert all((output / folder / "index.js").exists() for folder in KEPT_FOLDERS)
    assert set(report.manifest) == {"index.html", "replies/2025/a.html"}
    (output / "stray.txt").unlink()
    assert holds_exactly(output, report.manifest)


def test_without_pruning_only_files_of_the_manifest_go(tmp_path: Path) -> None:
    output = tmp_path / "site"
    manifest = first_build(output).commit().manifest
    (output / "stray.txt").write_text("x", encoding="utf-8")
    gate = OutputGate(output, manifest)
    gate.carry(["index.html", "replies/2025/a.html"])
    assert gate.commit(prune=False).removed == ("replies/2025/b.html",)
    assert (output / "stray.txt").exists()


def test_an_emptied_folder_goes_with_its_last_file(tmp_path: Path) -> None:
    output = tmp_path / "site"
    manifest = first_build(output).commit().manifest
    gate = OutputGate(output, manifest)
    gate.carry(["index.html"])
    gate.commit()
    assert not (output / "replies").exists()


def test_an_aborted_build_leaves_the_output_as_it_was(tmp_path: Path) -> None:
    output = tmp_path / "site"
    manifest = first_build(output).commit().manifest
    gate = OutputGate(output, manifest)
    gate.write("index.html", b"new home")
    gate.abort()
    assert (output / "index.html").read_bytes() == b"home"
    assert not (output / HIDDEN / "staging").exists()


@pytest.mark.parametrize("path", ["../x.html", "/etc/passwd", "a\\b.html"])
def test_paths_outside_the_output_are_refused(tmp_path: Path, path: str) -> None:
    gate = OutputGate(tmp_path / "site")
    with pytest.raises(ValueError):
        gate.write(path, b"x")
    gate.abort()


def test_a_path_is_written_once(tmp_path: Path) -> None:
    gate = OutputGate(tmp_path / "site")
    gate.write("a.html", b"x")
    with pytest.raises(ValueError):
        gate.write("a.html", b"y")
    with pytest.raises(ValueError):
        gate.carry(["a.html"])
    gate.abort()


def test_quick_relative_links_are_those_of_the_url_scheme() -> None:
    parts = ["a", "b", "replies", "2025", "..", ".", "", "x.html", "index.html"]
    chooser = random.Random(7)
    pairs = [
        ("index.html", "static/style.css"),
        ("replies/2025/a.html", "replies/2024/b.html"),
        ("tags/x/2.html", "tags/x/index.html"),
        ("a/b/c.html", "a/b"),
        ("a/b/c/x.html", "a"),
    ]
    for _ in range(5000):
        ends = ["/".join(chooser.choice(parts) for _ in range(chooser.randint(1, 4))) for _ in "ab"]
        if all(end and not end.startswith("/") for end in ends):
            pairs.append((ends[0], ends[1]))
    for from_path, to_path in pairs:
        assert relative_link(from_path, to_path) == urls.relative(from_path, to_path)


def test_a_pages_links_are_those_of_the_url_scheme() -> None:
    # A page in a folder of its own (a proposer's) links up and down without its folder.
    parts = ["proposers", "wangwei", "replies", "2025", "..", ".", "", "x.html", "index.html"]
    chooser = random.Random(11)
    paths = ["index.html", "proposers/wangwei/index.html", "proposers/index.html", "proposers"]
    for _ in range(400):
        path = "/".join(chooser.choice(parts) for _ in range(chooser.randint(1, 4)))
        if path and not path.startswith("/"):
            paths.append(path)
    for from_path in paths:
        link = Linker(from_path)
        for to_path in chooser.sample(paths, 60) + ["static/style.css", "proposers"]:
            assert link(to_path) == urls.relative(from_path, to_path), (from_path, to_path)
    assert Linker("proposers/wangwei/index.html")("static/style.css") == "../../static/style.css"
