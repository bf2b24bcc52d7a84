"""A helper process makes some sheets of a large workbook; the workbook is the one a single
process makes, byte for byte (recon/outputs/workbook/helper.py).

Each comparison runs in a fresh interpreter (this file run as a script): a fork is refused once
another thread runs or pyarrow is loaded, which other tests of this process may have done. The
script builds a folder's view once, writes the workbook without a helper and with one (started
whatever the report's size), and says how many sheets the helper handed back.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform != "linux",
                                reason="the helper is forked, on Linux only")


def _made(folder: Path, tmp_path: Path, lang: str = "ja", sabotage: str = "") -> dict:
    done = subprocess.run([sys.executable, __file__, str(folder), str(tmp_path), lang, sabotage],
                          capture_output=True, text=True, env={**os.environ, "RECON_WORKERS": "2"}, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("folder, lang", [
    ("2024", "ja"), ("2024", "en"), ("company/2024", "ja"), ("archive/2024年度", "ja"), ("archive/2024年度", "en"),
])
def test_the_helper_makes_the_workbook_one_process_makes(folder, lang, tmp_path):
    made = _made(EXAMPLES / folder, tmp_path, lang)
    assert made["handed"] == 3  # the checks, the journal and the state sheet came from the helper
    assert (tmp_path / "helped.xlsx").read_bytes() == (tmp_path / "here.xlsx").read_bytes()


def test_texts_with_the_quote_prefix_are_numbered_as_one_process_numbers_them(tmp_path):
    # contracts named like formulas, on every sheet the helper makes, and a negative duration
    # difference (signed text) on the checks sheet
    folder = tmp_path / "2024"
    shutil.copytree(EXAMPLES / "company" / "2024", folder)
    for old, new in (("本社", "=本社"), ("大阪支店", "-大阪支店")):
        (folder / old).rename(folder / new)
    invoices = folder / "invoices.csv"
    invoices.write_text(invoices.read_text(encoding="utf-8").replace("本社", "=本社").replace("大阪支店", "-大阪支店"),
                        encoding="utf-8")
    table = folder / "=本社" / "2024-02.txt"  # its stated total time, under the recomputed one
    table.write_text(table.read_text(encoding="utf-8").replace("<b>51:44:44.0</b>", "<b>1:00:00.0</b>"),
                     encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    made = _made(folder, out)
    assert made["handed"] == 3 and made["quoted"]
    assert (out / "helped.xlsx").read_bytes() == (out / "here.xlsx").read_bytes()


@pytest.mark.parametrize("sabotage", ["dies", "numbers anew", "dies measuring"])
def test_a_helper_that_fails_costs_only_time(sabotage, tmp_path):
    made = _made(EXAMPLES / "2024", tmp_path, sabotage=sabotage)
    assert made["handed"] == 0
    assert (tmp_path / "helped.xlsx").read_bytes() == (tmp_path / "here.xlsx").read_bytes()


def test_a_sheet_with_a_comment_is_not_handed_to_a_helper():
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    from recon.outputs.workbook.helper import Sheet

    ws = Workbook().active
    assert Sheet(ws, None, None).handed
    ws["A1"].comment = Comment("a note", "someone")
    assert not Sheet(ws, None, None).handed


def test_a_small_report_starts_no_helper():
    from openpyxl import Workbook

    from recon.outputs.workbook import helper

    assert helper.start([helper.Sheet(Workbook().active, None, None)], helper.FROM_MONTHS - 1) is None


def _script(folder: Path, out: Path, lang: str, sabotage: str) -> None:
    """Write `folder`'s workbook to out/here.xlsx without a helper and to out/helped.xlsx with
    one; print how many sheets the helper handed back, and whether a cell needed the quote prefix."""
    import msgspec

    from recon import commands, signoff
    from recon.model import Prior
    from recon.outputs.workbook import helper, write_workbook
    from recon.outputs.workbook.rows import DataRows
    from recon.pipeline import build
    from recon.view import view

    settings = commands.folder_settings(folder, None)
    report = msgspec.structs.replace(signoff.apply(build(folder, settings), Prior()), lang=lang)
    shown = view(report, settings)

    start = helper.start
    helper.start = lambda sheets, months: None
    write_workbook(shown, out / "here.xlsx")
    helper.start = lambda sheets, months: start(sheets, helper.FROM_MONTHS)

    quoted, handed = [], []
    register = DataRows.register
    DataRows.register = lambda self: (quoted.append(bool(self._quoted_texts)), register(self))[1]
    part = helper.Helper.part
    helper.Helper.part = lambda self, ws: handed.append(part(self, ws)) or handed[-1]
    if sabotage == "dies":
        helper._part = lambda sheet: os._exit(1)
    elif sabotage == "dies measuring":
        helper._Measured = None  # the helper fails as it says what it measured
    elif sabotage == "numbers anew":
        restore = helper._restore

        def _restore_and_more(wb, tables):
            restore(wb, tables)
            wb._cell_styles.add(wb._cell_styles[0].__class__([0, 0, 0, 0, 0, 0, 0, 1, 0]))

        helper._restore = _restore_and_more
    write_workbook(shown, out / "helped.xlsx")
    print(json.dumps({"handed": sum(p is not None for p in handed), "quoted": any(quoted)}))


if __name__ == "__main__":
    _script(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4])
