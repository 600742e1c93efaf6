"""Work in fresh Python processes: results in order, a failure reported with its last
lines and no process left running."""

from __future__ import annotations

import os

import pytest

from builder.parallel import WorkerFailed, in_processes


def square(task: int) -> tuple[int, int]:
    return task * task, os.getpid()


def fail(task: int) -> None:
    raise RuntimeError(f"task {task} cannot be done")


def test_each_task_runs_in_a_process_of_its_own_and_results_keep_their_order() -> None:
    results = in_processes(f"{__name__}:square", [3, 1, 2])
    assert [value for value, _ in results] == [9, 1, 4]
    assert len({pid for _, pid in results} | {os.getpid()}) == 4


def test_a_failing_task_is_reported_with_its_error() -> None:
    with pytest.raises(WorkerFailed, match="RuntimeError: task 2 cannot be done"):
        in_processes(f"{__name__}:fail", [2])
