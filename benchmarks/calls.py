"""How long `recon check` takes on a year of per-call records, against the floor of reading and
grouping the same file with the fastest columnar reader at hand (pyarrow.csv + group_by).

    .venv/bin/python benchmarks/calls.py                     # 1 and 10 million calls
    .venv/bin/python benchmarks/calls.py --rows 1000000 --runs 3

A year folder is generated under a temporary folder: one UTF-8 CSV of call records of a 400-number
company over twelve months (carrier form: 通話開始日時, 利用番号, 通話先電話番号, 通話時間 h:mm:ss,
通話料金, 通話種別), the twelve monthly detail tables the records add up to, and invoices.csv, so
the whole check runs: reading, the tie-out, the fraud watch, the report. Both commands are whole
processes (interpreter start and imports included); the table gives the median wall time, the
peak memory of the process, their ratio, and the time per call between sizes.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RECON = [str(Path(PYTHON).parent / "recon")]
NUMBERS = 400

# (label, share of calls, prefix of the number called, mean seconds, yen per unit, unit seconds)
TYPES = [("一般通話", 0.55, "03", 180, 8, 180), ("携帯通話", 0.30, "090", 120, 16, 60),
         ("IP通話", 0.13, "050", 240, 0, 60), ("国際通話", 0.02, "010", 300, 15, 30)]
# where international calls go: country code and area (New York, London, Shanghai, Taipei …)
CITIES = ["1212", "1415", "1604", "4420", "8621", "8610", "8862", "6562", "822", "6620", "6129", "4930",
          "3314", "8525", "632", "8428", "6012", "9122", "3120", "6421"]

FLOOR = """
import sys
import pyarrow.csv as c
t = c.read_csv(sys.argv[1])
g = t.group_by("通話種別").aggregate([("通話料金", "sum"), ("通話料金", "count")])
print(g.num_rows)
"""


def make_year(folder: Path, rows: int, seed: int = 2024) -> Path:
    """The year folder of `rows` calls; returns the records' path."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    kind = rng.choice(len(TYPES), size=rows, p=[t[1] for t in TYPES])
    # weekdays 8:30-19:30 JST, the odd call outside (an international one there is a finding)
    day = rng.integers(0, 366, size=rows)
    second = rng.integers(8 * 3600 + 1800, 19 * 3600 + 1800, size=rows)
    starts = np.datetime64("2024-01-01T00:00:00") + (day * 86400 + second).astype("timedelta64[s]")
    order = np.argsort(starts, kind="stable")
    starts, kind = starts[order], kind[order]
    seconds = np.empty(rows, dtype=np.int64)
    sen = np.empty(rows, dtype=np.int64)
    for i, (_, _, _, mean, yen, unit) in enumerate(TYPES):
        mask = kind == i
        seconds[mask] = 1 + rng.exponential(mean, size=mask.sum()).astype(np.int64)
        sen[mask] = -(-seconds[mask] // unit) * yen * 100
    calling = pa.DictionaryArray.from_arrays(
        pa.array(rng.integers(0, NUMBERS, size=rows).astype(np.int32)),
        pa.array([f"050-3{n // 1000:03d}-{n % 10000:04d}" for n in range(NUMBERS)])).cast(pa.string())
    tail = pc.utf8_lpad(pc.cast(pa.array(rng.integers(0, 10**8, size=rows)), pa.string()), 8, "0")
    prefix = pa.DictionaryArray.from_arrays(pa.array(kind.astype(np.int32)),
                                            pa.array([t[2] for t in TYPES])).cast(pa.string())
    city = pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, len(CITIES), size=rows).astype(np.int32)),
                                          pa.array(CITIES)).cast(pa.string())
    abroad = pa.array(kind == len(TYPES) - 1)
    called = pc.binary_join_element_wise(prefix, pc.if_else(abroad, city, ""), tail, "")
    label = pa.DictionaryArray.from_arrays(pa.array(kind.astype(np.int32)),
                                           pa.array([t[0] for t in TYPES])).cast(pa.string())
    table = pa.table({
        "通話開始日時": pc.strftime(pa.array(starts), format="%Y/%m/%d %H:%M:%S"),
        "利用番号": calling,
        "通話先電話番号": called,
        "通話時間": _hms(seconds),
        "通話料金": pc.cast(pa.array(sen // 100), pa.string()),
        "通話種別": label,
    })
    path = folder / "通話明細_2024.csv"
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="none"))
    months = starts.astype("datetime64[M]").astype(int) % 12
    _tables(folder, months, kind, seconds, sen)
    return path


def _hms(seconds: np.ndarray) -> pa.Array:
    parts = [pc.cast(pa.array(seconds // 3600), pa.string()),
             pc.utf8_lpad(pc.cast(pa.array(seconds // 60 % 60), pa.string()), 2, "0"),
             pc.utf8_lpad(pc.cast(pa.array(seconds % 60), pa.string()), 2, "0")]
    return pc.binary_join_element_wise(*parts, ":")


def _tables(folder: Path, months: np.ndarray, kind: np.ndarray, seconds: np.ndarray, sen: np.ndarray) -> None:
    """The detail table of each month, as the records add up; invoices that tie out."""
    invoices = ["利用月,請求額"]
    for m in range(12):
        lines = ["O50IP電話", "明細\t通話種別\t通話数\t通話時間 (時:分:秒)\t通話料金 (円・税別)"]
        total = 0
        for i, (label, *_) in enumerate(TYPES):
            mask = (months == m) & (kind == i)
            s, yen = int(seconds[mask].sum()), int(sen[mask].sum()) // 100
            total += yen
            lines.append(f"{'通話' if i == 0 else ''}\t{label}\t{int(mask.sum())}\t"
                         f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}\t{yen:,}")
        (folder / f"2024-{m + 1:02d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        invoices.append(f"2024-{m + 1:02d},{total}")
    (folder / "invoices.csv").write_text("\n".join(invoices) + "\n", encoding="utf-8")


def measure(command: list[str], runs: int, ok: tuple[int, ...] = (0,)) -> tuple[float, float, float, int]:
    """Median wall seconds, largest peak RSS (MB), median CPU seconds (user + system: what the
    machine's other users cannot slow down) and the exit code over `runs` whole processes.
    The records are generated in a process of their own: a child's peak RSS counts the image it
    was forked from, and this process must stay small for that to be the child's own."""
    times, peaks, cpus, code = [], [], [], 0
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        cpus.append(usage.ru_utime + usage.ru_stime)
        code = os.waitstatus_to_exitcode(status)
        if code not in ok:
            raise SystemExit(f"{' '.join(command)} failed with {code}")
    return statistics.median(times), max(peaks), statistics.median(cpus), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000000,10000000", help="comma-separated numbers of calls")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--make", nargs=2, metavar=("FOLDER", "ROWS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        make_year(Path(args.make[0]), int(args.make[1]))
        return
    print(f"{'calls':>11} {'MB':>6} {'floor s':>8} {'cpu s':>6} {'MB':>6} {'check s':>8} {'cpu s':>6} "
          f"{'MB':>6} {'× floor':>7} {'× cpu':>6} {'µs/call':>8} {'slope µs/call':>14}")
    previous = None
    with tempfile.TemporaryDirectory() as tmp:
        for rows in (int(r) for r in args.rows.split(",")):
            folder = Path(tmp) / f"{rows}" / "2024"
            subprocess.run([PYTHON, __file__, "--make", str(folder), str(rows)], check=True)
            path = folder / "通話明細_2024.csv"
            size = path.stat().st_size / 1e6
            measure([PYTHON, "-c", FLOOR, str(path)], 1)  # warm the page cache for both
            floor, floor_mb, floor_cpu, _ = measure([PYTHON, "-c", FLOOR, str(path)], args.runs)
            check, check_mb, check_cpu, code = measure([*RECON, "check", str(folder)], args.runs, ok=(0, 1))
            slope = "" if previous is None else f"{(check - previous[1]) / (rows - previous[0]) * 1e6:.2f}"
            print(f"{rows:>11,} {size:>6.0f} {floor:>8.2f} {floor_cpu:>6.2f} {floor_mb:>6.0f} {check:>8.2f} "
                  f"{check_cpu:>6.2f} {check_mb:>6.0f} {check / floor:>7.2f} {check_cpu / floor_cpu:>6.2f} "
                  f"{check / rows * 1e6:>8.2f} {slope:>14}   (exit {code})", flush=True)
            previous = (rows, check)
            path.unlink()


if __name__ == "__main__":
    main()
