"""Reading spread over the machine's cores when a folder is large enough to be worth it.

`Workers` runs a function over many items in worker processes once there are at least `from_items`
of them and more than one core, and in this process otherwise: a one-contract year never pays
for starting a process. The results come back in the items' order, whichever process read what,
so a build is the same whether it ran on one core or eight. `later(fn, …)` is a call whose result
is needed only at the end (the previous report's notes): it goes to a worker when there are
workers, after the items of the map (so as the reading ends, while this process reconciles what
was read), and runs here, when asked for, when there are none.

Workers are forked where forking is safe (Linux: a fork costs milliseconds), as long as this process
runs no other thread and has not loaded polars (or pyarrow), whose threads a fork would not copy (else they
start from the fork server). Elsewhere (Windows, macOS) they are spawned, and each first imports
the reading modules (about 0.3 s, in parallel): there the threshold is higher. A worker that dies
(killed, out of memory) costs nothing but time: what it had not returned is read here; so does a
system that will not start one (a limit on processes or memory).

What the pool buys (benchmarks/own_code.py, docs/speed.md): nothing below 400 files, where it does
not start. At 400 contracts (4,801 files) it takes most of the reading off this process (its own CPU
seconds fall from 9.1 to 4.1, for 9% more in all), so with two cores free a build could be up to 37%
shorter; on two cores shared with other work (load 3 to 10), paired builds were 6 to 9% longer with
it, the second core being taken. Measured again with the machine idle (benchmarks/run.py, 5 rounds,
2026-12-07): a 400-contract build took 5.81 s with the workers and 7.55 s in one process, 23% less.

Functions and their arguments and results cross the process boundary pickled, so they are
module-level functions of plain data (`recon.model` records, bytes, paths). An exception a
function raises in a worker is raised here, as it would have been had it run here.

A process started here never outlives this one, however this one ends (killed, out of memory):
each watches a pipe of which only this process holds the writing end, and ends when the pipe
closes, which the system does as this process dies; where Linux offers it, the system also kills
it as its parent dies (PR_SET_PDEATHSIG), before the pipe is even looked at.
"""
from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # multiprocessing is imported only when processes start (about 8 ms)
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.connection import Connection

# Fewest items a map must have before processes start: below this a year reads fast enough alone.
FROM_ITEMS = {"fork": 400, "spawn": 2_000}
MAX_WORKERS = 4  # past this the workers wait on the one process that gathers their results


def _start_method() -> str:
    return "fork" if sys.platform.startswith("linux") else "spawn"


def _cores() -> int:
    """The processes to read with: RECON_WORKERS when set (1 reads everything in this process),
    else the cores this process may run on."""
    asked = os.environ.get("RECON_WORKERS", "").strip()
    if asked.isdigit() and int(asked) > 0:
        return int(asked)
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may run on, not the machine's
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _safe(method: str) -> str:
    """The start method to use now: a fork copies only the thread that forks, so once any other
    thread runs here (Python's, or polars' own pool after call records were read) a forked worker
    could wait forever on a lock that thread held; the fork server starts workers from a process
    of one thread instead."""
    if method == "fork" and (threading.active_count() > 1 or "polars" in sys.modules or "pyarrow" in sys.modules):
        return "forkserver"
    return method


class Later:
    """A call's result, wanted later: from a worker, or computed here when first asked for."""

    def __init__(self, fn: Callable[..., Any], args: tuple):
        self._fn, self._args = fn, args
        self._future: Future | None = None
        self._done = False
        self._value: Any = None

    def submit_to(self, pool: ProcessPoolExecutor) -> None:
        """Hand the call to a worker of `pool`, unless it has run or been handed already."""
        if not self._done and self._future is None:
            self._future = pool.submit(self._fn, *self._args)

    def result(self) -> Any:
        """The call's return value; whatever it raised is raised here."""
        if not self._done:
            if self._future is not None:
                from concurrent.futures.process import BrokenProcessPool

                try:
                    self._value = self._future.result()
                except BrokenProcessPool:
                    self._value = self._fn(*self._args)
            else:
                self._value = self._fn(*self._args)
            self._done = True
        return self._value


class Workers:
    """A pool of worker processes started on demand; a context manager that stops them at its end.

    `processes=1` (or a machine of one core) reads everything here; `from_items` overrides the
    threshold of the platform's start method."""

    def __init__(self, processes: int | None = None, from_items: int | None = None, method: str | None = None):
        self.method = method or _start_method()
        self.processes = min(processes or _cores(), MAX_WORKERS)
        self.from_items = FROM_ITEMS[self.method] if from_items is None else from_items
        self._pool: ProcessPoolExecutor | None = None
        self._later: list[Later] = []

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    @property
    def started(self) -> bool:
        return self._pool is not None

    def later(self, fn: Callable[..., Any], *args: Any) -> Later:
        """`fn(*args)`, run by a worker once workers start, or here when its result is asked for."""
        pending = Later(fn, args)
        if self._pool is not None:
            pending.submit_to(self._pool)
        else:
            self._later.append(pending)
        return pending

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """`fn(item)` for each item, in order: in worker processes when there are enough items.
        The processes start and the items are handed out here, before the caller reads anything
        itself (a large file of call records starts polars' threads, which a fork must not find)."""
        items = list(items)
        if len(items) < max(self.from_items, 1) or self.processes < 2:
            return map(fn, items)
        chunk = max(1, min(64, len(items) // (self.processes * 8)))
        try:
            pool = self._start()
            results = pool.map(fn, items, chunksize=chunk)
        except OSError:  # no process could start (a limit on processes or memory): read here instead
            self._abandon()
            return map(fn, items)
        self._hand_later(pool)
        return self._gathered(results, fn, items)

    def _gathered(self, results: Iterator[Any], fn: Callable[[Any], Any], items: list[Any]) -> Iterator[Any]:
        from concurrent.futures.process import BrokenProcessPool

        done = 0
        try:
            for result in results:
                done += 1
                yield result
        except BrokenProcessPool:  # a worker died: the rest is read here
            broken, self._pool = self._pool, None
            if broken is not None:
                broken.shutdown(wait=True, cancel_futures=True)
            yield from map(fn, items[done:])

    def _abandon(self) -> None:
        """Give the pool up when it could not start all its processes: those it did start wait for
        work that never comes, and are ended here."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        started = list((getattr(pool, "_processes", None) or {}).values())  # ProcessPoolExecutor's own
        for process in started:
            process.kill()
        for process in started:
            process.join()
        pool.shutdown(wait=False, cancel_futures=True)

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context(_safe(self.method))
            self._pool = ProcessPoolExecutor(self.processes, mp_context=context, initializer=_child,
                                             initargs=(_lifeline(),))
        return self._pool

    def _hand_later(self, pool: ProcessPoolExecutor) -> None:
        """The calls waiting for a worker, handed to the pool after the map's items: a worker takes
        them up as the map ends, while this process goes on with what it read (the previous
        report's notes are wanted only once the months are reconciled)."""
        for pending in self._later:
            pending.submit_to(pool)
        self._later.clear()


# This process's lifeline, made when its first child starts: (the end its children watch, the end
# only this process holds, never written to), the list's one item. It lives as long as this process does.
_LIFELINE: list[tuple[Connection, Connection]] = []
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>: the signal a process gets when its parent dies


def _lifeline() -> Connection:
    """The end of this process's lifeline that a child watches."""
    if not _LIFELINE:
        import multiprocessing

        _LIFELINE.append(multiprocessing.Pipe(duplex=False))
    return _LIFELINE[0][0]


def _child(lifeline: Connection) -> None:
    """How every process started here begins: it ends when this process does (the system's
    parent-death signal where there is one, else as the lifeline closes), and leaves Ctrl-C to
    this process, which answers it (one `Aborted!`) and stops it; a worker that heard it too would
    print its own traceback."""
    import signal

    _die_with_parent()
    _watch(lifeline)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (prctl PR_SET_PDEATHSIG); elsewhere,
    or where the call is refused, nothing: the lifeline does it."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    with suppress(OSError, AttributeError):  # no prctl in this C library: the lifeline is enough
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _watch(lifeline: Connection) -> None:
    """End this process when the lifeline closes. A forked child holds a copy of the writing end
    too, closed first: the pipe closes when the parent's copy goes with the parent. The parent may
    be gone already: then the watch ends the process at once."""
    if _LIFELINE:
        _LIFELINE.pop()[1].close()
    threading.Thread(target=_until_closed, args=(lifeline,), name="recon-lifeline", daemon=True).start()


def _until_closed(lifeline: Connection) -> None:
    with suppress(EOFError, OSError):
        lifeline.recv_bytes()  # nothing is ever sent: this returns only as the pipe closes
    os._exit(1)
