"""Fiscal years (年度) and an archive of years (SPEC §1.2, §3, §4): which twelve months a folder
holds, where a month named alone lands, a file outside the year, a previous year beside this one
read as history (never written, never re-reported), contracts inside an archive, `recon init`."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from recon import commands
from recon.cli import main
from recon.discover import previous_year_folder
from recon.months import folder_year, named_year, shift
from recon.pipeline import build
from recon.settings import load

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "data" / "seed" / "2024-01.txt"  # its content names no month
ARCHIVE = ROOT / "examples" / "archive"  # 2023年度 and 2024年度, April to March (scripts/make_examples.py)
EXAMPLE_YEAR = ROOT / "examples" / "2024"


def settings_in(folder: Path):
    toml = folder / "recon.toml"
    return load(toml if toml.exists() else None)


def months_of(report) -> dict[tuple[str, str], str]:
    return {(m.account, m.month): m.status for m in report.months}


def keys(messages) -> list[str]:
    return [m.key for m in messages]


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` and the SHA-256 of its bytes: what "never written" is checked by."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# ── which months a folder holds ──────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("name, year, start_month, first, last", [
    ("2024", None, None, "2024-01", "2024-12"),  # a plain year is the calendar year
    ("2024年", None, None, "2024-01", "2024-12"),
    ("2024", None, 4, "2024-04", "2025-03"),  # unless [year] start_month is set
    ("2024", None, 10, "2024-10", "2025-09"),
    ("2024年度", None, None, "2024-04", "2025-03"),  # a 年度 starts in April by default
    ("2024年度", None, 1, "2024-01", "2024-12"),
    ("2024年度", None, 10, "2024-10", "2025-09"),
    ("FY2024", None, None, "2024-04", "2025-03"),
    ("FY2024", None, 7, "2024-07", "2025-06"),
    ("令和6年度", None, None, "2024-04", "2025-03"),
    ("令和6年度", None, 1, "2024-01", "2024-12"),
    ("R6年度", None, None, "2024-04", "2025-03"),
    ("R6年度", None, 10, "2024-10", "2025-09"),
    ("令和元年度", None, None, "2019-04", "2020-03"),
    ("平成30年度", None, None, "2018-04", "2019-03"),
    ("office", 2024, None, "2024-01", "2024-12"),  # recon init office --year 2024
    ("office", 2024, 4, "2024-04", "2025-03"),  # recon init office --year 2024 --start-month 4
    ("2024年度", 2023, None, "2023-01", "2023-12"),  # recon.toml's year, when set, decides
])
def test_each_folder_form_and_start_month_holds_its_twelve_months(name, year, start_month, first, last):
    months = folder_year(name, year, start_month).months
    assert (months[0], months[-1], len(months), len(set(months))) == (first, last, 12, 12)


@pytest.mark.parametrize("name", ["office", "本社", "2024-04", "FY24", ""])
def test_a_folder_not_named_by_a_year_holds_no_year_unless_set(name):
    assert folder_year(name, None, 4) is None


@pytest.mark.parametrize("start_month, expected", [
    (1, {"1月": "2024-01", "3月": "2024-03", "12月": "2024-12"}),
    (4, {"1月": "2025-01", "3月": "2025-03", "12月": "2024-12"}),
    (10, {"1月": "2025-01", "3月": "2025-03", "12月": "2024-12"}),
])
@pytest.mark.parametrize("folder", ["2024年度", "2024", "FY2024", "令和6年度"])
def test_a_month_named_alone_lands_in_the_fiscal_years_calendar_year(tmp_path, folder, start_month, expected):
    year = tmp_path / folder
    year.mkdir()
    (year / "recon.toml").write_text(f"[year]\nstart_month = {start_month}\n", encoding="utf-8")
    for stem in expected:
        shutil.copy(SEED, year / f"{stem}.txt")
    report = build(year, settings_in(year))
    assert {f.path.removesuffix(".txt"): f.month for f in report.files if f.path.endswith(".txt")} == expected
    assert all("outside_year" not in keys(m.messages) for m in report.months)


def test_march_in_a_plain_folder_with_an_april_start_is_next_march(tmp_path):
    """The issue's case: ./2024 holding April 2024 to March 2025, with [year] start_month = 4."""
    year = tmp_path / "2024"
    year.mkdir()
    (year / "recon.toml").write_text("[year]\nstart_month = 4\n", encoding="utf-8")
    shutil.copy(SEED, year / "3月.txt")
    assert list(months_of(build(year, settings_in(year)))) == [("", "2025-03")]


def test_a_sheet_named_by_the_month_alone_lands_in_the_fiscal_year(tmp_path):
    """A workbook of several months, one sheet each, named 3月 and 4月 (pipeline._grid_month)."""
    import openpyxl

    year = tmp_path / "2024年度"
    year.mkdir()
    book = openpyxl.Workbook()
    book.remove(book.active)
    lines = [line.split("\t") for line in SEED.read_text(encoding="utf-8").splitlines()]
    for name in ("3月", "4月"):
        sheet = book.create_sheet(name)
        for row in lines:
            sheet.append(row)
    book.save(year / "明細.xlsx")
    report = build(year, load(None))
    assert [m.month for m in report.months if m.total] == ["2024-04", "2025-03"]
    assert len(report.months) == 12  # the months between are listed, missing


# ── a file outside the year ──────────────────────────────────────────────────────────────────────

def test_a_file_outside_the_fiscal_year_is_read_and_flagged(tmp_path):
    year = tmp_path / "2024年度"
    year.mkdir()
    shutil.copy(SEED, year / "2024-01.txt")  # last year's January, left in this year's folder
    shutil.copy(SEED, year / "5月.txt")
    shutil.copy(SEED, year / "7月.txt")
    report = build(year, load(None))
    # the stray month is listed on its own, flagged; no gap of missing months is made up to reach it
    assert months_of(report) == {("", "2024-01"): "missing", ("", "2024-05"): "missing",
                                 ("", "2024-06"): "missing", ("", "2024-07"): "missing"}
    january = report.months[0]
    assert keys(january.messages)[0] == "outside_year" and january.total.charge == 130090
    assert dict(january.messages[0].params) == {"month": "2024-01", "first": "2024-04", "last": "2025-03"}
    record = next(f for f in report.files if f.path == "2024-01.txt")
    assert (record.status, record.month, record.message.key) == ("read", "2024-01", "outside_year_file")
    assert all("outside_year" not in keys(m.messages) for m in report.months[1:])


def test_an_outside_month_that_ties_out_is_a_warning_not_ok(tmp_path):
    year = tmp_path / "2024"
    year.mkdir()
    shutil.copy(SEED, year / "2023-12.txt")
    (year / "invoices.csv").write_text("month,amount\n2023-12,128916\n", encoding="utf-8")
    month = build(year, load(None)).months[0]
    assert (month.month, month.invoice_variance, month.status) == ("2023-12", 0, "warning")
    assert "outside_year" in keys(month.messages)


def test_a_folder_without_a_year_flags_nothing(tmp_path):
    folder = tmp_path / "office"
    folder.mkdir()
    shutil.copy(SEED, folder / "2023-12.txt")
    shutil.copy(SEED, folder / "2024-02.txt")
    report = build(folder, load(None))
    assert list(months_of(report)) == [("", "2023-12"), ("", "2024-01"), ("", "2024-02")]
    assert all("outside_year" not in keys(m.messages) for m in report.months)


# ── an archive of years ──────────────────────────────────────────────────────────────────────────

@pytest.fixture
def archive(tmp_path) -> Path:
    """The example archive, copied: 2023年度 and 2024年度 side by side."""
    shutil.copytree(ARCHIVE, tmp_path / "ocn", ignore=shutil.ignore_patterns("recon-*.xlsx"))
    return tmp_path / "ocn"


def test_history_from_the_previous_year_changes_aprils_verdict(archive, tmp_path):
    alone = tmp_path / "alone" / "2024年度"
    shutil.copytree(archive / "2024年度", alone)
    without = build(alone, load(None))
    assert without.months[0].status == "ok" and without.history == ()

    report = build(archive / "2024年度", load(None))
    april = report.months[0]
    assert (april.month, april.status) == ("2024-04", "warning")
    spike = next(m for m in april.messages if m.key == "anomaly_spike")
    assert dict(spike.params)["type"] == "international" and dict(spike.params)["months"] == "6"
    assert [m.status for m in report.months[1:]] == ["ok"] * 11  # the rest of the year is unchanged
    assert [m.status for m in without.months[1:]] == ["ok"] * 11


def test_the_previous_year_is_history_only(archive):
    before = tree(archive / "2023年度")
    report = build(archive / "2024年度", load(None))
    assert [m.month for m in report.history] == [f"2023-{n:02d}" for n in range(4, 13)] + \
        [f"2024-{n:02d}" for n in range(1, 4)]
    assert [m.month for m in report.months][0] == "2024-04" and len(report.months) == 12
    assert all(not f.path.startswith("..") and "2023" not in f.path for f in report.files)
    assert [n.key for n in report.notes] == ["history_from"]
    assert dict(report.notes[0].params) == {"folder": "2023年度", "months": "12"}
    assert tree(archive / "2023年度") == before  # read, never written


def test_building_both_years_writes_only_each_years_own_report(archive):
    before = tree(archive)
    for name in ("2023年度", "2024年度"):
        _, target = commands.build(archive / name)
        assert target == archive / name / f"recon-{name}.xlsx"
    after = tree(archive)
    assert sorted(set(after) - set(before)) == ["2023年度/recon-2023年度.xlsx", "2024年度/recon-2024年度.xlsx"]
    assert {k: after[k] for k in before} == before
    # the previous year's report beside it is neither an input nor touched by the next build
    commands.build(archive / "2024年度")
    assert tree(archive)["2023年度/recon-2023年度.xlsx"] == after["2023年度/recon-2023年度.xlsx"]


def test_the_previous_years_own_settings_place_its_months(archive):
    """2023年度 says it starts in January: its months are read so, and only those before this
    year's first month are history."""
    (archive / "2023年度" / "recon.toml").write_text("[year]\nstart_month = 1\n", encoding="utf-8")
    report = build(archive / "2024年度", load(None))
    assert [m.month for m in report.history if m.total] == [f"2023-{n:02d}" for n in range(1, 13)]
    # its invoices.csv still lists 2024-01 … 2024-03: months of that folder, outside its year now
    assert [m.month for m in report.history if not m.total] == ["2024-01", "2024-02", "2024-03"]


def test_unreadable_previous_settings_cost_the_history_not_the_build(archive):
    (archive / "2023年度" / "recon.toml").write_text("[year]\nstart_month = 13\n", encoding="utf-8")
    report = build(archive / "2024年度", load(None))
    assert report.history == () and report.months[0].status == "ok"
    assert keys(report.notes) == ["history_unread", "read_error"]
    assert dict(report.notes[0].params) == {"folder": "2023年度"}
    assert dict(report.notes[1].params)["found"] == "13"


@pytest.mark.parametrize("this, siblings, expected", [
    ("2024年度", ["2023", "2023年度", "FY2023", "2022年度"], "2023年度"),
    ("2024", ["2023", "2023年度"], "2023"),
    ("FY2024", ["fy2023"], "fy2023"),
    ("FY2024", ["2023年度"], None),  # another naming form is not the previous year
    ("2024年度", ["2022年度", "2025年度"], None),
    ("令和6年度", ["令和5年度"], "令和5年度"),
    ("令和6年度", ["R5年度"], "R5年度"),  # 和暦 by name or by letter
    ("令和2年度", ["令和元年度"], "令和元年度"),
    ("令和元年度", ["平成30年度"], "平成30年度"),
    ("R1年度", ["H30年度"], "H30年度"),
    ("2024年度", [], None),
])
def test_the_previous_years_folder_is_named_in_the_same_form(tmp_path, this, siblings, expected):
    for name in (this, *siblings):
        (tmp_path / name).mkdir()
    (tmp_path / "2023年度.txt").write_text("a file, not a folder", encoding="utf-8")
    found = previous_year_folder(tmp_path / this, named_year(this))
    assert (found.name if found else None) == expected


def test_a_folder_named_by_settings_looks_for_no_previous_year(tmp_path):
    (tmp_path / "office").mkdir()
    (tmp_path / "2023").mkdir()
    assert previous_year_folder(tmp_path / "office", folder_year("office", 2024, None)) is None


# ── contracts inside an archive ──────────────────────────────────────────────────────────────────

@pytest.fixture
def contracts(archive, tmp_path) -> Path:
    """本社 and 大阪 in both years. 本社 is the example office; 大阪 had April's international
    calls every month of 2023年度, so the same April is usual there."""
    ocn = tmp_path / "company"
    spike = archive / "2024年度" / "4月.txt"
    for name in ("2023年度", "2024年度"):
        (ocn / name / "本社").mkdir(parents=True)
        (ocn / name / "大阪").mkdir(parents=True)
        for month in (archive / name).glob("*月*.txt"):
            shutil.copy(month, ocn / name / "本社" / month.name)
            shutil.copy(spike if name == "2023年度" else month, ocn / name / "大阪" / month.name)
    return ocn


def test_history_is_matched_per_contract(contracts):
    report = build(contracts / "2024年度", load(None))
    april = {m.account: m for m in report.months if m.month == "2024-04"}
    assert "anomaly_spike" in keys(april["本社"].messages)
    assert not any(k.startswith("anomaly") for k in keys(april["大阪"].messages))
    assert {m.account for m in report.history} == {"本社", "大阪"}
    assert {m.account for m in report.months} == {"本社", "大阪"}
    assert all(m.month >= "2024-04" for m in report.months)


def test_a_subfolder_named_like_a_year_is_never_a_contract(archive):
    report = build(archive, load(None))  # the company folder, holding two years
    assert report.months == () and report.files == ()
    assert keys(report.notes) == ["year_subfolders"]
    assert dict(report.notes[0].params)["folders"] == ("2023年度", "2024年度")


def test_a_year_folder_left_inside_a_year_is_not_read(archive):
    shutil.copytree(archive / "2023年度", archive / "2024年度" / "2023年度")
    report = build(archive / "2024年度", load(None))
    assert {m.account for m in report.months} == {""} and len(report.months) == 12
    assert not any(f.path.startswith("2023年度/") for f in report.files)
    assert "year_subfolders" in keys(report.notes)


# ── the calendar year, where nothing of this applies ─────────────────────────────────────────────

def test_the_example_year_rebuilds_byte_for_byte(tmp_path):
    year = tmp_path / "2024"
    shutil.copytree(EXAMPLE_YEAR, year)
    _, target = commands.build(year)
    assert target.read_bytes() == (EXAMPLE_YEAR / "recon-2024.xlsx").read_bytes()


def test_a_calendar_year_alone_has_no_history_and_no_new_notes(tmp_path):
    year = tmp_path / "2024"
    shutil.copytree(EXAMPLE_YEAR, year)
    report = build(year, load(None))
    assert report.history == () and "history_from" not in keys(report.notes)
    assert all("outside_year" not in keys(m.messages) for m in report.months)


# ── recon init ───────────────────────────────────────────────────────────────────────────────────

def invoice_months(folder: Path) -> list[str]:
    return [line.split(",")[0] for line in (folder / "invoices.csv").read_text(encoding="utf-8-sig").splitlines()[1:]]


@pytest.mark.parametrize("name, options, first, last", [
    ("2024年度", [], "2024-04", "2025-03"),
    ("FY2024", [], "2024-04", "2025-03"),
    ("令和6年度", [], "2024-04", "2025-03"),
    ("2024", [], "2024-01", "2024-12"),
    ("2024", ["--start-month", "10"], "2024-10", "2025-09"),
    ("office", ["--year", "2024"], "2024-01", "2024-12"),
    ("office", ["--year", "2024", "--start-month", "4"], "2024-04", "2025-03"),
])
def test_init_scaffolds_the_years_twelve_months(tmp_path, name, options, first, last):
    folder = tmp_path / name
    result = CliRunner().invoke(main, ["init", str(folder), *options])
    assert result.exit_code == 0, result.output
    months = invoice_months(folder)
    assert (months[0], months[-1], len(months)) == (first, last, 12)
    settings = load(folder / "recon.toml")  # the scaffolded recon.toml reads as what was asked
    asked = dict(zip(options[::2], options[1::2]))
    assert settings.year.year == (int(asked["--year"]) if "--year" in asked else None)
    assert settings.year.start_month == (int(asked["--start-month"]) if "--start-month" in asked else None)


def test_a_folder_not_named_by_its_year_builds_once_init_wrote_the_year(tmp_path):
    folder = tmp_path / "050明細"
    assert CliRunner().invoke(main, ["init", str(folder), "--year", "2024", "--start-month", "4"]).exit_code == 0
    shutil.copy(SEED, folder / "1月.txt")
    report, _ = commands.check(folder)
    assert [m.month for m in report.months if m.total] == ["2025-01"]


def test_init_without_a_year_anywhere_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "office"), "--start-month", "4"])
    assert result.exit_code == 2 and "--year" in result.stderr


def test_init_never_rewrites_settings_to_add_the_year(tmp_path):
    folder = tmp_path / "office"
    folder.mkdir()
    (folder / "recon.toml").write_text("# mine\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(folder), "--year", "2024", "--lang", "en"])
    assert result.exit_code == 0 and "set [year] in it by hand" in result.stderr
    assert (folder / "recon.toml").read_text(encoding="utf-8") == "# mine\n"


@given(st.integers(2000, 2098), st.integers(1, 12), st.integers(1, 12))
def test_every_month_named_alone_lands_inside_its_year(year, start_month, number):
    fiscal = folder_year(f"{year}年度", None, start_month)
    months = fiscal.months
    assert fiscal.place(number) in months and int(fiscal.place(number)[5:]) == number
    assert months == tuple(shift(months[0], k) for k in range(12)) and months[0] == f"{year}-{start_month:02d}"


def test_check_on_the_example_archive_as_a_user_runs_it():
    result = CliRunner().invoke(main, ["check", str(ARCHIVE / "2024年度"), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["folder"] == "2024年度" and doc["workbook"] is None
    assert [(m["month"], m["status"]) for m in doc["months"]][:2] == [("2024-04", "warning"), ("2024-05", "ok")]
    assert [m["month"] for m in doc["months"]][-1] == "2025-03" and len(doc["months"]) == 12
    assert len(doc["files"]) == 13 and not any("2023" in f["path"] for f in doc["files"])


def test_build_on_a_folder_of_years_is_a_usage_error_naming_the_year_to_run(tmp_path):
    from click.testing import CliRunner

    from recon.cli import main

    for year in ("2023年度", "2024年度"):
        (tmp_path / "ocn" / year).mkdir(parents=True)
    result = CliRunner().invoke(main, ["build", str(tmp_path / "ocn")])
    assert result.exit_code == 2 and "recon build" in result.stderr and "2024年度" in result.stderr
    assert not list((tmp_path / "ocn").glob("*.xlsx"))  # no empty workbook


def test_a_month_found_in_both_years_says_which_copy_the_history_took(tmp_path):
    seed = (Path(__file__).parent / "data" / "seed" / "2024-01_table-only.txt").read_text(encoding="utf-8")
    for name, files in (("2023年度", ("3月.txt",)), ("2024年度", ("4月.txt", "2024-03.txt"))):
        (tmp_path / name).mkdir()
        for file in files:
            (tmp_path / name / file).write_text(seed, encoding="utf-8")
    report = build(tmp_path / "2024年度", load(None))
    (overlap,) = [n for n in report.notes if n.key == "history_overlap"]
    assert dict(overlap.params)["months"] == ("2024-03",)
    from recon.view import view

    march = next(r for r in view(report, load(None)).types["general"] if r.month == "2024-03")
    assert march.count == 1096  # counted once, this folder's copy, not added to the previous year's
