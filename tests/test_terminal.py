"""A terminal sees the progress line and colours; a pipe, a file or NO_COLOR sees neither."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.generate import generate

from .conftest import REPO_ROOT

ESCAPE = "\x1b["


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough replies that the render workers report more than once."""
    root = tmp_path_factory.mktemp("terminal") / "archive"
    generate(60, root, seed=3)
    return root


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    env.update(PYTHONPATH=str(REPO_ROOT), REPLY_ARCHIVE_PROGRESS_AFTER="0", **extra)
    return env


def on_a_terminal(argv: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the command with stdout and stderr on a pseudo-terminal; what it showed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "builder", *argv],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env=env,
        cwd=REPO_ROOT,
    )
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return process.wait(timeout=60), shown.decode("utf-8", "replace")


def build_argv(archive: Path, output: Path) -> list[str]:
    return ["build", "--no-search", "--no-cache", "--source", str(archive), "--output", str(output)]


@pytest.mark.slow
def test_a_terminal_sees_progress_and_yellow_warnings(archive: Path, tmp_path: Path) -> None:
    status, shown = on_a_terminal(build_argv(archive, tmp_path / "out"), environment())
    assert status == 0, shown
    assert "rendering " in shown and "\r" in shown
    assert "\x1b[33m" in shown and "no base_url" in shown  # the warning, in yellow
    assert shown.rstrip().splitlines()[-1].lstrip("\r\x1b[K").startswith("built 60 replies, ")


def test_a_terminal_sees_errors_in_red_in_chinese(tmp_path: Path) -> None:
    env = environment(LANG="zh_CN.UTF-8", REPLY_ARCHIVE_LANG="")
    status, shown = on_a_terminal(["check", "--source", str(tmp_path)], env)
    assert status == 1
    assert "\x1b[31mcontent/replies: 在 " in shown
    assert "检查未通过" in shown


@pytest.mark.slow
def test_no_color_and_a_pipe_see_plain_lines(archive: Path, tmp_path: Path) -> None:
    status, shown = on_a_terminal(build_argv(archive, tmp_path / "a"), environment(NO_COLOR="1"))
    assert status == 0
    assert ESCAPE not in shown and "rendering" not in shown
    piped = subprocess.run(
        [sys.executable, "-m", "builder", *build_argv(archive, tmp_path / "b")],
        capture_output=True,
        text=True,
        env=environment(),
        cwd=REPO_ROOT,
        check=False,
    )
    assert piped.returncode == 0
    assert ESCAPE not in piped.stderr + piped.stdout
    assert "rendering" not in piped.stderr
    assert piped.stdout.startswith("built 60 replies, ")


@pytest.mark.slow
def test_quiet_prints_errors_only_and_verbose_the_stages(archive: Path, tmp_path: Path) -> None:
    def run(*flags: str) -> subprocess.CompletedProcess[str]:
        argv = [*build_argv(archive, tmp_path / "q"), *flags]
        return subprocess.run(
            [sys.executable, "-m", "builder", *argv],
            capture_output=True,
            text=True,
            env=environment(),
            cwd=REPO_ROOT,
            check=False,
        )

    quiet = run("--quiet")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    verbose = run("--verbose")
    assert verbose.returncode == 0
    assert "stages: load " in verbose.stderr and " render " in verbose.stderr


@pytest.mark.slow
def test_an_import_shows_its_progress_on_a_terminal_only(tmp_path: Path) -> None:
    pages = REPO_ROOT / "tests" / "fixtures" / "ingest"
    argv = ["import", str(pages), "--into", str(tmp_path / "a" / "content" / "replies")]
    status, shown = on_a_terminal(argv, environment())
    assert status in (0, 1), shown
    assert "importing " in shown and "/6" in shown
    piped = subprocess.run(
        [sys.executable, "-m", "builder", "import", str(pages), "--into", str(tmp_path / "b")],
        capture_output=True,
        text=True,
        env=environment(),
        cwd=REPO_ROOT,
        check=False,
    )
    assert "importing " not in piped.stderr + piped.stdout
    assert ESCAPE not in piped.stderr + piped.stdout
