"""How long `recon build` and `recon check` take, as whole processes, against two floors.

    .venv/bin/python benchmarks/run.py            # 1, 10, 100 and 400 contracts × 12 months
    .venv/bin/python benchmarks/run.py --sizes 1,10 --runs 3

Year folders of seeded, realistic inputs in mixed forms (pasted text, CP932 CSV, xlsx, saved
HTML: a quarter each) are generated under a temporary folder, one subfolder per contract. Each
command runs several times; the table gives the median wall time, its ratio to the import floor
(`python -c "import pandas, openpyxl, click, pydantic"`) and to bare `python -c pass`, the peak
memory of the process, and the time per file between sizes (the slope).
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RECON = [str(Path(PYTHON).parent / "recon")]  # the console script, as a user runs it


def _examples():
    """The example generator's writers (text, CSV, xlsx, HTML of a Month), reused as they are."""
    spec = importlib.util.spec_from_file_location("make_examples", ROOT / "scripts" / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def make_year(folder: Path, contracts: int) -> int:
    """A year folder of `contracts` × 12 months; returns the number of input files written."""
    ex = _examples()
    forms = ("text", "csv", "xlsx", "html")
    invoices = []
    files = 0
    for c in range(contracts):
        name = f"拠点{c + 1:03d}"
        for number in range(1, 13):
            m = ex.generated(number if number > 1 else 2, salt=c + 1)
            m.ym = f"2024-{number:02d}"
            target = folder / name
            target.mkdir(parents=True, exist_ok=True)
            form = forms[(c + number) % len(forms)]
            if form == "text":
                (target / f"{m.ym}.txt").write_bytes(ex.pasted(m))
            elif form == "csv":
                (target / f"{m.ym}.csv").write_bytes(ex.excel_csv(m, "cp932"))
            elif form == "xlsx":
                ex.xlsx(m, target / f"{m.ym}.xlsx")
            else:
                (target / f"{m.ym}.html").write_bytes(ex.html_page(m, "utf-8"))
            files += 1
            invoices.append([name, m.ym, m.charge + m.discount])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["契約", "利用月", "請求額"])
    writer.writerows(invoices)
    (folder / "invoices.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return files + 1


def measure(command: list[str], runs: int) -> tuple[float, float]:
    """Median wall seconds and the largest peak RSS (MB) over `runs` runs of a whole process."""
    times, peaks = [], []
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed with {os.waitstatus_to_exitcode(status)}")
    return statistics.median(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100,400", help="contracts per year folder")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (the median is shown)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    bare, _ = measure([PYTHON, "-c", "pass"], args.runs)
    floor_imports = "pandas, openpyxl, click, pydantic"
    try:
        import pandas  # noqa: F401  (the floor the targets are stated against)
    except ImportError:
        floor_imports = "openpyxl, click, pydantic"
    floor, floor_mb = measure([PYTHON, "-c", f"import {floor_imports}"], args.runs)
    help_time, _ = measure([*RECON, "--help"], args.runs)
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores; median of {args.runs} runs")
    print(f"bare python -c pass            {bare * 1000:8.0f} ms")
    print(f"import {floor_imports:<23} {floor * 1000:8.0f} ms  {floor_mb:6.0f} MB  (the floor)")
    print(f"recon --help                   {help_time * 1000:8.0f} ms  {help_time / bare:5.1f}× bare")
    print()
    print(f"{'contracts':>9} {'files':>6} {'command':>7} {'median':>9} {'× floor':>8} {'× bare':>7} {'peak MB':>8} {'ms/file':>8}")
    previous = {}
    with tempfile.TemporaryDirectory(prefix="recon-bench-") as tmp:
        for size in sizes:
            folder = Path(tmp) / f"c{size}" / "2024"
            files = make_year(folder, size)
            out = Path(tmp) / f"c{size}.xlsx"
            for name, command in (("build", [*RECON, "build", str(folder), "-o", str(out), "-q", "--force"]),
                                  ("check", [*RECON, "check", str(folder), "-q"])):
                seconds, peak = measure(command, args.runs)
                slope = ""
                if name in previous:
                    prev_files, prev_seconds = previous[name]
                    slope = f"{(seconds - prev_seconds) / (files - prev_files) * 1000:8.2f}"
                previous[name] = (files, seconds)
                print(f"{size:>9} {files:>6} {name:>7} {seconds:8.2f}s {seconds / floor:8.2f} "
                      f"{seconds / bare:7.1f} {peak:8.0f} {slope:>8}", flush=True)


if __name__ == "__main__":
    main()
