"""Files that declare far more than they hold, through the whole command as a user runs it: with
its memory capped (an address space of 500 MB) and a time limit, each beside a good month. The
good month builds; the hostile file is an error for its own month in one line; no run exits 3
(internal error) or by a signal (issue: bounded by content, never by what a file declares)."""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import hostile_files as hostile

DATA = Path(__file__).parent / "data"
CAP = 500 * 1024 * 1024  # bytes of address space the whole run may use
FAR_CELL_XLS = DATA / "hostile" / "far-cell.xls"  # cells A1 and IV65536 (LibreOffice's .xls): 16.7 million as laid out

HOSTILE = {
    "xlsx-dimension-A1-XFD3000": (".xlsx", hostile.xlsx_wide, None),  # read by what it holds: no table
    "xlsx-row-1500000000": (".xlsx", hostile.xlsx_far_row, None),
    "xlsx-a-cell-in-column-XFD-on-each-row": (".xlsx", hostile.xlsx_far_column, "cells"),
    "ods-a-cell-repeated-16384-by-4000": (".ods", hostile.ods_repeated, "cells"),
    "xls-cells-A1-and-IV65536": (".xls", FAR_CELL_XLS.read_bytes, "cells"),
    "html-cells-spanning-1000-columns": (".html", hostile.html_colspan, "cells"),
    "html-cells-spanning-65534-rows": (".html", hostile.html_rowspan, "cells"),
}


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


@pytest.mark.parametrize("name", HOSTILE)
def test_a_file_declaring_a_huge_sheet_costs_only_its_own_month(tmp_path, name):
    suffix, make, error = HOSTILE[name]
    year = tmp_path / "2024"
    year.mkdir()
    shutil.copy(DATA / "seed" / "2024-01.txt", year / "2024-01.txt")
    data = make()
    (year / f"2024-02{suffix}").write_bytes(data)
    (year / "invoices.csv").write_text("利用月,請求額\n2024-01,128916\n2024-02,128916\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", "from recon.cli import main; main()", "build", str(year), "--json"],
                         capture_output=True, preexec_fn=_capped, timeout=120,
                         env={**os.environ, "RECON_WORKERS": "1", "PYTHONIOENCODING": "utf-8"})
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")[-2000:]  # not 3, not killed by a signal
    report = json.loads(run.stdout)
    months = {m["month"]: m for m in report["months"]}
    assert months["2024-01"]["status"] == "warning" and months["2024-01"]["total"]["charge"] == 130090
    (record,) = [f for f in report["files"] if f["path"] == f"2024-02{suffix}"]
    if error is None:
        assert record["status"] == "ignored"  # laid out by what it holds: a few cells, no table
    else:
        assert record["status"] == "error" and "1,000,000 cells" in record["message"]
        assert "\n" not in record["message"] and "internal error" not in record["message"]
    assert len(data) < 6_000_000  # a few kilobytes (the pages a few megabytes of spans)
