"""How long `recon check` takes on a year of per-call records, against the floor of reading the
same file with polars and summing it by month and type with every start, duration and charge
parsed, measured in the same rounds.

    .venv/bin/python benchmarks/calls.py                          # 1, 3 and 10 million calls, 5 rounds
    .venv/bin/python benchmarks/calls.py --rows 1000000 --runs 3
    .venv/bin/python benchmarks/calls.py --engines --rows 3000000   # the floor in polars, DuckDB, pyarrow

A year folder is generated under a temporary folder: one UTF-8 CSV of call records of a 400-number
company over twelve months (carrier form: 通話開始日時, 利用番号, 通話先電話番号, 通話時間 h:mm:ss,
通話料金, 通話種別), the twelve monthly detail tables the records add up to, and invoices.csv, so
the whole check runs: reading, the tie-out, the fraud watch, the report. Both commands are whole
processes (interpreter start and imports included), run in pairs, one of each a round (the
machine may be shared: a ratio is the median of the ratios within a round, so drift between
rounds does not move it). The table gives the median wall time of each, the spread of the
ratios, the largest peak memory, the CPU time (what others on the machine cannot slow down) and
the machine's load while it ran. `--engines` runs the floor written for each columnar engine
installed instead (the choice of recon's engine, recon/calls_columnar.py).
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

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

# the floor: read every row, parse every start, duration and charge, sum them by month and type
FLOORS = {
    "polars": """
import sys
import polars as pl
h = pl.col("通話時間").str.split(":")
f = (pl.scan_csv(sys.argv[1], infer_schema=False)
     .select(pl.col("通話開始日時").str.strptime(pl.Datetime("ms"), "%Y/%m/%d %H:%M:%S").dt.month().alias("m"),
             ((h.list.get(0).cast(pl.Int64) * 60 + h.list.get(1).cast(pl.Int64)) * 60
              + h.list.get(2).cast(pl.Int64)).alias("s"),
             pl.col("通話料金").cast(pl.Int64).alias("yen"), pl.col("通話種別").alias("type"))
     .group_by("m", "type").agg(pl.len(), pl.col("s").sum(), pl.col("yen").sum()).collect())
print(f.height)
""",
    "duckdb": """
import sys
import duckdb
r = duckdb.sql(f\"\"\"select month(strptime("通話開始日時", '%Y/%m/%d %H:%M:%S')) m, "通話種別" t, count(*),
  sum((split_part("通話時間", ':', 1)::bigint * 60 + split_part("通話時間", ':', 2)::bigint) * 60
      + split_part("通話時間", ':', 3)::bigint), sum("通話料金"::bigint)
  from read_csv('{sys.argv[1]}', all_varchar=true) group by all\"\"\").fetchall()
print(len(r))
""",
    "pyarrow": """
import sys
import pyarrow as pa, pyarrow.csv as c, pyarrow.compute as pc
text = {n: pa.string() for n in ("通話開始日時", "通話時間", "通話料金")}
t = c.read_csv(sys.argv[1], convert_options=c.ConvertOptions(column_types=text))
start = pc.strptime(t["通話開始日時"], format="%Y/%m/%d %H:%M:%S", unit="s")
parts = pc.split_pattern(t["通話時間"], ":")
part = lambda i: pc.cast(pc.list_element(parts, i), pa.int64())
s = pc.add(pc.multiply(pc.add(pc.multiply(part(0), 60), part(1)), 60), part(2))
g = pa.table({"m": pc.month(start), "type": t["通話種別"], "s": s, "yen": pc.cast(t["通話料金"], pa.int64())}) \\
    .group_by(["m", "type"]).aggregate([("s", "sum"), ("yen", "sum"), ("yen", "count")])
print(g.num_rows)
""",
}


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
    numbers = np.array([f"050-3{n // 1000:03d}-{n % 10000:04d}" for n in range(NUMBERS)])
    tail = pl.Series(rng.integers(0, 10**8, size=rows)).cast(pl.String).str.zfill(8)
    abroad = kind == len(TYPES) - 1
    city = np.where(abroad, np.array(CITIES)[rng.integers(0, len(CITIES), size=rows)], "")
    called = pl.Series(np.array([t[2] for t in TYPES])[kind]) + pl.Series(city) + tail
    table = pl.DataFrame({
        "通話開始日時": pl.Series(starts.astype("datetime64[ms]")).dt.strftime("%Y/%m/%d %H:%M:%S"),
        "利用番号": numbers[rng.integers(0, NUMBERS, size=rows)],
        "通話先電話番号": called,
        "通話時間": _hms(seconds),
        "通話料金": pl.Series(sen // 100).cast(pl.String),
        "通話種別": np.array([t[0] for t in TYPES])[kind],
    })
    path = folder / "通話明細_2024.csv"
    table.write_csv(path, quote_style="never")
    months = starts.astype("datetime64[M]").astype(int) % 12
    _tables(folder, months, kind, seconds, sen)
    return path


def _hms(seconds: np.ndarray) -> pl.Series:
    return pl.select(pl.format("{}:{}:{}", pl.lit(seconds // 3600),
                               pl.lit(seconds // 60 % 60).cast(pl.String).str.zfill(2),
                               pl.lit(seconds % 60).cast(pl.String).str.zfill(2))).to_series()


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


def run(command: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system) of one whole process. The records
    are generated in a process of their own: a child's peak RSS counts the image it was forked
    from, and this process must stay small for that to be the child's own."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        raise SystemExit(f"{' '.join(command)} failed with {code}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def rounds(commands: dict[str, list[str]], runs: int) -> dict[str, list[tuple[float, float, float]]]:
    """Each command once a round, in the same order, `runs` rounds; the load average before each."""
    out: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    out["load"] = []
    for _ in range(runs):
        out["load"].append((os.getloadavg()[0], 0.0, 0.0))
        for name, command in commands.items():
            out[name].append(run(command, ok=(0, 1)))
    return out


def ratios(times: dict, name: str, base: str) -> list[float]:
    return sorted(a[0] / b[0] for a, b in zip(times[name], times[base], strict=True))


def report(rows: int, size: float, times: dict, base: str) -> None:
    """One line per command: median wall, median CPU, largest peak, median ratio to `base` and its
    range, and the load the machine had."""
    loads = [load for load, _, _ in times["load"]]
    print(f"{rows:>11,} calls, {size:.0f} MB, {len(loads)} rounds, load {min(loads):.1f}-{max(loads):.1f}")
    for name, runs in times.items():
        if name == "load":
            continue
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[2] for r in runs)
        peak = max(r[1] for r in runs)
        spread = ratios(times, name, base)
        cpu_ratio = statistics.median(a[2] / b[2] for a, b in zip(runs, times[base], strict=True))
        print(f"  {name:<14} {wall:>7.2f} s  cpu {cpu:>6.2f} s  {peak:>6.0f} MB  "
              f"x {base}: {statistics.median(spread):.2f} ({spread[0]:.2f}-{spread[-1]:.2f}), cpu x {cpu_ratio:.2f}",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000000,3000000,10000000", help="comma-separated numbers of calls")
    parser.add_argument("--runs", type=int, default=5, help="rounds")
    parser.add_argument("--engines", action="store_true", help="the floor in each engine installed, no recon")
    parser.add_argument("--make", nargs=2, metavar=("FOLDER", "ROWS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        make_year(Path(args.make[0]), int(args.make[1]))
        return
    engines = [name for name in FLOORS if importlib.util.find_spec(name)] if args.engines else ["polars"]
    print(f"python {sys.version.split()[0]}, polars {pl.__version__}, {os.cpu_count()} cores; "
          "peak: the largest resident set of the process (ru_maxrss)")
    with tempfile.TemporaryDirectory() as tmp:
        for rows in (int(r) for r in args.rows.split(",")):
            folder = Path(tmp) / f"{rows}" / "2024"
            subprocess.run([PYTHON, __file__, "--make", str(folder), str(rows)], check=True)
            path = folder / "通話明細_2024.csv"
            commands = {f"{name} floor": [PYTHON, "-c", FLOORS[name], str(path)] for name in engines}
            if not args.engines:
                commands["recon check"] = [*RECON, "check", str(folder), "-q"]
            run(commands[f"{engines[0]} floor"])  # the page cache warmed for all
            report(rows, path.stat().st_size / 1e6, rounds(commands, args.runs), f"{engines[0]} floor")
            shutil.rmtree(folder.parent)


if __name__ == "__main__":
    main()
