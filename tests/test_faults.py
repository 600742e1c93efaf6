"""Faults: a build killed at every phase, a full disk, an output that cannot be written,
two builds at once, an output on a mount point, a folder of the user's.

The promise (docs/guarantees.md): after a killed build, and once the next build's first
step (`builder.output.recover`) has run, the output is wholly the previous site or wholly
the new one; a killed build that had not reached its commit point leaves the previous site
untouched even before that step. A failed build leaves the output byte for byte as it was.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.build import BuildOptions, build
from builder.cli import main
from builder.errors import BuildFailed
from builder.output import HIDDEN, KILL_AT, OutputGate, recover
from tests.conftest import MINIMAL_REPLY, REPO_ROOT

ADDED = MINIMAL_REPLY.replace("潜江市民政局", "武汉市〔园林〕局").replace("养老服务", "绿道、公园")


def site(folder: Path) -> dict[str, str]:
    """Every file of the site (not the gate's own folder) by its path, with a digest."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] != HIDDEN
    }


def make_version_two(source: Path) -> None:
    """An edited reply, a removed one (its bureau's pages go) and an added one."""
    replies = source / "content/replies/2025"
    edited = replies / "qianjiangshi-2025-tian-150.md"
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("己收悉", "已收悉【修订】"), encoding="utf-8"
    )
    (replies / "wuhaishi-2025-jianyi-hn-35.md").unlink()
    (replies / "added-2025.md").write_text(ADDED, encoding="utf-8")


def run_build(source: Path, output: Path, **env: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "builder", "build", "--no-search"]
    command += ["--source", str(source), "--output", str(output)]
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT), **env}
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict, dict]:
    """Version one built (its source with its cache, its output), and both sites."""
    root = tmp_path_factory.mktemp("versions")
    source = root / "source"
    shutil.copytree(REPO_ROOT / "content", source / "content")
    shutil.copy(REPO_ROOT / "site.toml", source / "site.toml")
    assert run_build(source, root / "output").returncode == 0
    two = root / "two"
    shutil.copytree(source, two)
    make_version_two(two)
    assert run_build(two, root / "output-two").returncode == 0
    first, second = site(root / "output"), site(root / "output-two")
    assert first != second
    return source, root / "output", first, second


BEFORE_COMMIT = ["locked", "loaded", "record:1", "record:5", "journal"]
AFTER_COMMIT = ["committed", "move:1", "move:4", "remove:1", "remove:3", "done"]


@pytest.mark.slow
@pytest.mark.parametrize("point", BEFORE_COMMIT + AFTER_COMMIT)
def test_a_build_killed_at_any_point_leaves_one_whole_site(
    point: str, versions: tuple[Path, Path, dict, dict], tmp_path: Path
) -> None:
    source, output, first, second = versions
    shutil.copytree(source, tmp_path / "source")
    shutil.copytree(output, tmp_path / "output")
    make_version_two(tmp_path / "source")

    killed = run_build(tmp_path / "source", tmp_path / "output", **{KILL_AT: point})
    assert killed.returncode == -9, f"the build did not reach {point}: {killed.stderr}"
    if point in BEFORE_COMMIT:
        assert site(tmp_path / "output") == first, "killed before its commit, yet it changed"

    recover(tmp_path / "output")  # what the next build does first
    expected = first if point in BEFORE_COMMIT else second
    assert site(tmp_path / "output") == expected
    assert not (tmp_path / "output" / HIDDEN / "staging").exists()

    again = run_build(tmp_path / "source", tmp_path / "output")
    assert again.returncode == 0, again.stderr
    assert site(tmp_path / "output") == second


@pytest.mark.slow
def test_a_kill_mid_commit_is_completed_by_the_next_build_itself(
    versions: tuple[Path, Path, dict, dict], tmp_path: Path
) -> None:
    source, output, _, second = versions
    shutil.copytree(source, tmp_path / "source")
    shutil.copytree(output, tmp_path / "output")
    make_version_two(tmp_path / "source")
    assert run_build(tmp_path / "source", tmp_path / "output", **{KILL_AT: "move:2"}).returncode
    assert (tmp_path / "output" / HIDDEN / "journal.json").exists()
    assert run_build(tmp_path / "source", tmp_path / "output").returncode == 0
    assert site(tmp_path / "output") == second
    assert not (tmp_path / "output" / HIDDEN / "journal.json").exists()


@pytest.mark.slow
def test_two_builds_at_once_both_end_well_one_after_the_other(
    versions: tuple[Path, Path, dict, dict], tmp_path: Path
) -> None:
    source, _, first, _ = versions
    shutil.copytree(source, tmp_path / "source")
    command = [sys.executable, "-m", "builder", "build", "--no-search", "--no-cache"]
    command += ["--source", str(tmp_path / "source"), "--output", str(tmp_path / "output")]
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    runs = [subprocess.Popen(command, env=environment, stderr=subprocess.PIPE) for _ in range(2)]
    for run in runs:
        assert run.wait(timeout=120) == 0, run.stderr.read() if run.stderr else ""
    assert site(tmp_path / "output") == first


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """A process holding the lock of `tmp_path/output` (as another build would)."""
    output = tmp_path / "output"
    (output / HIDDEN).mkdir(parents=True)
    code = (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(output / HIDDEN / 'lock')!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "os.write(fd, f'{os.getpid()}\\n'.encode())\n"
        "print('held', flush=True)\n"
        "time.sleep(60)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "held\n"
    yield output, process
    process.kill()
    process.wait()


@pytest.mark.slow
def test_a_build_waits_a_bounded_time_for_another_then_names_it(
    sample_archive: Path, holder: tuple[Path, subprocess.Popen[str]]
) -> None:
    output, process = holder
    options = BuildOptions(sample_archive, output, search=False, lock_wait=0.3)
    with pytest.raises(BuildFailed) as failed:
        build(options)
    message = failed.value.problems[0].message
    assert f"another build (process {process.pid}) is writing" in message
    assert "waited 0.3 s" in message
    assert site(output) == {}
    process.kill()  # it dies holding the lock: the file stays, the lock does not
    process.wait()
    assert (output / HIDDEN / "lock").read_text().strip() == str(process.pid)
    assert build(options).pages > 0


@pytest.mark.slow
def test_a_full_disk_is_one_line_and_the_output_stays(
    sample_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    output = tmp_path / "output"
    assert (
        main(["build", "--no-search", "--source", str(sample_archive), "--output", str(output)])
        == 0
    )
    before = site(output)
    (sample_archive / "content/replies/2025/added.md").write_text(ADDED, encoding="utf-8")
    real = OutputGate._stage_file
    staged = []

    def fill_up(gate: OutputGate, path: str, data: bytes) -> int:
        if len(staged) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)
        staged.append(path)
        return real(gate, path, data)

    monkeypatch.setattr(OutputGate, "_stage_file", fill_up)
    capsys.readouterr()
    status = main(
        ["build", "--no-search", "--source", str(sample_archive), "--output", str(output)]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert "no space left on the disk of the output folder: the new pages need more than" in err
    assert " MB staged when it filled up (" in err and " MB were free)" in err
    assert "Traceback" not in err and "bug" not in err
    assert site(output) == before
    assert not (output / HIDDEN / "staging").exists()


def test_an_output_that_cannot_be_written_is_one_line(
    sample_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import builder.output

    def read_only(*args: object, **kwargs: object) -> int:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(tmp_path / "out" / HIDDEN))

    monkeypatch.setattr(builder.output.os, "open", read_only)
    status = main(
        ["build", "--no-search", "--source", str(sample_archive), "--output", str(tmp_path / "out")]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert "the output folder is not writable (Read-only file system:" in err
    assert "Traceback" not in err


def test_an_output_naming_a_file_is_refused(sample_archive: Path, tmp_path: Path, capsys) -> None:
    file = tmp_path / "site.html"
    file.write_text("mine", encoding="utf-8")
    assert (
        main(["build", "--no-search", "--source", str(sample_archive), "--output", str(file)]) == 1
    )
    assert "the output folder is a file, not a folder" in capsys.readouterr().err
    assert file.read_text(encoding="utf-8") == "mine"
    assert main(["serve", "--source", str(sample_archive), "--output", str(file)]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("port", ["99999", "-1", "65536"])
def test_a_port_that_is_no_port_is_one_line(sample_archive: Path, port: str) -> None:
    command = [sys.executable, "-m", "builder", "serve", "--no-search"]
    command += ["--source", str(sample_archive), "--port", port]
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == f"error: --port {port} is not a port: choose a number from 1 to 65535\n"


def test_a_folder_of_the_users_is_refused_and_kept(
    sample_archive: Path, tmp_path: Path, capsys
) -> None:
    www = tmp_path / "www"
    (www / "photos").mkdir(parents=True)
    (www / "index.html").write_text("<p>my home page</p>", encoding="utf-8")
    (www / "notes.txt").write_text("笔记", encoding="utf-8")
    (www / "photos/家.jpg").write_bytes(b"\xff\xd8jpeg")
    before = site(www)
    status = main(["build", "--no-search", "--source", str(sample_archive), "--output", str(www)])
    err = capsys.readouterr().err
    assert status == 1
    assert "holds files reply-archive did not write (index.html, notes.txt, photos/家.jpg)" in err
    assert site(www) == before
    assert sorted(p.name for p in www.iterdir()) == ["index.html", "notes.txt", "photos"]


def test_a_file_added_to_a_built_output_is_never_removed(
    sample_archive: Path, tmp_path: Path, capsys
) -> None:
    output = tmp_path / "output"
    args = ["build", "--no-search", "--source", str(sample_archive), "--output", str(output)]
    assert main(args) == 0
    (output / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(args) == 1
    assert "did not write (notes.txt)" in capsys.readouterr().err
    assert (output / "notes.txt").read_text(encoding="utf-8") == "mine"


# An output folder that is a mount point (a tmpfs): staging stays on its file system.


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "mounted"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        reason = f"cannot mount a tmpfs here ({done.stderr.decode().strip()})"
        if os.environ.get("CI") == "true" and os.geteuid() == 0:
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


@pytest.mark.slow
def test_an_output_on_a_mount_point_builds_and_rebuilds(
    versions: tuple[Path, Path, dict, dict], tmpfs: Path, tmp_path: Path
) -> None:
    source, _, first, second = versions
    shutil.copytree(source, tmp_path / "source")
    assert os.stat(tmpfs).st_dev != os.stat(tmpfs.parent).st_dev
    done = run_build(tmp_path / "source", tmpfs)
    assert done.returncode == 0, done.stderr
    assert site(tmpfs) == first
    make_version_two(tmp_path / "source")
    done = run_build(tmp_path / "source", tmpfs)
    assert done.returncode == 0, done.stderr
    assert site(tmpfs) == second


@pytest.mark.slow
def test_a_real_full_disk_leaves_the_output_and_says_so(
    versions: tuple[Path, Path, dict, dict], tmpfs: Path, tmp_path: Path
) -> None:
    source, _, first, _ = versions
    shutil.copytree(source, tmp_path / "source")
    assert run_build(tmp_path / "source", tmpfs).returncode == 0
    free = shutil.disk_usage(tmpfs).free
    with open(tmpfs / HIDDEN / "filler", "wb") as filler:  # leave about 8 KB
        filler.write(b"\0" * max(0, free - 8192))
    make_version_two(tmp_path / "source")
    done = run_build(tmp_path / "source", tmpfs)
    assert done.returncode == 1, done.stderr
    assert "no space left on the disk of the output folder" in done.stderr
    assert "Traceback" not in done.stderr
    assert site(tmpfs) == first


@pytest.mark.slow
def test_a_read_only_mount_is_one_line_and_kept(
    versions: tuple[Path, Path, dict, dict], tmpfs: Path, tmp_path: Path
) -> None:
    source, _, first, _ = versions
    shutil.copytree(source, tmp_path / "source")
    assert run_build(tmp_path / "source", tmpfs).returncode == 0
    make_version_two(tmp_path / "source")
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    done = run_build(tmp_path / "source", tmpfs)
    assert done.returncode == 1
    assert "the output folder is not writable (Read-only file system:" in done.stderr
    assert "Traceback" not in done.stderr
    assert site(tmpfs) == first
