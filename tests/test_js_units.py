"""The JavaScript unit tests (tests/js/*.mjs, Node's own test runner) as one pytest test:
it fails when any of them fails. Without Node it skips, except in CI, where it fails."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

JS_TESTS = Path(__file__).parent / "js"


def test_the_javascript_unit_tests_pass() -> None:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is missing: the JavaScript unit tests cannot run in CI")
        pytest.skip("node is not installed: the JavaScript unit tests (tests/js/) do not run")
    files = sorted(str(path) for path in JS_TESTS.glob("*.mjs"))
    assert files, "no JavaScript unit test in tests/js/"
    done = subprocess.run(
        [node, "--test", *files], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
