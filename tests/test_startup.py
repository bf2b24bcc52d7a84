"""What each command imports: a command pays at start for the libraries it uses, and no others.

`recon --help` is click alone; `recon check` reads xlsx and web pages but writes no workbook, so it
never imports openpyxl (which, with what it brings, costs a one-contract build a quarter of its time).
The figures are in benchmarks/run.py; here only which libraries load."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "data" / "seed"
_LOADED = ("import sys, runpy\n"
           "sys.argv = ['recon', *sys.argv[1:]]\n"
           "try:\n    runpy.run_module('recon', run_name='__main__')\n"
           "except SystemExit:\n    pass\n"
           "tops = {m.split('.')[0] for m in sys.modules}\n"
           "print('loaded:', *sorted(t for t in tops if t in {LIBRARIES}))\n")
LIBRARIES = ("click", "openpyxl", "pydantic", "lxml", "python_calamine", "numpy", "PIL", "defusedxml",
             "pandas", "pyarrow", "polars", "holidays", "phonenumbers")
CALLS_EXTRA = {"numpy", "pandas", "polars", "holidays", "phonenumbers"}


def loaded(*args: str) -> set[str]:
    program = _LOADED.replace("{LIBRARIES}", repr(set(LIBRARIES)))
    done = subprocess.run([sys.executable, "-c", program, *args], capture_output=True, text=True, cwd=ROOT,
                          check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("loaded:"))
    return set(line.split()[1:])


@pytest.mark.parametrize("args, expected", [
    (("--help",), {"click"}),
    (("build", "--help"), {"click"}),
    (("check", str(SEED), "-q"), {"click", "pydantic", "lxml", "defusedxml"}),
])
def test_a_command_imports_only_the_libraries_it_uses(args, expected):
    assert loaded(*args) == expected


def test_a_build_of_tables_imports_nothing_of_the_calls_extra(tmp_path):
    """`recon build examples/2024` (tables, a web page, a workbook; no call records) writes its
    workbook with openpyxl and loads none of the extra's libraries, though they are installed here."""
    found = loaded("build", str(ROOT / "examples" / "2024"), "-o", str(tmp_path / "out.xlsx"), "-q")
    assert (tmp_path / "out.xlsx").is_file()
    assert "openpyxl" in found and not found & CALLS_EXTRA


@pytest.mark.parametrize("first, expected", [
    ("", "numpy loaded: False; openpyxl takes numpy's scalars: False"),
    ("import numpy\n", "numpy loaded: True; openpyxl takes numpy's scalars: False"),
])
def test_openpyxl_is_imported_without_numpy(first, expected):
    """openpyxl tries `import numpy` as it is imported; the workbook's package makes that import
    fail (recon.outputs.workbook.without_numpy). This fails clearly should an openpyxl release
    import numpy some other way. numpy imported before is left in place."""
    program = (f"import sys\n{first}numpy = sys.modules.get('numpy')\n"
               "import recon.outputs.workbook\nimport openpyxl.compat.numbers as numbers\n"
               "assert sys.modules.get('numpy') is numpy\n"
               "print(f\"numpy loaded: {'numpy' in sys.modules}; openpyxl takes numpy's scalars: {numbers.NUMPY}\")")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == expected


def test_a_check_of_call_records_imports_the_engine_and_not_pandas():
    """Call records are read and summed by polars alone: pandas (and numpy under it) are for
    recon.frames, which a check does not need."""
    found = loaded("check", str(ROOT / "tests" / "data" / "calls" / "year" / "2024"), "-q")
    assert "polars" in found and not found & {"pandas", "numpy", "pyarrow"}
