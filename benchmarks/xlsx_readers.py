"""recon's expat .xlsx reader against python-calamine on the same workbooks: are the Grids the same
(values, their types, their cells), and how long does each take a file?

python-calamine's values are typed as recon's .ods/.xls reader types them (benchmarks/own_code.py's
`_calamine_read`); recon's .ods/.xls reader itself hands an .xlsx to the expat reader.

    .venv/bin/python benchmarks/xlsx_readers.py
    .venv/bin/python benchmarks/xlsx_readers.py --contracts 400    # also at scale: a generated year

The workbooks: every .xlsx under tests/data/ and examples/, and the ones tests/test_xlsx_reader.py
builds part by part (tenths of durations, the 1904 calendar, format-typed cells, ISO dates …).
A difference is printed as the first cell where the two disagree. At scale, both read every xlsx of
a generated year (benchmarks/run.py's make_year) and the report recon builds from it, the sheets
the previous report is read back by."""
from __future__ import annotations

import argparse
import importlib.util
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from recon.readers import calamine, xlsx  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from own_code import _calamine_read  # noqa: E402


def _calamine_xlsx(data: bytes, rel: str):
    """python-calamine's reading of an .xlsx, its panic messages kept off the console."""
    with calamine._rust_quiet():
        return _calamine_read(data, rel)


def _built() -> dict[str, bytes]:
    spec = importlib.util.spec_from_file_location("test_xlsx_reader", ROOT / "tests" / "test_xlsx_reader.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = dict(module.BUILT)
    built["openpyxl, 1900"] = module._written_by_openpyxl(False)
    built["openpyxl, 1904"] = module._written_by_openpyxl(True)
    return built


def _samples() -> dict[str, bytes]:
    paths = sorted(p for folder in ("tests/data", "examples") for p in (ROOT / folder).rglob("*.xlsx"))
    return {str(p.relative_to(ROOT)): p.read_bytes() for p in paths if p.read_bytes().startswith(b"PK")}


def _grids(reader, data: bytes):
    try:
        return [(g.name, [[(type(c.value).__name__, c.value, str(c.where)) for c in row if c.value not in (None, "")]
                           for row in g.rows]) for g in reader(data)]
    except BaseException as e:  # noqa: BLE001 - a measurement: any failure (a Rust panic too) is a difference
        return f"{type(e).__name__}: {e}"


def _first_difference(a, b) -> str:
    if isinstance(a, str) or isinstance(b, str):
        return f"expat: {a if isinstance(a, str) else 'read'} | calamine: {b if isinstance(b, str) else 'read'}"
    if [n for n, _ in a] != [n for n, _ in b]:
        return f"sheets {[n for n, _ in a]} vs {[n for n, _ in b]}"
    for (name, rows_a), (_, rows_b) in zip(a, b):  # an empty text and an empty cell are the same
        cells_a, cells_b = [c for row in rows_a for c in row], [c for row in rows_b for c in row]
        if cells_a != cells_b:
            diff = next(((x, y) for x, y in zip(cells_a, cells_b) if x != y), (cells_a[-1:], cells_b[-1:]))
            return f"{name}: expat {diff[0]} | calamine {diff[1]}"
    return ""


def _time(reader, data: bytes, runs: int = 50) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(runs):
            try:
                reader(data)
            except BaseException:  # noqa: BLE001, S112 - timing only
                pass
        best = min(best, (time.perf_counter() - start) / runs)
    return best * 1000


def _at_scale(contracts: int) -> None:
    """Both readers over a generated year's xlsx files, and over its report's summary, checks and
    state sheets (what recon.prior reads back)."""
    import python_calamine
    import run

    from recon import labels
    from recon.state import STATE_SHEET

    with tempfile.TemporaryDirectory(prefix="recon-xlsx-") as tmp:
        folder = Path(tmp) / "2024"
        run.make_year(folder, contracts)
        report = Path(tmp) / "report.xlsx"
        subprocess.run([*run.RECON, "build", str(folder), "-o", str(report), "-q"], check=True)
        books = [p.read_bytes() for p in sorted(folder.rglob("*.xlsx"))]
        data = report.read_bytes()
    wanted = {*labels.SHEETS["summary"], *labels.SHEETS["checks"], STATE_SHEET}

    def rust_sheets(book: bytes, names=None):
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(book))
        return [workbook.get_sheet_by_name(n).to_python() for n in workbook.sheet_names if names is None or n in names]

    for name, reader in (("expat", lambda b: xlsx.read(b, "book.xlsx")),
                         ("python-calamine, typed as recon types it", lambda b: _calamine_xlsx(b, "book.xlsx")),
                         ("python-calamine alone", rust_sheets)):
        best = min(_seconds(lambda: [reader(b) for b in books]) for _ in range(3))
        print(f"{contracts} contracts, {len(books)} xlsx files: {name} {best * 1000:.0f} ms, "
              f"{best / len(books) * 1000:.2f} ms a file")
    for name, reader in (("expat", lambda: xlsx.read_values(data, "report.xlsx", wanted)),
                         ("python-calamine", lambda: rust_sheets(data, wanted))):
        print(f"its report's read-back ({len(data):,} bytes): {name} "
              f"{min(_seconds(reader) for _ in range(3)) * 1000:.0f} ms")


def _seconds(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, help="also read a generated year of this many contracts")
    args = parser.parse_args()
    expat = lambda data: xlsx.read(data, "book.xlsx")[0]  # noqa: E731
    rust = lambda data: _calamine_xlsx(data, "book.xlsx")[0]  # noqa: E731
    books = {**_samples(), **_built()}
    same = 0
    for name, data in books.items():
        difference = _first_difference(_grids(expat, data), _grids(rust, data))
        same += not difference
        print(f"{'same' if not difference else 'DIFF'}  {name}" + (f"\n      {difference}" if difference else ""))
    print(f"\n{same} of {len(books)} workbooks read the same")
    seed = (ROOT / "tests/data/seed/2024-01.xlsx").read_bytes()
    rust(seed)  # the import, once
    print(f"seed month: expat {_time(expat, seed):.2f} ms, calamine {_time(rust, seed):.2f} ms a file")
    large = max(_samples().values(), key=len)
    print(f"largest sample ({len(large):,} bytes): expat {_time(expat, large, 10):.2f} ms, "
          f"calamine {_time(rust, large, 10):.2f} ms")
    if args.contracts:
        _at_scale(args.contracts)


if __name__ == "__main__":
    main()
