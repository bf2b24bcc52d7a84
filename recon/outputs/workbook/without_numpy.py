"""openpyxl imported without numpy, which no workbook of recon's needs.

When it is imported, openpyxl tries `import numpy` (openpyxl.compat.numbers) so as to take numpy's
scalars as cell values; recon writes ints, Decimals, strings and datetimes only. Where numpy is
installed (the `calls` extra brings it) that import costs every build about 150 ms and 13 MB for
nothing. So, while openpyxl is imported, numpy stands as None in sys.modules, which the import
system takes as "cannot be imported" (the documented meaning of None there): openpyxl's `try` falls
to its `except ImportError`, as on an install without numpy, and numpy's entry is then put back as
it was, imported or not. An openpyxl imported before (a notebook that used it first) is left as it
is. tests/test_startup.py pins this: a build with the extra installed loads no numpy, and
openpyxl.compat.numbers.NUMPY is False; an openpyxl release that imports numpy elsewhere fails it.
"""
from __future__ import annotations

import sys

_ABSENT = object()


def import_openpyxl() -> None:
    """Import openpyxl with `import numpy` failing inside it; sys.modules as before otherwise."""
    if "openpyxl" in sys.modules:
        return
    numpy = sys.modules.get("numpy", _ABSENT)
    sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        import openpyxl  # noqa: F401
    finally:
        if numpy is _ABSENT:
            sys.modules.pop("numpy", None)
        else:
            sys.modules["numpy"] = numpy  # type: ignore[assignment]


import_openpyxl()
