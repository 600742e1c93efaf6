"""From a wheel in a new virtualenv: init, then build, then check, and Chinese messages."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import REPO_ROOT


@pytest.mark.slow
def test_init_build_check_from_an_installed_wheel(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
        ]
        + [str(REPO_ROOT)],
        check=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    (wheel,) = tmp_path.glob("reply_archive-*.whl")
    env_dir = tmp_path / "venv"
    # The dependencies come from this machine's site-packages; only the wheel is installed.
    venv.create(env_dir, system_site_packages=True, with_pip=True)
    bin_dir = env_dir / "bin"
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "REPLY_ARCHIVE_LANG")}
    env["LANG"] = "C.UTF-8"

    def run(*argv: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(bin_dir / "reply-archive"), *argv],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**env, **extra},
            check=False,
        )

    made = run("init", "arch")
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "arch" / "content" / "replies" / "example.md").is_file()
    built = run("build", "--source", "arch", "--no-search")
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("built 1 replies, "), built.stdout
    assert (tmp_path / "arch" / "output" / "index.html").is_file()
    checked = run("check", "--source", "arch")
    assert (checked.returncode, checked.stdout) == (0, "checked: no errors, 1 warning(s)\n")
    # The compiled catalogue is in the wheel: a Chinese locale gets Chinese.
    chinese = run("check", "--source", "nowhere", LANG="zh_CN.UTF-8")
    assert chinese.returncode == 1
    assert "nowhere: 没有这个文件夹" in chinese.stderr
    installed = subprocess.run(
        [str(bin_dir / "python"), "-c", "import builder; print(builder.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert str(env_dir) in installed.stdout, "the test ran the repository's copy, not the wheel"
