"""Reading in worker processes gives what reading in one process gives (recon/workers.py)."""
from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
from pathlib import Path

import pytest

from recon.errors import ReconError, UsageError
from recon.model import Where
from recon.pipeline import build
from recon.settings import load
from recon.workers import Workers

EXAMPLE = Path(__file__).parent.parent / "examples" / "2024"


def _square(n: int) -> int:
    return n * n


def _refuse(n: int) -> int:
    raise UsageError(Where(f"{n}.xlsx"), "not_ours", None, kind="workbook")


def _dies_in_a_worker(n: int) -> int:
    if n == 3 and multiprocessing.parent_process() is not None:
        os._exit(1)  # a worker killed (out of memory, say) while it reads
    return n * n


@pytest.mark.parametrize("method", ["fork", "spawn"] if hasattr(os, "fork") else ["spawn"])
def test_results_come_back_in_order_from_the_workers(method):
    with Workers(2, from_items=1, method=method) as workers:
        assert list(workers.map(_square, range(200))) == [n * n for n in range(200)]
        assert workers.started


def test_a_small_map_never_starts_a_process():
    with Workers(2, from_items=50) as workers:
        assert list(workers.map(_square, range(49))) == [n * n for n in range(49)]
        assert not workers.started


def test_one_process_asked_for_reads_here(monkeypatch):
    monkeypatch.setenv("RECON_WORKERS", "1")
    with Workers(from_items=1) as workers:
        assert list(workers.map(_square, range(10))) == [n * n for n in range(10)]
        assert not workers.started


def test_an_error_raised_in_a_worker_is_raised_here_as_itself():
    with Workers(2, from_items=1) as workers:
        later = workers.later(_refuse, 7)
        list(workers.map(_square, range(4)))
        with pytest.raises(UsageError) as raised:
            later.result()
    assert raised.value.where == Where("7.xlsx") and raised.value.params == {"kind": "workbook"}


def test_a_later_call_without_workers_runs_when_asked():
    with Workers(2, from_items=100) as workers:
        later = workers.later(_square, 9)
        list(workers.map(_square, range(3)))
        assert not workers.started and later.result() == 81


def test_a_worker_that_dies_costs_only_time():
    with Workers(2, from_items=1) as workers:
        assert list(workers.map(_dies_in_a_worker, range(8))) == [n * n for n in range(8)]


def test_reconerror_survives_pickling_with_its_place_and_words():
    import pickle

    error = ReconError(Where("a.csv", line=3), "count", "x", column="通話数")
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), again.where, again.expected, again.found, again.params, str(again)) == \
           (ReconError, error.where, "count", "x", {"column": "通話数"}, str(error))


@pytest.mark.parametrize("method", ["fork", "spawn"] if hasattr(os, "fork") else ["spawn"])
def test_a_year_read_by_workers_is_the_year_read_here(tmp_path, method):
    folder = tmp_path / "2024"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("recon-*.xlsx"))
    settings = load(folder / "recon.toml" if (folder / "recon.toml").exists() else None)
    here = build(folder, settings)
    with Workers(2, from_items=1, method=method) as workers:
        there = build(folder, settings, workers=workers)
        assert workers.started
    assert there == here


def test_recon_build_writes_the_same_workbook_with_workers_and_without(tmp_path):
    # 34 contracts × 12 months of the seed's forms: enough files for the workers to start
    import subprocess

    seeds = Path(__file__).parent / "data" / "seed"
    forms = ["2024-01.txt", "2024-01_cp932.csv", "2024-01.xlsx", "2024-01.html"]
    folder = tmp_path / "2024"
    for contract in range(34):
        for month in range(1, 13):
            seed = seeds / forms[(contract + month) % len(forms)]
            target = folder / f"拠点{contract:02d}" / f"2024-{month:02d}{seed.suffix}"
            target.parent.mkdir(parents=True, exist_ok=True)
            data = seed.read_bytes().replace(b"2024-01", f"2024-{month:02d}".encode())
            target.write_bytes(data)
    made = {}
    for workers in ("1", "2"):
        out = tmp_path / f"report-{workers}.xlsx"
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "recon", "build", str(folder), "-o", str(out)],
                              capture_output=True, env={**os.environ, "RECON_WORKERS": workers})
        assert done.returncode == 0, done.stderr.decode()
        started = b"concurrent.futures.process" in done.stderr  # imported only when processes start
        assert started == (workers == "2")
        made[workers] = (out.read_bytes(), done.stdout.replace(out.name.encode(), b"OUT"))
    assert made["1"] == made["2"]


def test_no_fork_once_another_thread_runs():
    # a fork copies only the forking thread: with another running (pyarrow's pool, say) the
    # workers start from the fork server instead
    import threading

    from recon.workers import _safe

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert _safe("fork") == "forkserver"
        with Workers(2, from_items=1, method="fork") as workers:
            assert list(workers.map(_square, range(20))) == [n * n for n in range(20)]
            assert workers._pool._mp_context.get_start_method() == "forkserver"
    finally:
        stop.set()
        other.join()
    assert _safe("spawn") == "spawn"


def _ctrl_c(_: int):
    import signal

    return signal.getsignal(signal.SIGINT)


def test_a_worker_leaves_ctrl_c_to_this_process():
    # the main process answers Ctrl-C with one line and stops the workers; a worker that heard it
    # too would print its own traceback
    import signal

    with Workers(2, from_items=1) as workers:
        assert set(workers.map(_ctrl_c, range(8))) == {signal.SIG_IGN}
        assert workers.started


# A fresh interpreter whose second and later forks fail as they do at a limit on processes or
# memory (EAGAIN): the pool started one worker, then could start no more.
_FORKS_FAIL = """
import errno, os
from recon import workers

forked, fork = [0], os.fork
def failing_fork():
    forked[0] += 1
    if forked[0] > 1:
        raise OSError(errno.EAGAIN, os.strerror(errno.EAGAIN))
    return fork()
os.fork = failing_fork

with workers.Workers(3, from_items=1, method="fork") as pool:
    print(list(pool.map(abs, range(-5, 5))))
print(open(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read().split())
"""


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")
def test_a_system_that_starts_no_more_processes_costs_only_time():
    import json
    import subprocess

    done = subprocess.run([sys.executable, "-c", _FORKS_FAIL], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "RECON_WORKERS": "3"})
    assert done.returncode == 0, done.stderr
    mapped, children = done.stdout.splitlines()
    assert mapped == str([abs(n) for n in range(-5, 5)])
    assert json.loads(children.replace("'", '"')) == []  # the one worker that started was ended
