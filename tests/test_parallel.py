"""Work in fresh Python processes: results in order, each from a process of its own, a
failure reported with its error, an answer that is not a result reported as a failure."""

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


def say_something(task: int) -> None:
    print("not a pickle")  # what a task that prints to stdout sends back


def test_an_answer_that_is_not_a_result_is_a_failure_and_no_task_no_process() -> None:
    with pytest.raises(WorkerFailed, match="no result"):
        in_processes(f"{__name__}:say_something", [1])
    assert in_processes(f"{__name__}:square", []) == []
