"""Python's cycle collector, paused while a run makes objects by the hundred thousand.

A build makes about a million small objects (cells, rows, records, cell values, their XML) and
frees them by reference count: they hold no cycles worth looking for. Each collection the
allocations set off walks the young objects, and now and then every object the process holds, the
year's results included: at 400 contracts that was a sixth of reading in one process and a
quarter of making the workbook. Worker processes forked while it is paused keep it paused for
their life, which is the reading.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off inside the block; back as it was after it (also on an error)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
