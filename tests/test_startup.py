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
LIBRARIES = ("click", "openpyxl", "pydantic", "lxml", "python_calamine", "numpy", "PIL", "defusedxml")


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
