"""The core install, without the `calls` extra (SPEC §7, Install).

A folder with call records still reconciles its tables, exactly as it would without the records;
each file of records is listed, not read, with one line that names the extra. The extra's absence
is made for real in a subprocess: tests/data/without-calls-extra/sitecustomize.py, on PYTHONPATH,
makes every import of polars, pandas, numpy, holidays and phonenumbers fail as where they are not
installed (the worker processes of a build inherit it)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from recon import calls

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
WITHOUT_EXTRA = DATA / "without-calls-extra"
YEAR = DATA / "calls" / "year" / "2024"  # a March table, invoices, numbers.csv, a year of records
RECORDS = "通話明細_2024.csv"
LINE = 'per-call records, not read without the calls extra: pip install "recon[calls]"'


def recon(*args: str, extra: bool, cwd: Path) -> subprocess.CompletedProcess:
    """`python -m recon ARGS` in `cwd`, with the `calls` extra or as if it were not installed."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    if not extra:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(WITHOUT_EXTRA), env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "recon", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=300, check=False)


def copy_year(tmp_path: Path, *, records: bool = True) -> Path:
    folder = tmp_path / ("with" if records else "without") / "2024"
    shutil.copytree(YEAR, folder)
    if not records:
        (folder / RECORDS).unlink()
    return folder


def test_without_the_extra_its_libraries_cannot_be_imported():
    """The fixture the tests below stand on: the five libraries are absent, and so found."""
    program = ("import importlib\n"
               "from recon.calls import EXTRA_LIBRARIES, missing_libraries\n"
               "for name in EXTRA_LIBRARIES:\n"
               "    try:\n        importlib.import_module(name)\n"
               "    except ModuleNotFoundError:\n        print('absent', name)\n"
               "print('missing', *missing_libraries())\n")
    env = dict(os.environ, PYTHONPATH=str(WITHOUT_EXTRA))
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, check=True)
    names = ("polars", "pandas", "numpy", "holidays", "phonenumbers")
    assert done.stdout.splitlines() == [f"absent {n}" for n in names] + ["missing " + " ".join(names)]


def unread(path: str) -> str:
    return (f'{path}: call records not read, so neither tied out nor watched for toll fraud: '
            'pip install "recon[calls]"')


def test_a_folder_with_call_records_reconciles_its_tables_as_without_them(tmp_path):
    """Every month, figure and check is the one the folder gives with its records taken out; each
    month the records stand for says they were not read, and is a warning at least (March already
    is one, for its unknown type); the records' file is listed as ignored with the line that names
    the extra."""
    core = recon("build", "2024", "--json", extra=False, cwd=copy_year(tmp_path).parent)
    tables = recon("build", "2024", "--json", extra=True, cwd=copy_year(tmp_path, records=False).parent)
    assert core.returncode == tables.returncode == 0, core.stderr
    assert "Traceback" not in core.stderr
    found, expected = json.loads(core.stdout), json.loads(tables.stdout)
    assert [m.pop("messages") for m in found["months"]] == [
        [unread(RECORDS), *m.pop("messages")] for m in expected["months"]]
    assert found["months"] == expected["months"]
    assert [m["status"] for m in found["months"]] == ["warning"]
    records = [f for f in found["files"] if f["path"] == RECORDS]
    assert records == [{"path": RECORDS, "account": "", "month": None, "format": "csv", "encoding": "utf-8",
                        "status": "ignored", "message": LINE, "sha256": records[0]["sha256"]}]
    assert len(records[0]["sha256"]) == 64
    assert [f for f in found["files"] if f["path"] != RECORDS] == expected["files"]
    assert (tmp_path / "with" / "2024" / "recon-2024.xlsx").is_file()


def test_a_month_that_would_be_ok_is_a_warning_while_its_records_are_unread(tmp_path):
    """The example November ties out on its table; its records hold a night burst. Without the
    extra it is not `ok` (nor closed, nor booked): a warning that says why. `recon check` passes
    it as it passes any warning, and --strict does not."""
    folder = tmp_path / "2024"
    shutil.copytree(ROOT / "examples" / "calls" / "2024", folder)
    (folder / "recon-2024.xlsx").unlink(missing_ok=True)
    done = recon("check", "2024", "--json", extra=False, cwd=tmp_path)
    november = json.loads(done.stdout)["months"][0]
    assert (november["status"], november["messages"]) == ("warning", [
        unread("通話明細_2024-11.csv"), "the table states no total charge, so its check (Total charge) was not made"])
    assert done.returncode == 0
    assert recon("check", "2024", "--strict", extra=False, cwd=tmp_path).returncode == 1
    journal = recon("journal", "2024", "--format", "freee", extra=False, cwd=tmp_path)
    assert journal.stderr.startswith("2024-11 仕訳から除外: 締めていません (注意)")
    (folder / "通話明細_2024-11.csv").unlink()
    assert recon("check", "2024", "--strict", extra=False, cwd=tmp_path).returncode == 0  # the table alone: ok


def test_with_the_extra_the_same_folder_reads_its_records(tmp_path):
    """The other side: the records are read, and April, a month of calls without a table, appears."""
    done = recon("build", "2024", "--json", extra=True, cwd=copy_year(tmp_path).parent)
    found = json.loads(done.stdout)
    assert [f["status"] for f in found["files"] if f["path"] == RECORDS] == ["read"]
    assert [(m["month"], m["status"]) for m in found["months"]] == [("2024-03", "warning"), ("2024-04", "missing")]


def test_the_console_names_the_extra_once_for_each_file_of_records(tmp_path):
    folder = copy_year(tmp_path)
    shutil.copy(DATA / "calls" / "forms" / "calls.xlsx", folder / "通話明細_2.xlsx")
    done = recon("build", "2024", "--lang", "en", extra=False, cwd=folder.parent)
    assert done.returncode == 0
    out = done.stdout.splitlines()
    files = out.index("5 files: read 3, ignored 2")
    assert out[files + 1:files + 3] == [f"  通話明細_2.xlsx: {LINE}", f"  {RECORDS}: {LINE}"]
    assert [line.strip() for line in out[:files] if "recon[calls]" in line] == [unread(RECORDS)]  # under March
    assert "no detail table" not in done.stdout and "internal error" not in done.stdout
    assert not done.stderr.strip()


@pytest.mark.parametrize("args", [("check", "2024"), ("check", "2024", "--strict")])
def test_check_exits_as_the_tables_say(tmp_path, args):
    """`recon check` answers with the months the tables give: the same exit status as the folder
    without its records (here 0, and 1 with --strict for March's warning)."""
    core = recon(*args, extra=False, cwd=copy_year(tmp_path).parent)
    tables = recon(*args, extra=True, cwd=copy_year(tmp_path, records=False).parent)
    assert core.returncode == tables.returncode == (1 if "--strict" in args else 0)
    assert core.stdout.splitlines()[-1] == tables.stdout.splitlines()[-1]


def test_a_month_without_its_table_names_its_unread_records(tmp_path):
    """Records named for a month that has no table: the month says which file was not read and why,
    and so does the Sources sheet."""
    folder = copy_year(tmp_path)
    (folder / RECORDS).unlink()
    (folder / "invoices.csv").write_text("利用月,請求額\n2024-03,210\n2024-04,800\n", encoding="utf-8")
    shutil.copy(DATA / "calls" / "forms" / "calls.xlsx", folder / "通話明細_2024-04.xlsx")
    done = recon("build", "2024", "--json", extra=False, cwd=folder.parent)
    march, april = json.loads(done.stdout)["months"]
    assert (april["month"], april["status"]) == ("2024-04", "missing")
    assert april["messages"] == [unread("通話明細_2024-04.xlsx"), "no detail table for this month"]
    assert not [m for m in march["messages"] if "recon[calls]" in m]  # the file names April alone

    from openpyxl import load_workbook

    sheet = load_workbook(folder / "recon-2024.xlsx", read_only=True)["取込ファイル"]
    row = next(r for r in sheet.iter_rows(values_only=True) if "通話明細_2024-04.xlsx" in r)
    assert row[:6] == ("通話明細_2024-04.xlsx", "2024-04", "Excel", None, "対象外",
                       '通話明細です。読むには追加のライブラリが必要です: pip install "recon[calls]"')


def test_unread_records_are_an_input_never_overwritten(tmp_path):
    """Nothing read is ever written: records the core does not read are still the user's input."""
    folder = copy_year(tmp_path)
    target = folder / "通話明細_2024-04.xlsx"
    shutil.copy(DATA / "calls" / "forms" / "calls.xlsx", target)
    before = target.read_bytes()
    done = recon("build", "2024", "-o", str(target), "--force", "--lang", "en", extra=False, cwd=folder.parent)
    assert done.returncode == 2
    assert "per-call records, an input" in done.stderr and "Traceback" not in done.stderr
    done = recon("build", "2024", "-o", str(target), "--force", extra=False, cwd=folder.parent)
    assert done.returncode == 2 and "通話明細 (入力)" in done.stderr
    assert target.read_bytes() == before


def test_frames_need_the_extra_and_say_so(tmp_path):
    program = f"import recon\nrecon.frames({str(YEAR)!r})\n"
    env = dict(os.environ, PYTHONPATH=str(WITHOUT_EXTRA))
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == ('ModuleNotFoundError: recon.frames needs the calls extra: pip install '
                                            '"recon[calls]" (not installed: polars, pandas, numpy, holidays, '
                                            'phonenumbers)')


def test_the_readme_tests_what_ci_tests_with_and_without_the_extra():
    """The README's test command is the one .ci/run runs, and it installs the extra (the tests of
    the core make its absence themselves)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if line.endswith("-m pytest"))
    assert command == "python3 -m venv .venv && .venv/bin/pip install -e '.[test,calls]' && .venv/bin/python -m pytest"
    assert command in ci.splitlines()


def test_the_readme_names_what_each_dependency_does():
    """One line a runtime dependency, core and extra, as pyproject.toml lists them."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [d.split(">")[0].split("<")[0].split("=")[0] for d in
             project["dependencies"] + project["optional-dependencies"]["calls"]]
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(names) == 13
    for name in names:
        said = [line for line in lines if line.startswith(f"- `{name}` (")]
        assert len(said) == 1 and "): " in said[0], name


# ── in this process: which library is missing ──────────────────────────────────────────────────

def test_one_library_of_the_extra_missing_is_enough_to_leave_records_unread(monkeypatch):
    monkeypatch.setitem(sys.modules, "holidays", None)  # what the import system takes as not importable
    assert calls.missing_libraries() == ("holidays",)
    layout = calls.sniff(YEAR / RECORDS, RECORDS)
    assert layout is not None
    with pytest.raises(calls.ExtraMissing) as raised:
        calls.read_text(YEAR / RECORDS, RECORDS, layout)
    assert raised.value.missing == ("holidays",)


def test_with_the_extra_nothing_is_missing():
    assert calls.missing_libraries() == ()


def months_told(folder: Path, monkeypatch) -> dict[str, list[str]]:
    """month → the files of call records its messages say were not read, built here with the
    extra taken as missing."""
    from recon.pipeline import build
    from recon.settings import load

    monkeypatch.setattr(calls, "missing_libraries", lambda: ("pandas",))
    report = build(folder, load(None))
    return {m.month: [dict(x.params)["file"] for x in m.messages if x.key == "calls_unread"] for m in report.months}


def test_records_named_for_no_month_stand_for_every_month_of_their_contract(tmp_path, monkeypatch):
    folder = copy_year(tmp_path)
    (folder / "invoices.csv").write_text("利用月,請求額\n2024-03,210\n2024-05,800\n", encoding="utf-8")
    assert months_told(folder, monkeypatch) == {"2024-03": [RECORDS], "2024-04": [RECORDS], "2024-05": [RECORDS]}


def test_records_named_for_a_month_stand_for_that_month(tmp_path, monkeypatch):
    folder = copy_year(tmp_path)
    (folder / RECORDS).rename(folder / "通話明細_2024-04.csv")
    (folder / "invoices.csv").write_text("利用月,請求額\n2024-03,210\n2024-05,800\n", encoding="utf-8")
    assert months_told(folder, monkeypatch) == {"2024-03": [], "2024-04": ["通話明細_2024-04.csv"], "2024-05": []}


def test_records_of_a_contract_stand_for_that_contract_only(tmp_path, monkeypatch):
    folder = copy_year(tmp_path, records=False)
    for account in ("本社", "大阪支店"):
        (folder / account).mkdir()
        shutil.copy(YEAR / "2024-03.txt", folder / account / "2024-03.txt")
    shutil.copy(YEAR / RECORDS, folder / "大阪支店" / RECORDS)
    (folder / "2024-03.txt").unlink()
    (folder / "invoices.csv").write_text("契約,利用月,請求額\n本社,2024-03,210\n大阪支店,2024-03,210\n", encoding="utf-8")
    from recon.pipeline import build
    from recon.settings import load

    monkeypatch.setattr(calls, "missing_libraries", lambda: ("pandas",))
    report = build(folder, load(None))
    told = {(m.account, m.month): [x.key for x in m.messages if x.key == "calls_unread"] for m in report.months}
    assert told == {("大阪支店", "2024-03"): ["calls_unread"], ("本社", "2024-03"): []}
