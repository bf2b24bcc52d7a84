"""The shape, checked: import-linter's contracts in pyproject.toml (STYLE.md's nevers)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = shutil.which("lint-imports", path=str(Path(sys.executable).parent))

pytestmark = pytest.mark.skipif(LINT is None, reason="import-linter is not installed (pip install -e '.[test]')")


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run([LINT, "--no-cache", str(tree / "pyproject.toml")], cwd=tree, capture_output=True,
                          text=True, check=False, env={"PYTHONPATH": str(tree), "PATH": ""})


def test_the_package_keeps_every_contract():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "0 broken" in result.stdout


def test_a_pure_stage_that_imports_a_reader_breaks_a_contract(tmp_path):
    shutil.copytree(ROOT / "recon", tmp_path / "recon", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with open(tmp_path / "recon" / "reconcile.py", "a", encoding="utf-8") as handle:
        handle.write("\nimport recon.readers  # a pure stage reading an input\n")
    result = _lint(tmp_path)
    assert result.returncode == 1
    assert "recon.reconcile -> recon.readers" in result.stdout
