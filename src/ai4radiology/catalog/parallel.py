"""Work shared with forked processes on large catalogs: parsing, validating and checking are CPU-bound.

A forked child inherits the parent's memory, so the work's inputs (a list of paths, the whole Catalog)
are not copied or pickled; only the result comes back through a pipe. A child that fails or dies leaves
its work to the parent, so the outcome never depends on whether forking worked.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")

PARALLEL_FROM = 2000
"""Records from which work is shared with child processes; below it, starting them costs more than it saves."""


def usable_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):  # the CPUs this process may run on (containers, taskset)
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worth_forking(records: int) -> bool:
    """Many records, a spare CPU, and a process that may fork safely (forking while other threads run,
    as under `serve`, can deadlock)."""
    return (
        records >= PARALLEL_FROM
        and usable_cpus() > 1
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )


class Forked(Generic[T]):
    """`work(*args)` started in a forked child; `result()` waits for its value."""

    def __init__(self, work: Callable[..., T], *args: Any) -> None:
        self._work, self._args = work, args
        context = multiprocessing.get_context("fork")
        self._results, sender = context.Pipe(duplex=False)
        self._child = context.Process(target=_send_result, args=(sender, work, args), daemon=True)
        self._child.start()
        sender.close()  # the child holds the other end: recv() ends with EOFError if it dies

    def result(self) -> T:
        try:
            outcome = self._results.recv()
        except (EOFError, OSError):
            outcome = None
        finally:
            self._results.close()
            self._child.join()
        if isinstance(outcome, _Done):
            return outcome.value  # type: ignore[no-any-return]  # what `work` returned, pickled
        return self._work(*self._args)  # the child failed: do its work here


class _Done(Generic[T]):
    """A child's value (None on the pipe means the child failed, whatever its work returns)."""

    def __init__(self, value: T) -> None:
        self.value = value


def _send_result(sender: Connection, work: Callable[..., object], args: tuple[Any, ...]) -> None:
    try:
        sender.send(_Done(work(*args)))
    except BaseException:  # whatever the child could not do, the parent does again
        with contextlib.suppress(OSError):
            sender.send(None)
    finally:
        sender.close()
