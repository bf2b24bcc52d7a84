"""The machine's faults, met as a whole process would meet them (recon/files.py, recon/workers.py):
a build killed mid-way leaves no process and, by the next build, no file behind; a FIFO, a device or
a link is never a way to hang recon or to write where it should not; a full or read-only disk, and
settings whose numbers or nesting no setting needs, are one line and exit 2.

Every run is a subprocess with a memory cap and a time limit (`recon`), and none may end with exit 3
(a bug) or by a signal. The disks are real where the machine lets a test mount one (root on Linux:
a small tmpfs, mounted read-only for the read-only cases); elsewhere those tests are skipped.
"""
from __future__ import annotations

import fcntl
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from recon import files
from recon.errors import ReconError
from recon.model import Source
from recon.pipeline import MAX_BYTES, read_record

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="FIFOs, mounts and /proc as Linux has them")

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed" / "2024-01.txt"
MEMORY = 1 << 30  # bytes of address space a run may take: a build of 1,080 files needs under half of it
TIMEOUT = 120  # seconds: a run that takes longer hangs
GONE_WITHIN = 3.0  # seconds a child of a killed build may take to end


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def recon(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """recon as a whole process, its memory capped and its time limited; it never ends by a signal
    nor with exit 3 (an internal error)."""
    done = subprocess.run([sys.executable, "-m", "recon", *map(str, args)], capture_output=True, text=True,
                          timeout=TIMEOUT, preexec_fn=_capped, cwd=cwd, env={**os.environ, "RECON_WORKERS": "2"})
    assert done.returncode >= 0, f"ended by signal {-done.returncode}: {done.stderr}"
    assert done.returncode != 3, done.stderr
    return done


def one_line(done: subprocess.CompletedProcess) -> str:
    """The single line a refusal prints, its exit status 2."""
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    return done.stderr


def no_empty_or_temp_file(folder: Path) -> None:
    left = [p.name for p in folder.rglob("*") if p.is_file() and (p.stat().st_size == 0 or p.suffix == ".tmp")]
    assert left == []


@pytest.fixture
def year(tmp_path) -> Path:
    folder = tmp_path / "2024"
    folder.mkdir()
    shutil.copy(SEED, folder / "2024-01.txt")
    (folder / "invoices.csv").write_text("month,amount\n2024-01,128916\n", encoding="utf-8")
    return folder


# ── a killed build leaves no process behind ──────────────────────────────────────────────────────

CONTRACTS = 90  # × 12 months = 1,080 files and months: workers read them

# Runs recon, holding a worker (reading) or the writing of the workbook (writing) once it starts: it
# marks its process id in a folder and sleeps, long past the test, unless it ends with the build.
HOLDING = """
import importlib, multiprocessing, os, sys, time
from pathlib import Path

import recon.pipeline as pipeline

save = importlib.import_module("recon.outputs.workbook.save")  # the package has a function of that name

marks, hold = Path(sys.argv[1]), sys.argv[2]

def held():
    (marks / str(os.getpid())).touch()
    time.sleep(600)

def read_held(source, *args, read=pipeline._read_source, **kwargs):
    if hold == "reading" and multiprocessing.parent_process() is not None:
        held()
    return read(source, *args, **kwargs)

def save_held(self, save=save.BookWriter.save):
    if hold == "writing":
        held()
    return save(self)

pipeline._read_source, save.BookWriter.save = read_held, save_held
sys.argv = ["recon", *sys.argv[3:]]
from recon.cli import main
main()
"""


@pytest.fixture(scope="module")
def large_year(tmp_path_factory) -> Path:
    """A year of 90 contracts, each month the seed table: enough files for workers to read it."""
    folder = tmp_path_factory.mktemp("large") / "2024"
    invoices = ["account,month,amount"]
    for c in range(CONTRACTS):
        contract = folder / f"拠点{c + 1:03d}"
        contract.mkdir(parents=True)
        for month in range(1, 13):
            shutil.copy(SEED, contract / f"2024-{month:02d}.txt")
            invoices.append(f"拠点{c + 1:03d},2024-{month:02d},128916")
    (folder / "invoices.csv").write_text("\n".join(invoices) + "\n", encoding="utf-8")
    return folder


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            pass
    return found


def _alive(pid: int) -> bool:
    """A process that runs (a zombie waiting for a parent that does not reap it has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@contextmanager
def started(*args: object, cwd: Path | None = None):
    """recon started as its own process group (ended whole however the test ends)."""
    process = subprocess.Popen([sys.executable, *map(str, args)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, preexec_fn=_capped, start_new_session=True, cwd=cwd,
                               env={**os.environ, "RECON_WORKERS": "2"})
    try:
        yield process
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # this test's own group: whatever is left of it
        except ProcessLookupError:
            pass
        process.wait()
        if process.stderr:
            process.stderr.close()


def _wait_for(test, what: str, process: subprocess.Popen):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        found = test()
        if found:
            return found
        if process.poll() is not None:
            pytest.fail(f"the build ended ({process.returncode}) before {what}: {process.stderr.read().decode()}")
        time.sleep(0.01)
    pytest.fail(f"no {what} within {TIMEOUT} s")


def _all_gone(pids: set[int]) -> set[int]:
    deadline = time.monotonic() + GONE_WITHIN
    while (alive := {pid for pid in pids if _alive(pid)}) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


@pytest.mark.parametrize("hold", ["reading", "writing"])
def test_no_process_outlives_a_killed_build(large_year, tmp_path, hold):
    marks = tmp_path / "marks"
    marks.mkdir()
    out = tmp_path / "report.xlsx"
    with started("-c", HOLDING, marks, hold, "build", large_year, "-o", out, "-q") as build:
        held = _wait_for(lambda: {int(p.name) for p in marks.iterdir()}, f"a held {hold} process", build)
        children = _children(build.pid) | held
        build.kill()  # SIGKILL: nothing of the build runs after this
        build.wait()
        assert _all_gone(children) == set()
    assert not out.exists()


def test_no_worker_outlives_a_build_killed_as_they_start(large_year, tmp_path):
    with started("-m", "recon", "build", large_year, "-o", tmp_path / "report.xlsx", "-q") as build:
        children = _wait_for(lambda: _children(build.pid), "worker process", build)
        build.kill()
        build.wait()
        assert _all_gone(children) == set()


def test_a_temp_file_a_killed_write_left_is_removed_by_the_next_build(year, tmp_path):
    marks = tmp_path / "marks"
    marks.mkdir()
    with started("-c", HOLDING, marks, "writing", "build", year, "-q") as build:
        _wait_for(lambda: list(marks.iterdir()), "write of the workbook", build)
        build.kill()
        build.wait()
    left = list(year.glob(".recon-2024.xlsx.*.tmp"))
    assert len(left) == 1 and not (year / "recon-2024.xlsx").exists()
    done = recon("build", year, "--json")
    assert done.returncode == 0
    assert list(year.glob(".*.tmp")) == [] and (year / "recon-2024.xlsx").exists()
    assert left[0].name not in {f["path"] for f in json.loads(done.stdout)["files"]}  # gone before the listing


def test_a_temp_file_a_killed_journal_left_is_removed_by_the_next_build(year):
    left = year / ".journal-2024-yayoi.csv.0123abcd.tmp"
    left.write_bytes(b"\x82\xa0")
    assert recon("build", year, "-q").returncode == 0
    assert not left.exists()


def test_only_recons_own_temp_files_that_no_process_holds_are_removed(year):
    left = year / ".recon-2024.xlsx.0123abcd.tmp"  # a killed build's
    held = year / ".recon-2024.xlsx.89abcdef.tmp"  # a build writing it now (this test holds its lock)
    others = [year / ".recon-2024.xlsx.mine.tmp", year / ".other.xlsx.0123abcd.tmp",
              year / "recon-2024.xlsx.0123abcd.tmp"]
    for path in (left, held, *others):
        path.write_bytes(b"PK")
    with open(held, "rb") as holding:
        fcntl.flock(holding, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert recon("build", year, "-q").returncode == 0
    assert not left.exists()
    assert held.exists() and all(path.exists() for path in others)


# ── nothing recon opens hangs it ─────────────────────────────────────────────────────────────────

def test_a_fifo_in_the_folder_is_listed_and_never_opened(year):
    os.mkfifo(year / "2024-02.txt")
    os.mkfifo(year / "numbers.csv")
    done = recon("build", year, "--json")
    assert done.returncode == 0
    listed = {f["path"]: f for f in json.loads(done.stdout)["files"]}
    for name in ("2024-02.txt", "numbers.csv"):
        assert listed[name]["status"] == "ignored" and "not a regular file" in listed[name]["message"]
    assert listed["2024-01.txt"]["status"] == "read"


@pytest.mark.parametrize("where", ["output", "config", "settings", "template"])
def test_a_fifo_where_recon_reads_a_file_is_one_line(year, tmp_path, where):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    args = {"output": ["-o", fifo], "config": ["--config", fifo], "template": ["--template", fifo],
            "settings": []}[where]
    if where == "settings":
        os.mkfifo(year / "recon.toml")
    line = one_line(recon("build", year, *args, "--lang", "en"))
    assert "not a named pipe (FIFO)" in line
    assert "名前付きパイプ (FIFO)" in one_line(recon("build", year, *args))


def test_a_fifo_at_the_journals_output_is_one_line(year, tmp_path):
    fifo = tmp_path / "journal.csv"
    os.mkfifo(fifo)
    assert "not a named pipe (FIFO)" in one_line(recon("journal", year, "--format", "yayoi", "--all", "-o", fifo,
                                                       "--lang", "en"))


def test_a_device_given_as_settings_is_never_read(year):
    assert "not a device" in one_line(recon("check", year, "--config", "/dev/zero", "--lang", "en"))


def test_init_never_writes_through_a_link(tmp_path):
    folder = tmp_path / "2024"
    folder.mkdir()
    elsewhere = tmp_path / "elsewhere.toml"  # not there: a write through the link would make it
    (folder / "recon.toml").symlink_to(elsewhere)
    victim = tmp_path / "victim.csv"
    victim.write_text("untouched\n", encoding="utf-8")
    (folder / "invoices.csv").symlink_to(victim)
    done = recon("init", folder, "--lang", "en")
    assert done.returncode == 0
    assert "kept" in done.stderr and "a link" in done.stderr
    assert not elsewhere.exists() and victim.read_text(encoding="utf-8") == "untouched\n"
    assert (folder / "recon.toml").is_symlink() and (folder / "invoices.csv").is_symlink()


def test_template_never_writes_through_a_link(tmp_path):
    link = tmp_path / "mine.xlsx"
    link.symlink_to(tmp_path / "target.xlsx")
    assert "does not exist yet" in one_line(recon("template", link, "--lang", "en"))
    assert not (tmp_path / "target.xlsx").exists()


# ── a file read is held to its limit as it is read ───────────────────────────────────────────────

def test_a_file_that_grew_after_it_was_listed_is_refused_at_the_limit(tmp_path, monkeypatch):
    path = tmp_path / "2024-01.txt"
    path.write_bytes(b"x" * 100)
    listed = os.stat(path)
    with path.open("ab") as grown:
        grown.write(b"x" * 1000)
    monkeypatch.setattr(files, "regular", lambda *args: listed)  # its size as listed, before it grew
    with pytest.raises(ReconError) as refused:
        files.read_bytes(path, 500)
    assert refused.value.expected == "size" and "grown as it was read" in refused.value.found
    assert files.read_bytes(path, 2000) == b"x" * 1100  # within the limit, all of it


def test_a_file_listed_small_and_now_over_the_limit_is_an_error_for_that_file(tmp_path):
    path = tmp_path / "2024-01.txt"
    with path.open("wb") as big:
        big.truncate(MAX_BYTES + 1)  # sparse: no disk for it
    source = Source(path, "2024-01.txt", "", "detail", "text", "2024-01", size=10)  # as listed
    record = read_record(source)
    assert record.status == "error" and dict(record.message.params)["expected"] == "size"


def test_reading_stops_one_byte_past_the_limit(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    with path.open("wb") as big:
        big.truncate(64 << 20)
    small = tmp_path / "small.txt"
    small.write_bytes(b"x")
    monkeypatch.setattr(files, "regular", lambda *args: os.stat(small))
    asked = []
    real_open = open

    class Counting:
        def __init__(self, handle):
            self._handle = handle

        def read(self, n=-1):
            asked.append(n)
            return self._handle.read(n)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._handle.close()

    monkeypatch.setattr(files, "open", lambda *a, **k: Counting(real_open(*a, **k)), raising=False)
    with pytest.raises(ReconError):
        files.read_bytes(path, 1000)
    assert sum(asked) == 1001 and -1 not in asked


# ── a full or read-only disk ─────────────────────────────────────────────────────────────────────

@contextmanager
def mounted(where: Path, size: str, read_only: bool = False, before=None):
    """A tmpfs of `size` at `where` (root on Linux only; the test is skipped elsewhere), `before`
    called on it while it can be written, then remounted read-only if asked."""
    where.mkdir(exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small disk needs root")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        if before is not None:
            before(where)
        if read_only:
            subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True, capture_output=True)
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def fill(disk: Path) -> None:
    """Take every byte left on the disk."""
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


def copy_year(into: Path, year: Path) -> Path:
    return Path(shutil.copytree(year, into / "2024"))


@pytest.mark.parametrize("command", [
    ["build", "{year}"],
    ["journal", "{year}", "--format", "yayoi", "--all"],
    ["init", "{disk}/2025"],
    ["template", "{disk}/mine.xlsx"],
])
def test_a_full_disk_is_one_line_and_leaves_no_empty_file(year, tmp_path, command):
    with mounted(tmp_path / "disk", "256k") as disk:
        on_disk = copy_year(disk, year)
        fill(disk)
        args = [part.format(year=on_disk, disk=disk) for part in command]
        assert one_line(recon(*args, "--lang", "en")).rstrip().endswith(
            ": expected space on the disk (free some, or write elsewhere)")
        assert one_line(recon(*args)).rstrip().endswith(": ディスクの空きが必要です。空きを作るか、別の場所に書いてください")
        no_empty_or_temp_file(disk)
        assert not (disk / "2025").exists()  # init takes back the folder it made


@pytest.mark.parametrize("command", [
    ["build", "{year}"],
    ["journal", "{year}", "--format", "freee", "--all"],
    ["init", "{year}"],
    ["template", "{disk}/mine.xlsx"],
])
def test_a_read_only_disk_is_one_line(year, tmp_path, command):
    with mounted(tmp_path / "disk", "1m", read_only=True, before=lambda disk: copy_year(disk, year)) as disk:
        args = [part.format(year=disk / "2024", disk=disk) for part in command]
        assert "read-only" in one_line(recon(*args, "--lang", "en"))
        assert one_line(recon(*args)).rstrip().endswith("書き込めるディスクが必要です。読み取り専用です。別の場所に書いてください")
        assert sorted(p.name for p in (disk / "2024").iterdir()) == ["2024-01.txt", "invoices.csv"]


def test_check_on_a_read_only_disk_answers(year, tmp_path):
    with mounted(tmp_path / "disk", "1m", read_only=True, before=lambda disk: copy_year(disk, year)) as disk:
        assert recon("check", disk / "2024", "-q").returncode in (0, 1)


# ── settings no setting needs ────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("text, key", [
    ("[discount]\nrate_yen = 1e400\n", "discount.rate_yen"),
    ("[discount]\nrate_yen = 1e30\n", "discount.rate_yen"),
    ("[discount]\nrate_yen = 0.0000000000000001\n", "discount.rate_yen"),
    ("[tax]\nrate = 1e-400\n", "tax.rate"),
    ("[tolerance]\nyen = 99999999999999999999999999\n", "tolerance.yen"),
    ("[tolerance]\nseconds = 1e400\n", "tolerance.seconds"),
    ("[anomaly]\nhistory = 1000000000000000\n", "anomaly.history"),
    ("[tolerance]\n\nyen = " + "9" * 5000 + "\n", "tolerance.yen"),  # past what Python reads as a number
    ("[tax]\nrate = 1e" + "9" * 40 + "\n", "tax.rate"),
    ("[journal.departments]\n\"本社\" = " + "[" * 3000 + "]" * 3000 + "\n", "journal.departments.本社"),
    ("[calls]\nx = [\n  1,\n  " + "{a = " * 2000 + "1" + "}" * 2000 + "]\n", "calls.x"),
    ("[journal]\n" + "a." * 40 + "b = 1\n", "journal.a.a"),
    ('[report]\nlang = [[[[[[[[[[[["en"]]]]]]]]]]]]\n', "report.lang[0]"),
])
def test_settings_past_what_any_setting_needs_are_one_line_naming_the_key(year, text, key):
    (year / "recon.toml").write_text(text, encoding="utf-8")
    line = one_line(recon("check", year))
    assert "recon.toml" in line and key in line


@pytest.mark.parametrize("text", [
    "[discount]\nrate_yen = 999999999999999.999999999999999\ncap = false\nunit_seconds = 1\n",
    "[tax]\nrate = 0.999999999999999\n",
    "[tolerance]\nyen = 999999999999999\nseconds = 99999999999999.9\n",
    "[anomaly]\nfactor = 999999999999999\nwindow = 999999999999999\n",
    "[discount]\nrate_yen = 0.500000000000000000000000000\n",  # trailing zeros: still one half
])
def test_settings_at_the_edge_of_the_bounds_build(year, text):
    (year / "recon.toml").write_text(text, encoding="utf-8")
    assert recon("build", year, "-q").returncode == 0


def test_a_settings_file_over_a_megabyte_is_one_line(year):
    (year / "recon.toml").write_text("# " + "x" * (1 << 20) + "\n", encoding="utf-8")
    assert "at most 1,048,576 bytes" in one_line(recon("check", year, "--lang", "en"))


# ── names no encoding decodes ────────────────────────────────────────────────────────────────────

def test_an_undecodable_file_name_is_escaped_in_json_as_on_the_console(year):
    broken = SEED.read_text(encoding="utf-8").replace("\t1096\t", "\t10九6\t")
    name = os.fsdecode(b"2024-02\xff\xfe.txt")
    (year / name).write_text(broken, encoding="utf-8")
    (year / "invoices.csv").write_text("month,amount\n2024-01,128916\n2024-02,128916\n", encoding="utf-8")
    as_json = recon("build", year, "--json")
    assert as_json.returncode == 0
    document = json.loads(as_json.stdout)
    shown = "2024-02\\udcff\\udcfe.txt"
    assert shown in {f["path"] for f in document["files"]}
    february = next(m for m in document["months"] if m["month"] == "2024-02")
    said = next(m for m in february["messages"] if shown in m)
    console = recon("build", year, "--lang", "en")
    assert console.returncode == 0 and said in console.stdout


# ── what the machine refuses, wherever it is met ─────────────────────────────────────────────────

@pytest.mark.parametrize("error, said", [
    (OSError(12, "Cannot allocate memory"), "expected what this machine allows"),
    (OSError(28, "No space left on device", "/data/2024/recon-2024.xlsx"),
     "/data/2024/recon-2024.xlsx: expected space on the disk"),
])
def test_a_refusal_of_the_machine_no_stage_expected_is_one_line_not_a_bug(year, monkeypatch, error, said):
    from click.testing import CliRunner

    from recon import commands
    from recon.cli import main

    def refused(*args, **kwargs):
        raise error

    monkeypatch.setattr(commands, "build", refused)
    result = CliRunner().invoke(main, ["build", str(year), "--lang", "en"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert said in result.stderr
    japanese = CliRunner().invoke(main, ["build", str(year)])
    assert japanese.exit_code == 2 and japanese.stderr.count("\n") == 1 and "が必要です" in japanese.stderr
