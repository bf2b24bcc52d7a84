"""Python's cycle collector, paused while the workbook is made.

Pausing it was measured against leaving it running (benchmarks/own_code.py: whole builds, paired,
every pause taken out, with the collector frozen and its thresholds raised as `recon.cli` sets them
once the libraries are imported): it bought 5% of a one-contract build (4% of its CPU time, 21
rounds), 2% at 10 contracts and nothing at 400 (7 rounds), under the tenth of a build that own
code must buy to stay. Reading and importing no longer pause it. The one use left is the
workbook's (`recon.outputs.workbook.write_workbook`); it and this module go together.
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
