"""How long `recon build`, `recon check` and `recon --help` take, as whole processes, against floors
measured in the same rounds.

    .venv/bin/python benchmarks/run.py                     # 1 contract; then 10, 100 and 400 contracts
    .venv/bin/python benchmarks/run.py --sizes 10,100,400,1000 --runs 3

Year folders of seeded, realistic inputs in mixed forms (pasted text, CP932 CSV, xlsx, saved HTML:
a quarter each) are generated under a temporary folder, one subfolder per contract, 12 months each.

The floors (benchmarks/floors.py), each a whole process too:
- imports: importing every library module the command really imports, and nothing of recon; the list is
  taken from `python -X importtime` of the command itself (modules bare `python` imports left out);
- bytes: reading every input byte and deflating an output as large as the workbook (its parts, uncompressed);
- parse: parsing every input with the fastest library for its format (python-calamine, lxml, csv),
  less the same process's imports.
The near-limit estimate of a build is imports + (bytes − bare python) + (parse − its imports).

recon's modules are measured byte-compiled, as an installed recon is (PYTHONDONTWRITEBYTECODE is
left out of the commands' environment; `--source` keeps it, so that every start compiles recon).

The machine may be shared and drift: every measurement is taken in rounds, one run of each command a
round (A B C A B C …), and a ratio is the median of the ratios within a round. Growth is measured the
same way, all sizes in each round, so drift cannot read as super-linear growth. Peak memory is the
largest resident set of the command's processes; a build of many files reads them with worker
processes, so its CPU seconds (all processes) and the peak of its processes' memory together
(proportional set size, sampled in runs of their own: sampling slows what it samples) are shown too,
and the same build with RECON_WORKERS=1 beside it.
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RECON = [str(Path(PYTHON).parent / "recon")]  # the console script, as a user runs it
FLOORS = [PYTHON, str(ROOT / "benchmarks" / "floors.py")]
# As installed, recon's modules are byte-compiled (pip compiles them) like the libraries' are; a
# checkout run with PYTHONDONTWRITEBYTECODE set would compile every module of recon at every start
# (about 50 ms of a one-contract build). The first run of each command writes the bytecode.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


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


def generate(folder: Path, contracts: int) -> int:
    """make_year in a process of its own: a child's peak memory counts its parent's at the moment it
    was started, so this process stays as small as a bare python. Returns the number of files."""
    done = subprocess.run([PYTHON, __file__, "--make", str(folder), str(contracts)], check=True,
                          capture_output=True, text=True)
    return int(done.stdout)


def _tree(pid: int) -> list[int]:
    """`pid` and every process descended from it (the workers a build starts)."""
    parents = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def _tree_mb(pid: int) -> float:
    """The proportional set size of the process tree, MB: pages two processes share count half to
    each, so forked workers are not counted twice for what they share with their parent."""
    total = 0
    for member in _tree(pid):
        try:
            for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
    return total / 1024


def run_once(command: list[str], sampled: bool = False) -> tuple[float, float, float, float]:
    """Wall seconds, peak resident MB of its largest process and CPU seconds of all its processes of
    one run; `sampled`: also the peak of its process tree's memory (proportional set size, sampled
    every 20 ms), else 0. Sampling walks /proc and every page table of the tree, and on two cores
    slows a build that uses both by about a tenth: a timed run is never sampled."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    tree = [0.0]
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.wait(0.02):
            tree[0] = max(tree[0], _tree_mb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    if sampled and Path("/proc/self/smaps_rollup").exists():
        sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    sampling.set()
    if sampler.is_alive():
        sampler.join()
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed with {os.waitstatus_to_exitcode(status)}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, tree[0]


def rounds(commands: dict[str, list[str]], runs: int) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Each command run once a round, `runs` rounds: every command's times (in round order) and its
    largest peak MB; its CPU seconds go to CPU."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, float] = dict.fromkeys(commands, 0.0)
    for _ in range(runs):
        for name, command in commands.items():
            seconds, peak, cpu, _ = run_once(command)
            times[name].append(seconds)
            peaks[name] = max(peaks[name], peak)
            CPU.setdefault(name, []).append(cpu)
    return times, peaks


def tree_mb(command: list[str], runs: int = 2) -> float:
    """The largest memory of `command`'s process tree (MB, proportional set size) over `runs`
    sampled runs of its own, outside the timed rounds."""
    return max(run_once(command, sampled=True)[3] for _ in range(runs))


CPU: dict[str, list[float]] = {}  # command → CPU seconds of each run, all its processes


def ratio(a: list[float], b: list[float]) -> float:
    """The median, over rounds, of a / b within a round."""
    return statistics.median(x / y for x, y in zip(a, b))


def imported_modules(command: list[str]) -> list[str]:
    """The modules `command` imports that bare python does not, recon's own left out, in the order
    they finished loading (so each one's dependencies come first)."""
    def seen(argv: list[str]) -> list[str]:
        env = {**ENV, "PYTHONPROFILEIMPORTTIME": "1"}
        done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT)
        names = [line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
        return [name for name in names if name != "imported package"]

    bare = set(seen([PYTHON, "-c", "pass"]))
    found = [m for m in seen(command) if m not in bare and not m.startswith(("recon", "__editable__"))]
    return list(dict.fromkeys(found))


def imports_floor(command: list[str], folder: Path, name: str) -> list[str]:
    """The floor process for `command`: importing what it imports. The listing is kept beside the data."""
    listing = folder / f"imports-{name}.txt"
    listing.write_text("\n".join(imported_modules(command)) + "\n", encoding="utf-8")
    return [*FLOORS, "imports", str(listing)]


def libraries(listing: list[str]) -> str:
    """The third-party top-level packages of a module listing."""
    tops = dict.fromkeys(m.split(".")[0] for m in listing)
    return ", ".join(t for t in tops if t not in sys.stdlib_module_names and not t.startswith("_")
                     and importlib.util.find_spec(t) is not None)


def unpacked(workbook: Path, raw: Path) -> int:
    """Write the workbook's parts, uncompressed, to `raw` (streamed: this process stays small);
    their size in bytes."""
    with zipfile.ZipFile(workbook) as archive, open(raw, "wb") as out:
        for info in archive.infolist():
            with archive.open(info) as part:
                shutil.copyfileobj(part, out)
    return raw.stat().st_size


def one_contract(tmp: Path, runs: int) -> None:
    folder = tmp / "c1" / "2024"
    generate(folder, 1)
    build = [*RECON, "build", str(folder), "-o", str(tmp / "c1.xlsx"), "-q", "--force"]
    check = [*RECON, "check", str(folder), "-q"]
    helps = [*RECON, "--help"]
    run_once(build)  # the output exists from now on, as in a rebuild
    floors = {name: imports_floor(command, tmp, name) for name, command in
              (("build", build), ("check", check), ("help", helps))}
    commands = {"bare": [PYTHON, "-c", "pass"], "build": build, "build floor": floors["build"],
                "check": check, "check floor": floors["check"], "help": helps, "help floor": floors["help"]}
    times, peaks = rounds(commands, runs)
    print(f"one contract-year (13 files); {runs} rounds")
    for name in ("build", "check", "help"):
        listing = Path(floors[name][-1]).read_text(encoding="utf-8").split()
        print(f"  {name:<6} {statistics.median(times[name]) * 1000:6.0f} ms  {peaks[name]:4.0f} MB   "
              f"× its imports floor {ratio(times[name], times[name + ' floor']):5.2f}   "
              f"× bare python {ratio(times[name], times['bare']):5.1f}   "
              f"floor {statistics.median(times[name + ' floor']) * 1000:4.0f} ms: {libraries(listing) or '-'}")
    print(f"  bare python {statistics.median(times['bare']) * 1000:.0f} ms")


def growth(tmp: Path, sizes: list[int], runs: int) -> None:
    files, builds = {}, {}
    for size in sizes:
        folder = tmp / f"c{size}" / "2024"
        files[size] = generate(folder, size)
        builds[size] = [*RECON, "build", str(folder), "-o", str(tmp / f"c{size}.xlsx"), "-q", "--force"]
        run_once(builds[size])
    largest = sizes[-1]
    folder = tmp / f"c{largest}" / "2024"
    raw = tmp / "workbook.raw"
    unpacked(tmp / f"c{largest}.xlsx", raw)
    commands = {"bare": [PYTHON, "-c", "pass"], "imports": imports_floor(builds[largest], tmp, "large"),
                "bytes": [*FLOORS, "bytes", str(folder), str(raw)], "parse": [*FLOORS, "parse", str(folder)],
                "parse imports": [*FLOORS, "parse-imports"],
                **{f"build {size}": builds[size] for size in sizes},
                f"build {largest} in one process": ["env", "RECON_WORKERS=1", *builds[largest]],
                f"build {largest} --json": [*builds[largest], "--json"],
                f"check {largest}": [*RECON, "check", str(folder), "-q"]}
    times, peaks = rounds(commands, runs)
    near = [i + (b - z) + (p - q) for i, b, z, p, q in
            zip(times["imports"], times["bytes"], times["bare"], times["parse"], times["parse imports"])]
    med = {name: statistics.median(t) for name, t in times.items()}
    print(f"\ngrowth, all sizes in each of {runs} rounds")
    print(f"  floors at {largest} contracts ({files[largest]} files): imports {med['imports']:.2f} s, "
          f"bytes {med['bytes'] - med['bare']:.2f} s, parse {med['parse'] - med['parse imports']:.2f} s, "
          f"near-limit estimate {statistics.median(near):.2f} s")
    print(f"  {'contracts':>9} {'files':>6} {'median':>8} {'peak MB':>8} {'ms/file':>8} {'beyond imports':>15}")
    for size in sizes:
        t = times[f"build {size}"]
        beyond = statistics.median((x - i) / files[size] * 1000 for x, i in zip(t, times["imports"]))
        print(f"  {size:>9} {files[size]:>6} {med[f'build {size}']:7.2f}s {peaks[f'build {size}']:8.0f} "
              f"{med[f'build {size}'] / files[size] * 1000:8.2f} {beyond:15.2f}")
    alone = times[f"build {largest} in one process"]
    print(f"  build {largest} in one process (RECON_WORKERS=1): {statistics.median(alone):.2f} s, "
          f"× near-limit {ratio(alone, near):.2f}, {peaks[f'build {largest} in one process']:.0f} MB")
    cpu = CPU[f"build {largest}"]
    print(f"  build {largest}: CPU {statistics.median(cpu):.2f} s of all its processes "
          f"(× near-limit {ratio(cpu, near):.2f}); memory of its processes together {tree_mb(builds[largest]):.0f} MB")
    json = f"build {largest} --json"
    print(f"  build {largest} --json (the document on stdout): {med[json]:.2f} s, "
          f"× without {ratio(times[json], times[f'build {largest}']):.2f}, peak {peaks[json]:.0f} MB "
          f"against {peaks[f'build {largest}']:.0f} MB without")
    print(f"  build {largest}: × near-limit {ratio(times[f'build {largest}'], near):.2f}; "
          f"check {largest}: {med[f'check {largest}']:.2f} s, × near-limit {ratio(times[f'check {largest}'], near):.2f}, "
          f"{peaks[f'check {largest}']:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,400", help="contracts per year folder, for the growth")
    parser.add_argument("--runs", type=int, default=5, help="rounds (the medians are shown)")
    parser.add_argument("--only", choices=["one", "growth"], help="one part of the benchmark")
    parser.add_argument("--source", action="store_true",
                        help="keep PYTHONDONTWRITEBYTECODE: recon compiled from source at every start")
    parser.add_argument("--make", nargs=2, metavar=("FOLDER", "CONTRACTS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        print(make_year(Path(args.make[0]), int(args.make[1])))
        return
    if args.source:
        ENV.update(os.environ)
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores"
          + ("; recon compiled at every start" if "PYTHONDONTWRITEBYTECODE" in ENV else ""))
    with tempfile.TemporaryDirectory(prefix="recon-bench-") as tmp:
        if args.only != "growth":
            one_contract(Path(tmp), args.runs)
        if args.only != "one":
            growth(Path(tmp), [int(s) for s in args.sizes.split(",")], args.runs)


if __name__ == "__main__":
    main()
