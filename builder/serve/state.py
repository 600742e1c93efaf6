"""What the preview server shows, shared between the builder's thread and the requests.

- `OutputLock`: requests read the output folder while no build is writing it (MkDocs' rule:
  never serve a half-built site); a build waits for the reads in flight, which are short.
- `SiteState`: the epoch of the last good build and the errors of the last build, with a
  version number that event streams wait on.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

READ_WAIT_SECONDS = 120.0
"""A request waits this long for a build at most, then is served what is there."""


class OutputLock:
    """Many readers or one writer; a waiting writer goes before new readers."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def reading(self, timeout: float = READ_WAIT_SECONDS) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not self._writing, timeout)
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                self._condition.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not self._writing)
            self._writing = True
            self._condition.wait_for(lambda: self._readers == 0)
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()


@dataclass(frozen=True)
class Snapshot:
    version: int
    epoch: str
    """Names the last build that changed the output; a page of another epoch is stale."""
    errors: tuple[str, ...]
    """`path:line: message (hint)` for each error of the last build; empty when it worked."""
    builds: int
    building: bool
    closed: bool

    def as_json(self) -> dict[str, object]:
        return {
            "epoch": self.epoch,
            "errors": list(self.errors),
            "builds": self.builds,
            "building": self.building,
        }


class SiteState:
    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._session = secrets.token_hex(4)
        self._snapshot = Snapshot(0, f"{self._session}-0", (), 0, False, False)
        self._good = 0

    def snapshot(self) -> Snapshot:
        with self._condition:
            return self._snapshot

    def wait_after(self, version: int, timeout: float) -> Snapshot:
        """The state once its version is past `version`, or as it is after `timeout`."""
        with self._condition:
            self._condition.wait_for(
                lambda: self._snapshot.version != version or self._snapshot.closed, timeout
            )
            return self._snapshot

    def started(self) -> None:
        self._update(building=True)

    def built(self, output_changed: bool) -> None:
        """A build worked: pages of an older epoch reload when the output changed."""
        if output_changed or self._good == 0:
            self._good += 1
        epoch = f"{self._session}-{self._good}"
        self._update(epoch=epoch, errors=(), building=False, builds=self._snapshot.builds + 1)

    def failed(self, errors: tuple[str, ...]) -> None:
        """A build failed: the last good site stays, with these errors over it."""
        self._update(errors=errors, building=False, builds=self._snapshot.builds + 1)

    def close(self) -> None:
        self._update(closed=True)

    def _update(self, **changes: Any) -> None:
        with self._condition:
            old = self._snapshot
            self._snapshot = replace(old, version=old.version + 1, **changes)
            self._condition.notify_all()
