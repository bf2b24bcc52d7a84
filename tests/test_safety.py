"""What recon says is true, and nothing is ever lost (SPEC §2, §4, §5.1), where a user meets it: the
command line, in-process (CliRunner) and as a whole process with the console's encoding and locale."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from recon.cli import main

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed" / "2024-01.txt"
SEED_TABLE = DATA / "seed" / "2024-01_table-only.txt"
CLOSE_PAGE = Path(__file__).parent.parent / "docs" / "workbook.md"  # the close, its last line quoted
EXAMPLE = Path(__file__).parent.parent / "examples" / "2024"


def run(*args: object, charset: str = "utf-8", env: dict | None = None):
    return CliRunner(charset=charset).invoke(main, [str(a) for a in args], env=env)


def recon(*args: object, env: dict | None = None, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    """recon as a whole process, as a batch file or a cron job starts it."""
    return subprocess.run([sys.executable, "-c", "from recon.cli import main; main()", *map(str, args)],
                          stdout=stdout, stderr=subprocess.PIPE, env={**os.environ, **(env or {})},
                          timeout=120)


def hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def year(tmp_path) -> Path:
    """January as pasted text, February as a workbook (both the seed), their invoices, settings."""
    folder = tmp_path / "2024"
    folder.mkdir()
    shutil.copy(SEED, folder / "2024-01.txt")
    book = openpyxl.Workbook()  # the seed's table pasted into a workbook, as text
    for line in SEED_TABLE.read_text(encoding="utf-8").splitlines():
        book.active.append(line.split("\t"))
    book.save(folder / "2024-02.xlsx")
    (folder / "invoices.csv").write_text("利用月,請求額\n2024-01,128916\n2024-02,128916\n", encoding="utf-8-sig")
    (folder / "recon.toml").write_text("[tolerance]\nyen = 0\n", encoding="utf-8")
    return folder


# ── nothing read is ever written ─────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("name, what", [
    ("2024-01.txt", "this is the detail table for 2024-01, an input"),
    ("2024-02.xlsx", "this is the detail table for 2024-02, an input"),
    ("invoices.csv", "this is the invoiced amounts, an input"),
    ("recon.toml", "this is the settings, an input"),
])
@pytest.mark.parametrize("force", [[], ["--force"]])
def test_an_output_naming_an_input_is_refused_and_the_input_is_unchanged(year, name, what, force):
    before = hashes(year)
    result = run("build", year, "-o", year / name, *force, "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and what in result.stderr and "never writes over an input" in result.stderr
    assert hashes(year) == before


def test_an_output_that_is_the_template_is_refused(year, tmp_path):
    template = tmp_path / "ours.xlsx"
    shutil.copy(Path(__file__).parent.parent / "templates" / "report.xlsx", template)
    before = template.read_bytes()
    result = run("build", year, "--template", template, "-o", template, "--force", "--lang", "en")
    assert result.exit_code == 2 and "this is the report template, an input" in result.stderr
    assert template.read_bytes() == before


def test_an_output_reached_through_a_link_is_still_the_input(year, tmp_path):
    link = tmp_path / "link.xlsx"
    try:
        link.symlink_to(year / "2024-02.xlsx")
    except OSError:
        pytest.skip("no symbolic links here")
    before = hashes(year)
    result = run("build", year, "-o", link, "--force", "--lang", "en")
    assert result.exit_code == 2 and "the detail table for 2024-02" in result.stderr
    assert hashes(year) == before


@pytest.mark.parametrize("command", [["build"], ["check"]])
def test_report_output_in_the_settings_naming_an_input_is_refused(year, command):
    (year / "recon.toml").write_text('[report]\noutput = "invoices.csv"\n', encoding="utf-8")
    before = hashes(year)
    result = run(*command, year, "--lang", "en")
    assert result.exit_code == 2 and "the invoiced amounts, an input" in result.stderr
    assert hashes(year) == before


@pytest.mark.parametrize("name", ["report.csv", "report.xlsm", "report", "report.xlsx.txt"])
def test_an_output_that_is_not_xlsx_is_refused_with_or_without_force(year, tmp_path, name):
    for force in ([], ["--force"]):
        result = run("build", year, "-o", tmp_path / name, *force, "--lang", "en")
        assert result.exit_code == 2 and "expected an output path ending in .xlsx" in result.stderr
        assert not (tmp_path / name).exists()


def test_an_upper_case_suffix_is_an_xlsx(year, tmp_path):
    assert run("build", year, "-o", tmp_path / "REPORT.XLSX", "-q").exit_code == 0
    assert (tmp_path / "REPORT.XLSX").exists()


def test_a_missing_output_folder_is_named_as_such(year, tmp_path):
    result = run("build", year, "-o", tmp_path / "nope" / "report.xlsx", "--lang", "en")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert f"expected an existing output folder ({tmp_path / 'nope'})" in result.stderr


@pytest.mark.parametrize("make, what", [
    (lambda p: openpyxl.Workbook().save(p), "this is an Excel workbook recon did not write; use --force"),
    (lambda p: p.write_text("my notes", encoding="utf-8"), "this is a file that is not an Excel workbook; use --force"),
])
def test_the_did_not_write_it_line_says_what_the_file_is(year, tmp_path, make, what):
    target = tmp_path / "theirs.xlsx"
    make(target)
    before = target.read_bytes()
    result = run("build", year, "-o", target, "--lang", "en")
    assert result.exit_code == 2 and what in result.stderr
    assert target.read_bytes() == before
    assert run("build", year, "-o", target, "--force", "-q").exit_code == 0  # not an input: --force replaces it
    assert target.read_bytes() != before


def test_a_whole_process_with_force_at_an_input_exits_2_and_changes_no_byte(year):
    before = hashes(year)
    for name in ("2024-01.txt", "2024-02.xlsx"):
        done = recon("build", year, "-o", year / name, "--force")
        assert done.returncode == 2, done.stderr
        assert done.stderr.decode().count("\n") == 1 and b"Traceback" not in done.stderr
    assert hashes(year) == before


# ── the console is the user's ────────────────────────────────────────────────────────────────────

def seed_line(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("2024-01"))


def test_a_cp932_redirect_gets_every_figure_and_the_same_exit_status(year, tmp_path):
    """`recon build 2024 > log.txt` on Japanese Windows: cp932, which has no ¥ (U+00A5)."""
    bad = SEED.read_text(encoding="utf-8").replace("\t1096\t", "\t1O96\t")
    (year / "2024-03 \u2713.txt").write_text(bad, encoding="utf-8")  # ✓ is not in cp932 either
    runs = {}
    for encoding in ("utf-8", "cp932"):
        for command in ("build", "check"):
            for lang in ("ja", "en"):
                log = tmp_path / f"{command}-{encoding}-{lang}.txt"
                with log.open("wb") as handle:
                    done = recon(command, year, "--lang", lang, env={"PYTHONIOENCODING": encoding}, stdout=handle)
                assert b"internal error" not in done.stderr, done.stderr
                runs[command, encoding, lang] = done.returncode, log.read_bytes().decode(encoding)
    assert (runs["build", "utf-8", "ja"][0], runs["check", "utf-8", "ja"][0]) == (0, 1)  # March is an error
    for key, (code, _) in runs.items():
        assert code == runs[key[0], "utf-8", "ja"][0], key
    for lang, warning in (("ja", "注意"), ("en", "Warning")):
        text = runs["build", "cp932", lang][1]
        for figure in (warning, "3,016", "109:54:23.5", "-1,174", "128,916"):
            assert figure in seed_line(text)
        # 円 where ¥ cannot be written, in a Japanese line; an English one writes the amount alone
        assert ("130,090円" if lang == "ja" else " 130,090 ") in seed_line(text)
        assert "¥130,090" in seed_line(runs["build", "utf-8", lang][1])
        assert "2024-03 \\u2713.txt:" in text
    assert "expected a count such as 1,096, found '1O96'" in runs["build", "cp932", "en"][1]
    assert "通話数 (例: 1,096)が必要ですが「1O96」でした" in runs["build", "cp932", "ja"][1]
    assert runs["check", "cp932", "en"][1].splitlines()[-1].startswith(
        "close: not done, 1 of 3 months blocks it: 2024-03 error")
    assert runs["check", "cp932", "ja"][1].splitlines()[-1].startswith(
        "締め: 未了。3か月のうち1か月が締めを止めています: 2024-03 エラー")


def test_json_in_cp932_escapes_what_cp932_cannot_write_and_stays_the_same_json(year):
    shutil.copy(SEED, year / "2024-03 \u2713.txt")
    (year / "invoices.csv").write_text("利用月,請求額\n2024-01,128916\n2024-02,128916\n2024-03,128916\n",
                                       encoding="utf-8-sig")
    utf8, cp932 = run("check", year, "--json"), run("check", year, "--json", charset="cp932")
    assert cp932.exit_code == utf8.exit_code == 0
    assert json.loads(cp932.stdout) == json.loads(utf8.stdout)
    assert "2024-03 \u2713.txt" in json.loads(cp932.stdout)["months"][2]["sources"]


def test_in_process_the_cp932_console_never_fails(year):
    result = run("build", year, charset="cp932")
    assert result.exit_code == 0, result.stderr
    assert "130,090円" in seed_line(result.stdout)


C_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": ""}


def test_japanese_file_names_under_a_c_locale_keep_their_months(tmp_path):
    folder = tmp_path / "2024"
    folder.mkdir()
    shutil.copy(SEED, folder / "2024年1月分.txt")
    shutil.copy(SEED, folder / "2月.txt")
    (folder / "invoices.csv").write_text("利用月,請求額\n2024-01,128916\n2024-02,128916\n", encoding="utf-8-sig")
    done = recon("check", folder, "--json", env=C_LOCALE)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert [(m["month"], m["status"], m["sources"]) for m in doc["months"]] == [
        ("2024-01", "warning", ["2024年1月分.txt"]), ("2024-02", "warning", ["2月.txt"])]
    summary = recon("check", folder, "--lang", "en", env=C_LOCALE)
    assert summary.returncode == 0 and summary.stdout.decode("utf-8").splitlines()[-1] == \
        "close: done, all 2 months are open as warnings, which do not block it: 2024-01, 2024-02"
    summary = recon("check", folder, env=C_LOCALE)
    assert summary.returncode == 0 and summary.stdout.decode("utf-8").splitlines()[-1] == \
        "締め: 完了。2か月すべてが注意で未了ですが、締めは止めません: 2024-01、2024-02"


def test_a_year_folder_with_a_japanese_name_under_a_c_locale_builds_its_report_by_its_name(tmp_path):
    folder = tmp_path / "2024年度"
    folder.mkdir()
    shutil.copy(SEED, folder / "2024年4月分.txt")
    shutil.copy(SEED, folder / "2024年5月分.txt")
    done = recon("build", folder, "--json", env=C_LOCALE)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert (doc["folder"], [m["month"] for m in doc["months"]]) == ("2024年度", ["2024-04", "2024-05"])
    assert doc["workbook"].endswith("2024年度/recon-2024年度.xlsx")
    assert (folder / "recon-2024年度.xlsx").is_file()


@pytest.mark.parametrize("args, code, last", [
    (["--lang", "en"], 0, "close: done, all 2 months are open as warnings, which do not block it: 2024-01, 2024-02"),
    (["--lang", "en", "--strict"], 1, "close: not done, all 2 months block it: 2024-01 warning, 2024-02 warning"),
    ([], 0, "締め: 完了。2か月すべてが注意で未了ですが、締めは止めません: 2024-01、2024-02"),
    (["--strict"], 1, "締め: 未了。2か月すべてが締めを止めています: 2024-01 注意、2024-02 注意"),
])
def test_check_ends_with_one_line_on_the_close(year, args, code, last):
    result = run("check", year, *args)
    assert result.exit_code == code and result.stdout.splitlines()[-1] == last


def test_check_speaks_of_one_month_in_the_singular(year):
    (year / "2024-02.xlsx").unlink()
    (year / "invoices.csv").write_text("利用月,請求額\n2024-01,128916\n", encoding="utf-8")
    done = run("check", year, "--lang", "en")
    assert done.stdout.splitlines()[-1] == "close: done, the 1 month is open as a warning, which does not block it: 2024-01"
    assert "1 month: Warning 1" in done.stdout.splitlines()
    blocked = run("check", year, "--lang", "en", "--strict")
    assert blocked.stdout.splitlines()[-1] == "close: not done, the 1 month blocks it: 2024-01 warning"


def test_check_names_every_open_month_and_what_it_lacks(year):
    (year / "invoices.csv").write_text("利用月,請求額\n2024-01,128917\n2024-04,1\n", encoding="utf-8")
    result = run("check", year, "--lang", "en")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == ("close: not done, all 4 months block it: 2024-01 variance, "
                                              "2024-02 no invoice, 2024-03 no table or invoice, 2024-04 no table")
    result = run("check", year)
    assert result.stdout.splitlines()[-1] == ("締め: 未了。4か月すべてが締めを止めています: 2024-01 差異あり、"
                                              "2024-02 請求なし、2024-03 明細・請求なし、2024-04 明細なし")


def test_check_with_no_months_says_so(tmp_path):
    result = run("check", tmp_path, "--lang", "en")
    assert result.exit_code == 1 and result.stdout.splitlines()[-1] == "close: not done, no months found"
    result = run("check", tmp_path)
    assert result.exit_code == 1 and result.stdout.splitlines()[-1] == "締め: 未了。月がひとつもありません"


def test_check_json_keeps_stdout_for_the_document_and_puts_the_close_on_stderr(year):
    result = run("check", year, "--json", "--lang", "en")
    assert json.loads(result.stdout)["schema"] == "recon/1"
    assert result.stderr.splitlines()[-1].startswith("close: done, all 2 months are open as warnings")


def test_check_quiet_prints_nothing(year):
    result = run("check", year, "-q")
    assert (result.exit_code, result.output) == (0, "")


def _boom(*args, **kwargs):
    raise RuntimeError("a bug")


def test_an_internal_error_is_its_own_exit_status_with_one_line(year, monkeypatch):
    monkeypatch.setattr("recon.commands.build_report", _boom)
    result = run("build", year, "--lang", "en")
    assert result.exit_code == 3 and result.stderr.count("\n") == 1
    assert "internal error (RuntimeError: a bug)" in result.stderr and "RECON_DEBUG=1" in result.stderr
    assert "Traceback" not in result.stderr


def _interrupted(*args, **kwargs):
    raise KeyboardInterrupt


def _interrupted_half_way(writer) -> None:
    writer._archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" * 1000)  # the new report half made
    raise KeyboardInterrupt


@pytest.mark.parametrize("command", ["build", "check"])
def test_ctrl_c_is_its_own_exit_status_and_leaves_the_report_as_it_was(year, monkeypatch, command):
    from recon.outputs.workbook.save import BookWriter

    assert run("build", year, "-q").exit_code == 0
    report = year / "recon-2024.xlsx"
    before, files = report.read_bytes(), sorted(year.iterdir())
    if command == "build":  # heard as the new report is written
        monkeypatch.setattr(BookWriter, "save", _interrupted_half_way)
    else:
        monkeypatch.setattr("recon.commands.build_report", _interrupted)
    result = run(command, year)
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "\nAborted!\n")
    assert report.read_bytes() == before and sorted(year.iterdir()) == files  # no temp file left either


def test_ctrl_c_heard_by_the_process_ends_it_with_130():
    """A real SIGINT, as a console sends it, mid-run: one line, and a status a script cannot take
    for check's "a month is open" (1)."""
    script = ("import os, signal, time, sys; import recon.commands as c\n"
              "def heard(*a, **k):\n    os.kill(os.getpid(), signal.SIGINT); time.sleep(5)\n"
              "c.build_report = heard\n"
              "from recon.cli import main; sys.argv = ['recon', 'check', sys.argv[1]]; main()\n")
    done = subprocess.run([sys.executable, "-c", script, str(EXAMPLE)], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "\nAborted!\n")


def test_recon_debug_shows_the_traceback_and_keeps_the_exit_status(year, monkeypatch):
    monkeypatch.setattr("recon.commands.build_report", _boom)
    result = run("build", year, env={"RECON_DEBUG": "1"})
    assert result.exit_code == 3
    assert "Traceback (most recent call last)" in result.stderr and "RuntimeError: a bug" in result.stderr


def test_recon_debug_shows_the_traceback_of_a_file_the_build_recorded_as_an_internal_error(year, monkeypatch):
    monkeypatch.setattr("recon.pipeline.find_tables", _boom)
    quiet = run("build", year, "-q")
    assert quiet.exit_code == 0 and "Traceback" not in quiet.output  # one odd file costs nothing more
    debug = run("build", year, "-q", env={"RECON_DEBUG": "1"})
    assert debug.exit_code == 0
    assert "internal error reading 2024-01.txt" in debug.stderr and "Traceback" in debug.stderr
    assert "RuntimeError: a bug" in debug.stderr


def test_strict_means_the_same_in_the_help_and_the_docs():
    help_text = " ".join(run("check", "--help").output.split())
    readme = " ".join(CLOSE_PAGE.read_text(encoding="utf-8").split())
    sentence = "A warning passes only when closed (explained and signed off), like any other open month."
    assert sentence in help_text and f"`--strict`: {sentence}" in readme


@pytest.mark.parametrize("example, lang, readme", [
    ("2024", "ja", CLOSE_PAGE), ("2024", "en", CLOSE_PAGE), ("calls/2024", "ja", EXAMPLE.parent / "README.md")])
def test_the_docs_quote_the_close_line_the_examples_print(example, lang, readme, tmp_path):
    folder = tmp_path / example
    shutil.copytree(EXAMPLE.parent / example, folder)
    last = run("check", folder, "--lang", lang).stdout.splitlines()[-1]
    assert last in " ".join(readme.read_text(encoding="utf-8").replace("`", " ` ").split())


# ── a month in error shows no figures as its own ─────────────────────────────────────────────────

def test_two_different_copies_of_a_month_show_neither_copys_figures(year):
    copy = SEED.read_text(encoding="utf-8").replace("\t10,240", "\t10,250")
    (year / "2024-01 - コピー.txt").write_text(copy, encoding="utf-8")
    result = run("check", year, "--json")
    assert result.exit_code == 1
    january = json.loads(result.stdout)["months"][0]
    assert (january["status"], january["sources"]) == ("error", ["2024-01 - コピー.txt", "2024-01.txt"])
    assert (january["total"], january["stated_total"], january["discount"], january["types"]) == (None, None, None, {})
    assert (january["expected_invoice"], january["invoice_variance"], january["checks"]) == (None, None, [])
    assert january["invoiced"] == 128916
    (message,) = january["messages"]
    assert message.startswith("2024-01 - コピー.txt and 2024-01.txt hold different tables for this month (")
    line = seed_line(run("check", year, "--lang", "en").stdout).split()
    assert line[:3] == ["2024-01", "Error", "Open"] and line[3:] == ["-"] * 7 + ["128,916", "-"]
    line = seed_line(run("check", year).stdout).split()
    assert line[:3] == ["2024-01", "エラー", "未了"] and line[3:] == ["-"] * 7 + ["128,916", "-"]


# ── tax ──────────────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("settings, amount", [("", "132,120"), ('[tax]\ninternational = "taxable"\n', "141,807")])
def test_a_tax_included_seed_month_ties_out_with_international_calls_exempt(year, settings, amount):
    (year / "invoices.csv").write_text(f'利用月,請求額,税区分\n2024-01,"{amount}",税込\n', encoding="utf-8-sig")
    (year / "recon.toml").write_text(settings, encoding="utf-8")
    (year / "2024-02.xlsx").unlink()
    result = run("check", year)
    assert result.exit_code == 0, result.output
    assert seed_line(result.stdout).split()[-3:] == [amount, amount, "0"]


# ── notes follow the report ──────────────────────────────────────────────────────────────────────

NOTE = "OCN の画面の合計時間が 10 時間多い (問合せ済み)"


def _type_on_summary(path: Path, month: str, **fields) -> None:
    from recon import labels

    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    words = {word: key for key, ja, en in labels.HEADERS["summary"] for word in (ja, en)}
    col = {words[c.value]: c.column for c in ws[1] if c.value in words}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["month"]).value == month)
    for field, value in fields.items():
        ws.cell(row, col[field]).value = value
    wb.save(path)


def _close(folder: Path, *args) -> dict:
    doc = json.loads(run("build", folder, "--json", *args).stdout)
    return {m["month"]: m["close"] for m in doc["months"]}


def test_notes_typed_into_the_folders_report_follow_into_an_english_copy(year, tmp_path):
    assert run("build", year, "-q").exit_code == 0
    _type_on_summary(year / "recon-2024.xlsx", "2024-01", explanation=NOTE, reviewer="佐藤", signed_on="2024-02-20")
    copy = tmp_path / "for-the-auditor.xlsx"
    close = _close(year, "--lang", "en", "-o", copy)
    assert (close["2024-01"]["explanation"], close["2024-01"]["reviewer"]) == (NOTE, "佐藤")
    assert close["2024-01"]["signed_on"] == "2024-02-20"
    summary = openpyxl.load_workbook(copy)["Summary"]
    cells = [c.value.replace("\n", "") for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
    assert NOTE in cells and "explanations and sign-offs carried from recon-2024.xlsx" in cells
    assert _close(year, "--lang", "en", "-o", copy)["2024-01"]["explanation"] == NOTE  # now from the copy


def test_the_output_paths_own_notes_win_over_the_folders(year, tmp_path):
    assert run("build", year, "-q").exit_code == 0
    _type_on_summary(year / "recon-2024.xlsx", "2024-01", explanation="in the folder's report")
    copy = tmp_path / "copy.xlsx"
    assert run("build", year, "-o", copy, "-q").exit_code == 0
    _type_on_summary(copy, "2024-01", explanation="typed into the copy")
    assert _close(year, "-o", copy)["2024-01"]["explanation"] == "typed into the copy"
    assert _close(year)["2024-01"]["explanation"] == "in the folder's report"


def test_a_workbook_replaced_with_force_takes_the_folders_notes(year, tmp_path):
    assert run("build", year, "-q").exit_code == 0
    _type_on_summary(year / "recon-2024.xlsx", "2024-02", explanation=NOTE)
    theirs = tmp_path / "theirs.xlsx"
    openpyxl.Workbook().save(theirs)
    assert _close(year, "-o", theirs, "--force")["2024-02"]["explanation"] == NOTE


def test_force_never_replaces_a_workbook_elsewhere_that_holds_a_detail_table(year, tmp_path):
    # another year's month, or a copy of one, outside the folder being built: never an output
    month = tmp_path / "2023-12.xlsx"
    shutil.copy(Path(__file__).parent / "data" / "seed" / "2024-01.xlsx", month)
    before = month.read_bytes()
    result = CliRunner().invoke(main, ["build", str(year), "-o", str(month), "--force", "--lang", "en"])
    assert result.exit_code == 2 and "a workbook that holds a detail table" in result.stderr
    assert month.read_bytes() == before


def test_console_columns_line_up_under_wide_contract_names(tmp_path):
    import unicodedata

    for contract in ("名古屋営業所", "本社"):
        (tmp_path / "2024" / contract).mkdir(parents=True)
        shutil.copy(SEED, tmp_path / "2024" / contract / "2024-01.txt")
    (tmp_path / "2024" / "invoices.csv").write_text(
        "契約,利用月,請求額\n名古屋営業所,2024-01,128916\n本社,2024-01,128916\n", encoding="utf-8")
    width = lambda text: len(text) + sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    for lang, month, status, warning in (("en", "Month", "Status", "Warning"), ("ja", "利用月", "状態", "注意")):
        result = run("check", tmp_path / "2024", "--lang", lang)
        header, *rows = [line for line in result.stdout.splitlines() if line.startswith((month, "名古屋", "本社"))]
        status_end = width(header[:header.index(status) + len(status)])
        assert len(rows) == 2
        for row in rows:  # each status word ends under the header's
            assert width(row[:row.index(warning) + len(warning)]) == status_end, row


def test_a_reader_that_stops_reading_ends_the_printing_not_the_command(year):
    # the reader is gone before recon prints a byte (`recon check | head -0`): every write hits a
    # closed pipe, and the exit status still answers the close
    process = subprocess.Popen([sys.executable, "-m", "recon", "check", str(year)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    process.stdout.close()
    stderr = process.stderr.read().decode("utf-8", "replace")
    assert process.wait(timeout=60) == 0
    assert "internal error" not in stderr and "Traceback" not in stderr