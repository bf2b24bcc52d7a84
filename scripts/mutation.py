"""Mutation testing of the rules' modules with mutmut 2.x (docs/testing.md).

Each module is mutated one change at a time and tested by the tests of its rule only (RULES below,
stopping at the first failure), one module after another, so that a run stays within a couple of
hours on two cores. The results stay in `.mutmut-cache`; the figures are printed per module.

    .venv/bin/python scripts/mutation.py                  # every module of RULES, then the figures
    .venv/bin/python scripts/mutation.py tax journal      # some of them
    .venv/bin/python scripts/mutation.py --figures        # the figures of the last run only
    .venv/bin/mutmut results; .venv/bin/mutmut show 12    # the surviving mutants, one of them
    .venv/bin/python scripts/mutation.py --pytest tests/test_journal.py   # a runner (exit 1: killed)

A module's run is bounded by `--hours` (default 2); mutmut itself stops a mutant whose tests take
ten times as long as unmutated (an endless loop): that mutant counts as `timeout`.
"""
from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# module → the tests of its rule (files under tests/; a file not there yet is skipped).
RULES: dict[str, tuple[str, ...]] = {
    "reconcile": ("test_reconcile.py", "test_hand_worked.py", "test_anomalies.py", "test_calls.py",
                  "test_contracts.py"),
    "anomalies": ("test_anomalies.py", "test_hand_worked.py"),
    "fraud": ("test_fraud.py", "test_hand_worked.py", "test_calls.py"),
    "tax": ("test_reconcile.py", "test_hand_worked.py", "test_journal.py"),
    "signoff": ("test_close_rules.py", "test_signoff.py"),
    "journal": ("test_journal.py", "test_hand_worked.py"),
    "values": ("test_values.py", "test_plain_values.py", "test_hand_worked.py", "test_table.py"),
    "rounding": ("test_rounding.py", "test_hand_worked.py", "test_tax.py"),
    "durations": ("test_durations.py", "test_values.py", "test_hand_worked.py"),
}
# The modules are those of pyproject.toml's [tool.mutmut] paths_to_mutate (a plain `mutmut run`).
_CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8")).get("tool", {}).get("mutmut", {})
assert set(_CONFIG.get("paths_to_mutate", [])) in ({f"recon/{module}.py" for module in RULES}, set())
STATUSES = {"ok_killed": "killed", "ok_suspicious": "killed", "bad_survived": "survived",
            "bad_timeout": "timeout", "skipped": "skipped", "untested": "untested"}


def runner(module: str) -> str:
    files = [f"tests/{name}" for name in RULES[module] if (ROOT / "tests" / name).exists()]
    return f"{sys.executable} scripts/mutation.py --pytest {' '.join(files)}"


def run_tests(files: list[str]) -> int:
    """The tests, stopping at the first failure: 0 when they pass, 1 otherwise. mutmut 2.x takes
    only exit status 1 for a killed mutant, and pytest exits 2 when a test module fails to import
    (a mutant that is not valid Python, or that raises at import): that is a kill too."""
    import pytest

    sys.path.insert(0, str(ROOT))  # the recon beside the tests (mutated), not an installed one
    return 0 if pytest.main(["-x", "-q", "-p", "no:cacheprovider", *files]) == 0 else 1


def run(module: str, hours: float) -> None:
    command = [str(Path(sys.executable).with_name("mutmut")), "run", "--paths-to-mutate", f"recon/{module}.py",
               "--runner", runner(module), "--simple-output", "--no-progress"]
    print(f"== recon/{module}.py: {runner(module)}", flush=True)
    try:
        subprocess.run(command, cwd=ROOT, timeout=hours * 3600, check=False)
    except subprocess.TimeoutExpired:
        print(f"recon/{module}.py: stopped after {hours} h; its untested mutants are counted as such", flush=True)
    finally:
        backup = ROOT / "recon" / f"{module}.py.bak"
        if backup.exists():  # a run stopped in the middle of a mutant: the module as it was
            backup.replace(backup.with_suffix(""))


def figures() -> dict[str, dict[str, int]]:
    """recon/<module>.py → {killed, survived, timeout, skipped, untested: count} from .mutmut-cache."""
    if not (ROOT / ".mutmut-cache").exists():
        sys.exit("no .mutmut-cache here: run the mutation tests first")
    with sqlite3.connect(ROOT / ".mutmut-cache") as db:
        rows = db.execute("SELECT SourceFile.filename, Mutant.status FROM Mutant "
                          "JOIN Line ON Mutant.line = Line.id JOIN SourceFile ON Line.sourcefile = SourceFile.id")
        found: dict[str, dict[str, int]] = {}
        for filename, status in rows:
            counts = found.setdefault(filename, dict.fromkeys(dict.fromkeys(STATUSES.values()), 0))
            counts[STATUSES[status]] += 1
    return found


def print_figures() -> None:
    print(f"{'module':<22}{'mutants':>8}{'killed':>8}{'survived':>9}{'timeout':>8}{'untested':>9}{'score':>7}")
    for filename, counts in sorted(figures().items()):
        tested = counts["killed"] + counts["survived"] + counts["timeout"]
        score = f"{100 * (counts['killed'] + counts['timeout']) / tested:.0f}%" if tested else "-"
        print(f"{filename:<22}{sum(counts.values()):>8}{counts['killed']:>8}{counts['survived']:>9}"
              f"{counts['timeout']:>8}{counts['untested']:>9}{score:>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=f"default: every one of {', '.join(RULES)}")
    parser.add_argument("--figures", action="store_true", help="print the figures of the last run only")
    parser.add_argument("--hours", type=float, default=2.0, help="bound on one module's run")
    parser.add_argument("--pytest", action="store_true", help="run these test files as a mutant's runner")
    options = parser.parse_args()
    if options.pytest:
        sys.exit(run_tests(options.modules))
    unknown = [m for m in options.modules if m not in RULES]
    if unknown:
        parser.error(f"not a rule's module: {', '.join(unknown)} (one of {', '.join(RULES)})")
    if not options.figures:
        for module in options.modules or RULES:
            run(module, options.hours)
    print_figures()


if __name__ == "__main__":
    main()
