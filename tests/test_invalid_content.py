"""Broken archives: every problem reported as `path:line: message`, exit 1, output intact."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from builder.cli import main

from .conftest import REPO_ROOT

INVALID = Path(__file__).parent / "fixtures" / "invalid"
CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".reply-archive" not in p.relative_to(folder).parts  # (its lock)
    }


@pytest.fixture(scope="module")
def previous_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good build of the sample archive, standing where the broken builds will write."""
    output = tmp_path_factory.mktemp("previous") / "output"
    assert (
        main(
            [
                "build",
                "--no-search",
                "--no-cache",
                "--source",
                str(REPO_ROOT),
                "--output",
                str(output),
            ]
        )
        == 0
    )
    return output


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_each_problem_is_one_line_with_path_and_line(
    case: str, tmp_path: Path, previous_output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / case
    shutil.copytree(INVALID / case, source)
    output = tmp_path / "output"
    shutil.copytree(previous_output, output)
    before = tree_digest(output)

    status = main(["build", "--no-search", "--source", str(source), "--output", str(output)])

    err = capsys.readouterr().err
    reported = [line for line in err.splitlines() if line.startswith("content/")]
    expected = (source / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert reported == expected
    assert status == 1
    assert "Traceback" not in err
    assert "was left as it was" in err
    assert tree_digest(output) == before, "a failed build changed the previous output"
    assert not (output / ".reply-archive/staging").exists(), "the staging folder was left behind"


def test_three_mistakes_in_one_file_give_three_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        [
            "build",
            "--no-search",
            "--source",
            str(INVALID / "three-mistakes"),
            "--output",
            str(tmp_path / "out"),
        ]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert len([line for line in err.splitlines() if line.startswith("content/")]) == 3
    assert "build failed: 3 errors" in err
    assert not (tmp_path / "out").exists()


def test_an_output_folder_holding_the_archive_is_refused(
    sample_archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        ["build", "--no-search", "--source", str(sample_archive), "--output", str(sample_archive)]
    )
    assert status == 1
    assert "the output folder holds the archive" in capsys.readouterr().err
    assert (sample_archive / "content" / "replies").is_dir()


def test_a_foreign_non_empty_output_folder_is_refused(
    sample_archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "thesis.docx").write_bytes(b"precious")
    status = main(
        ["build", "--no-search", "--source", str(sample_archive), "--output", str(foreign)]
    )
    assert status == 1
    assert "holds files reply-archive did not write (thesis.docx)" in capsys.readouterr().err
    assert (foreign / "thesis.docx").read_bytes() == b"precious"
