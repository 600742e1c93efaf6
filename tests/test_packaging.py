"""A non-editable install carries the default theme: it builds an archive that has none."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from .conftest import REPO_ROOT


@pytest.mark.slow
def test_an_installed_package_builds_from_another_folder(tmp_path: Path) -> None:
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    _see_active_packages(python)
    # The dependencies come from this machine's site-packages; only our package is installed.
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            str(REPO_ROOT),
        ],
        check=True,
        env=_without_pythonpath(),
    )
    archive = tmp_path / "elsewhere"
    shutil.copytree(REPO_ROOT / "content", archive / "content")

    done = subprocess.run(
        [str(env / "bin" / "reply-archive"), "build", "--no-search"],
        cwd=archive,
        capture_output=True,
        text=True,
        check=False,
        env=_without_pythonpath(),
    )

    assert done.returncode == 0, done.stderr
    # The command ends the process at once after a build: what it printed is all there.
    assert done.stdout.startswith("built 2 replies, "), done.stdout
    assert "no base_url" in done.stderr
    output = archive / "output"
    assert (output / "static" / "style.css").is_file()
    assert "乌民复〔2025〕20号" in (
        output / "replies/2025/wuhaishi-2025-jianyi-hn-35.html"
    ).read_text(encoding="utf-8")
    installed = subprocess.run(
        [str(python), "-c", "import builder; print(builder.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env=_without_pythonpath(),
    )
    assert str(env) in installed.stdout, "the test ran the repository's copy, not the install"
    assert sys.prefix != str(env)


def _see_active_packages(python: Path) -> None:
    """Let the new environment import the packages of the one running the tests.

    `venv.create(system_site_packages=True)` would see the *base* interpreter's packages,
    not those of an active virtualenv (where hatchling and the dependencies are). A `.pth`
    line adds each site folder on the running path (the active environment's, and the base
    one's when it sees them) after the new environment's own, without running the `.pth`
    files in it (so the active environment's editable install is not seen)."""
    own = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
        env=_without_pythonpath(),
    ).stdout.strip()
    active = [sysconfig.get_paths()[kind] for kind in ("purelib", "platlib")]
    active += [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
    Path(own, "active-environment.pth").write_text("\n".join(dict.fromkeys(active)) + "\n")


def _without_pythonpath() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
