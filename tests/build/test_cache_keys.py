"""The cache is keyed by the builder's code: an edit to any module (an upgrade) rebuilds
what the module decides, and no hand-kept list of modules can fall behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import builder
from builder.build.cache import code_key, code_key_of

PACKAGE = Path(builder.__file__).parent


def _copy_package(into: Path) -> Path:
    copy = into / "builder"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (into / "templates").symlink_to(PACKAGE.parent / "templates")  # the default theme
    return copy


def test_the_code_key_is_that_of_the_installed_package() -> None:
    assert code_key() == code_key_of(PACKAGE, builder.__version__)


@pytest.mark.slow
def test_an_edit_to_any_module_of_the_package_changes_the_code_key(tmp_path: Path) -> None:
    copy = _copy_package(tmp_path)
    before = code_key_of(copy, "1")
    modules = sorted(copy.rglob("*.py"))
    assert len(modules) > 20 and copy / "search" / "offline.py" in modules
    keys = {}
    for module in modules:
        text = module.read_bytes()
        module.write_bytes(text + b"\n# edited\n")
        keys[module.relative_to(copy).as_posix()] = code_key_of(copy, "1")
        module.write_bytes(text)
    assert code_key_of(copy, "1") == before
    assert before not in keys.values()
    assert len(set(keys.values())) == len(keys), "two edits gave the same key"


def test_a_new_module_or_a_new_version_changes_the_code_key(tmp_path: Path) -> None:
    copy = _copy_package(tmp_path)
    before = code_key_of(copy, "1")
    assert code_key_of(copy, "2") != before
    (copy / "build" / "extra.py").write_text('"""A module added by an upgrade."""\n')
    assert code_key_of(copy, "1") != before


def _build(package_parent: Path, archive: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    done = subprocess.run(
        [sys.executable, "-m", "builder", "build", "--output", "out"],
        cwd=archive,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow
@pytest.mark.pagefind
def test_an_upgrade_that_changes_the_offline_index_rewrites_it(
    tmp_path: Path, sample_archive: Path
) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    _copy_package(old)
    offline = _copy_package(new) / "search" / "offline.py"
    text = offline.read_text(encoding="utf-8")
    marker = "reply-archive offline search index"
    assert marker in text
    offline.write_text(text.replace(marker, f"{marker} (a newer version)"), encoding="utf-8")
    index = sample_archive / "out" / "search" / "offline-index.js"
    _build(old, sample_archive)
    assert b"a newer version" not in index.read_bytes()
    _build(new, sample_archive)
    assert b"a newer version" in index.read_bytes()
