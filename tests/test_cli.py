"""The command line through click's CliRunner: every command, option and exit code."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from recon.cli import main
from recon.outputs.json import Document

SEED = Path(__file__).parent / "data" / "seed" / "2024-01.txt"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def year(tmp_path) -> Path:
    folder = tmp_path / "2024"
    folder.mkdir()
    shutil.copy(SEED, folder / "2024-01.txt")
    (folder / "invoices.csv").write_text("利用月,請求額\n2024-01,128916\n", encoding="utf-8-sig")
    return folder


@pytest.mark.parametrize("command", [[], ["build"], ["check"], ["init"]])
def test_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_version():
    assert run("--version").output.startswith("recon, version ")


def test_build_writes_the_workbook_and_prints_the_seed_month(year):
    result = run("build", year, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert (year / "recon-2024.xlsx").exists()
    line = next(line for line in result.output.splitlines() if line.startswith("2024-01"))
    for figure in ("Warning", "3,016", "109:54:23.5", "¥130,090", "-1,174", "128,916"):
        assert figure in line
    assert "over the recomputed 109:54:23.5 by 10:00:00" in result.output


def test_the_console_speaks_japanese_by_default(year):
    result = run("build", year)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header, line = (next(line for line in lines if line.startswith(first)) for first in ("利用月", "2024-01"))
    above = lines[lines.index(header) - 1]  # a header wider than its figures goes on two lines, as the sheet's
    assert above.split() == ["着割"] and above.index("着割") > header.index("通話料金")
    assert header.split() == ["利用月", "状態", "締め", "通話数", "通話時間", "通話料金", "(再計算)",
                              "基本料等", "消費税", "請求見込額", "請求額", "差額"]
    assert line.split() == ["2024-01", "注意", "未了", "3,016", "109:54:23.5", "¥130,090", "-1,174",
                            "0", "0", "128,916", "128,916", "0"]
    assert "合計通話時間: 明細の値 119:54:23.5 は再計算 109:54:23.5 より 10:00:00 多い" in result.output
    assert "1か月: 注意 1" in result.output and "ファイル 2件: 読込済 2" in result.output


def test_build_to_another_path(year, tmp_path):
    out = tmp_path / "out" / "report.xlsx"
    out.parent.mkdir()
    assert run("build", year, "-o", out, "--quiet").exit_code == 0
    assert out.exists() and not (year / "recon-2024.xlsx").exists()


def test_build_json_carries_the_document_alone_on_stdout(year):
    result = CliRunner().invoke(main, ["build", str(year), "--json"])
    assert result.exit_code == 0
    doc = Document.model_validate_json(result.stdout)
    assert doc.workbook.endswith("recon-2024.xlsx")
    january = doc.months[0]
    assert (january.total.count, january.total.duration_s, january.total.charge) == (3016, 395663.5, 130090)


def test_check_json_matches_the_schema_example(year):
    result = run("check", year, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    Document.model_validate(data)
    assert data["schema"] == "recon/1" and data["workbook"] is None
    january = data["months"][0]
    assert january["stated_total"] == {"count": 3016, "duration_s": 431663.5, "charge": None}
    assert january["discount"] == {"count": 3016, "duration_s": 140863.0, "stated": -1174, "recomputed": -1174}
    assert [c["check"] for c in january["checks"]] == ["total_count", "total_duration", "discount", "invoice"]
    duration = january["checks"][1]
    assert (duration["ok"], duration["difference"]) == (False, 36000.0)
    assert {f["path"]: f["status"] for f in data["files"]} == {"2024-01.txt": "read", "invoices.csv": "read"}


def test_check_writes_nothing(year):
    before = sorted(p.name for p in year.iterdir())
    run("check", year)
    assert sorted(p.name for p in year.iterdir()) == before


def test_check_passes_on_warning_and_fails_strict(year):
    assert run("check", year, "--quiet").exit_code == 0
    assert run("check", year, "--strict", "--quiet").exit_code == 1


def test_check_fails_on_a_variance(year):
    (year / "invoices.csv").write_text("利用月,請求額\n2024-01,128917\n", encoding="utf-8")
    assert run("check", year, "-q").exit_code == 1


def test_check_fails_with_no_months(tmp_path):
    assert run("check", tmp_path, "-q").exit_code == 1


@pytest.mark.parametrize("command", [["build"], ["check"], ["journal", "--format", "yayoi"]])
def test_missing_folder_is_a_usage_error_in_one_line(tmp_path, command):
    result = CliRunner().invoke(main, [command[0], str(tmp_path / "nope"), *command[1:], "--lang", "en"])
    assert result.exit_code == 2
    assert result.stderr == f"recon: {tmp_path / 'nope'}: expected an existing folder (the one the year's files are in)\n"
    result = CliRunner().invoke(main, [command[0], str(tmp_path / "nope"), *command[1:]])  # Japanese unless told
    assert result.exit_code == 2
    assert result.stderr == f"recon: {tmp_path / 'nope'}: 存在するフォルダ (年度の入力を置いたもの)が必要です\n"
    (tmp_path / "2024").write_text("", encoding="utf-8")  # a file where the folder should be
    result = CliRunner().invoke(main, [command[0], str(tmp_path / "2024"), *command[1:], "--lang", "en"])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("expected an existing folder (the one the year's files are in), found '2024'")
    assert list(tmp_path.iterdir()) == [tmp_path / "2024"]  # nothing written


def test_bad_setting_is_one_line_naming_the_key(year):
    (year / "recon.toml").write_text("[discount]\nrate = 1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(year), "--lang", "en"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "recon: recon.toml: expected a known setting, found 'discount.rate'"
    result = CliRunner().invoke(main, ["build", str(year)])  # the settings cannot be read: Japanese
    assert result.stderr.strip() == "recon: recon.toml: recon の設定項目が必要ですが「discount.rate」でした"
    assert not (year / "recon-2024.xlsx").exists()


def test_bad_setting_value_names_the_key(year):
    (year / "recon.toml").write_text('[report]\nlang = "fr"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(year)])
    assert result.exit_code == 2 and "report.lang" in result.stderr


def test_option_overrides_the_settings_file(year):
    (year / "recon.toml").write_text('[report]\nlang = "en"\n', encoding="utf-8")
    import openpyxl

    run("build", year, "--lang", "ja", "-q")
    assert openpyxl.load_workbook(year / "recon-2024.xlsx").sheetnames[0] == "サマリー"


def test_build_refuses_to_overwrite_a_workbook_it_did_not_write(year):
    foreign = year / "recon-2024.xlsx"
    import openpyxl

    openpyxl.Workbook().save(foreign)
    before = foreign.read_bytes()
    result = CliRunner().invoke(main, ["build", str(year)])
    assert result.exit_code == 2 and "--force" in result.stderr
    assert foreign.read_bytes() == before
    assert run("build", year, "--force", "-q").exit_code == 0
    assert foreign.read_bytes() != before


def test_build_replaces_its_own_report(year):
    assert run("build", year, "-q").exit_code == 0
    assert run("build", year, "-q").exit_code == 0


def test_a_bad_value_is_an_error_month_and_the_others_still_reconcile(year):
    bad = SEED.read_text(encoding="utf-8").replace("\t1096\t", "\t1O96\t")
    (year / "2024-02.txt").write_text(bad, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(year), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    statuses = {m["month"]: m["status"] for m in data["months"]}
    assert statuses == {"2024-01": "warning", "2024-02": "error"}
    bad_file = next(f for f in data["files"] if f["path"] == "2024-02.txt")
    assert bad_file["status"] == "error"
    assert "2024-02.txt:" in bad_file["message"] and "expected a count" in bad_file["message"]
    assert "Traceback" not in result.output


def test_init_scaffolds_a_year_and_keeps_existing_files(tmp_path):
    folder = tmp_path / "2025"
    assert run("init", folder).exit_code == 0
    invoices = (folder / "invoices.csv").read_text(encoding="utf-8-sig").splitlines()
    assert invoices[0].startswith("利用月,請求額") and invoices[1].startswith("2025-01") and len(invoices) == 13
    assert "[discount]" in (folder / "recon.toml").read_text(encoding="utf-8")
    (folder / "invoices.csv").write_text("mine", encoding="utf-8")
    assert run("init", folder).exit_code == 0
    assert (folder / "invoices.csv").read_text(encoding="utf-8") == "mine"


def test_a_fresh_scaffold_has_no_months_yet(tmp_path):
    folder = tmp_path / "2025"
    run("init", folder)
    result = run("check", folder, "--json")
    assert result.exit_code == 1 and json.loads(result.stdout)["months"] == []


def test_init_needs_a_year(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "office")])
    assert result.exit_code == 2 and "--year" in result.stderr
    assert run("init", tmp_path / "office", "--year", "2024").exit_code == 0


# ── a line about the command itself speaks the report's language (SPEC §4) ───────────────────────

def _stderr(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 2, (result.output, result.exception)
    assert result.stderr.count("\n") == 1  # one line, never a usage block
    return result.stderr


def test_a_usage_error_follows_the_reports_lang_setting_when_no_option_says_otherwise(year, tmp_path):
    (year / "recon.toml").write_text('[report]\nlang = "en"\n', encoding="utf-8")
    assert _stderr("build", year, "-o", tmp_path / "out.pdf").endswith("expected an output path ending in .xlsx, "
                                                                      "found 'out.pdf'\n")
    assert "名前が .xlsx で終わる出力先が必要です" in _stderr("build", year, "-o", tmp_path / "out.pdf", "--lang", "ja")
    (year / "recon.toml").unlink()
    assert "名前が .xlsx で終わる出力先が必要です" in _stderr("build", year, "-o", tmp_path / "out.pdf")


@pytest.mark.parametrize("option", ["--config", "--template"])
def test_a_missing_settings_file_or_template_is_one_line_in_the_reports_language(year, tmp_path, option):
    missing = tmp_path / ("missing.toml" if option == "--config" else "missing.xlsx")
    assert _stderr("build", year, option, missing) == f"recon: {missing}: 存在するファイルが必要です\n"
    assert _stderr("build", year, option, missing, "--lang", "en") == f"recon: {missing}: expected an existing file\n"
    assert not (year / "recon-2024.xlsx").exists()


@pytest.mark.parametrize("command", [["build", "-o"], ["journal", "--format", "yayoi", "-o"]])
def test_an_output_that_is_a_folder_is_one_line(year, tmp_path, command):
    folder = tmp_path / "out.xlsx" if command[0] == "build" else tmp_path / "out.csv"
    folder.mkdir()
    line = _stderr(command[0], year, *command[1:], folder, "--lang", "en")
    assert line == f"recon: {folder}: expected a file, not a folder\n"


def test_journal_speaks_the_language_it_is_given(year, tmp_path):
    english = CliRunner().invoke(main, ["journal", str(year), "--format", "yayoi", "--lang", "en", "--all"])
    assert english.exit_code == 0 and english.stderr.splitlines()[-1].startswith("wrote ")
    japanese = CliRunner().invoke(main, ["journal", str(year), "--format", "yayoi", "--lang", "ja", "--all",
                                         "-o", str(tmp_path / "j.csv")])
    assert japanese.exit_code == 0 and "件の仕訳を書き出しました" in japanese.stderr
    assert _stderr("journal", year, "--format", "yayoi", "-o", tmp_path / "j.pdf", "--lang", "en") == (
        f"recon: {tmp_path / 'j.pdf'}: expected a .csv or .txt journal file that is not an input, found '.pdf'\n")


def test_init_and_template_speak_the_language_they_are_given(tmp_path):
    done = CliRunner().invoke(main, ["init", str(tmp_path / "2024")])
    assert done.exit_code == 0 and done.stderr.splitlines()[0].endswith("invoices.csv を書きました")
    again = CliRunner().invoke(main, ["init", str(tmp_path / "2024"), "--lang", "en"])
    assert again.stderr.splitlines()[0].startswith("kept ")
    assert _stderr("template", tmp_path / "2024" / "invoices.csv") == (
        f"recon: {tmp_path / '2024' / 'invoices.csv'}: 拡張子 .xlsx のファイル名が必要ですが「.csv」でした\n")


def test_a_bug_is_one_line_in_the_reports_language(year, monkeypatch):
    from recon import commands

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(commands, "check", broken)
    result = CliRunner().invoke(main, ["check", str(year)])
    assert result.exit_code == 3 and result.stderr == (
        "recon: 内部エラー (ZeroDivisionError: division by zero)。お手数ですがご報告ください。"
        "詳しくは RECON_DEBUG=1 を付けて実行してください\n")
    english = CliRunner().invoke(main, ["check", str(year), "--lang", "en"])
    assert english.stderr == ("recon: internal error (ZeroDivisionError: division by zero); please report it, "
                              "with RECON_DEBUG=1 set for the details\n")


def test_the_english_console_uses_the_sheets_words_and_no_japanese_unit_under_cp932(year):
    """Headers as the summary sheet writes them (Discount (recomputed), Expected invoice), on two
    lines where a header is wider than its figures; a charge under cp932, which has no ¥, is a
    plain amount like the others, not 130,090円 in an English line."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "cp932"}
    done = subprocess.run([sys.executable, "-m", "recon", "check", str(year), "--lang", "en"], env=env,
                          capture_output=True, timeout=120, check=False)
    lines = done.stdout.decode("cp932").splitlines()
    top, header, first = lines[0], lines[1], lines[2]
    assert header.split()[:6] == ["Month", "Status", "Close", "Calls", "Call", "time"]
    assert "Discount" in top and "Expected" in top and "(recomputed)" in header and "invoice" in header
    assert first.split()[5] == "130,090" and "円" not in done.stdout.decode("cp932")


@pytest.mark.parametrize("rule, numbers, ja, en", [
    ("number_share", ("05055550107",), "番号 050-5555-0107 がこの月の通話料金の 58% (",
     "number 050-5555-0107 accounts for 58% of the month's charge ("),
    ("burst", ("05055550107",), "02:05:19、番号 050-5555-0107)", "02:05:19, number 050-5555-0107)"),
    ("burst", ("05055550107", "0312345678"), "02:05:19、番号 050-5555-0107、03-1234-5678)",
     "02:05:19, numbers 050-5555-0107, 03-1234-5678)"),
])
def test_a_findings_numbers_are_named_as_each_language_lists_them(rule, numbers, ja, en):
    import datetime as dt

    from recon import labels
    from recon.model import Finding
    from recon.reconcile import finding_message

    finding = Finding(rule, 74, 821100, dt.datetime(2024, 11, 16, 2, 5, 19), numbers, (),
                      (("share", "58"), ("minutes", "35")))
    message = finding_message(finding)
    said = labels.render(message, "ja"), labels.render(message, "en")
    assert (said[0].startswith(ja) or said[0].endswith(ja)) and (said[1].startswith(en) or said[1].endswith(en))


def test_a_template_setting_naming_no_file_says_so_in_words(tmp_path):
    """`[report] template` naming a file that is not there: exit 2 and what is expected, never the
    name of a Python exception (FileNotFoundError)."""
    folder = tmp_path / "2024"
    shutil.copytree(Path(__file__).parent.parent / "examples" / "2024", folder)
    (folder / "recon.toml").write_text('[report]\ntemplate = "our-template.xlsx"\n', encoding="utf-8")
    for lang, said in (("ja", "our-template.xlsx: 存在するファイルが必要です"),
                       ("en", "our-template.xlsx: expected an existing file")):
        run = CliRunner().invoke(main, ["build", str(folder), "-q", "--lang", lang])
        assert run.exit_code == 2 and said in run.output and "Error" not in run.output
    (folder / "our-template.xlsx").write_bytes(b"nope")
    run = CliRunner().invoke(main, ["build", str(folder), "-q", "--lang", "en"])
    assert run.exit_code == 2 and "found 'not a zip archive" in run.output


def test_build_elsewhere_and_check_list_the_same_files_never_the_folders_own_report(tmp_path):
    """recon's own report is no input: `build -o` elsewhere passes over the folder's report as
    `check` does, in the counts and in --json `files`; a copy of it stays listed (SPEC §1)."""
    year = tmp_path / "2024"
    shutil.copytree(Path(__file__).parents[1] / "examples" / "2024", year)
    shutil.copy(year / "recon-2024.xlsx", year / "recon-2024 - コピー.xlsx")
    runner = CliRunner()
    built = runner.invoke(main, ["build", str(year), "-o", str(tmp_path / "auditor.xlsx"), "--json"])
    checked = runner.invoke(main, ["check", str(year), "--json"])
    assert built.exit_code == 0 and checked.exit_code == 1
    listed = [[(f["path"], f["status"]) for f in json.loads(r.stdout)["files"]] for r in (built, checked)]
    assert listed[0] == listed[1]
    assert ("recon-2024 - コピー.xlsx", "ignored") in listed[0]
    assert "recon-2024.xlsx" not in {path for path, _ in listed[0]}
    lines = [runner.invoke(main, [*command, "--lang", "en"]).output.splitlines()
             for command in (["build", str(year), "-o", str(tmp_path / "auditor.xlsx")], ["check", str(year)])]
    files_line = "15 files: read 11, ignored 3, error 1"  # the copy, メモ.txt and the PDF are ignored
    assert files_line in lines[0] and files_line in lines[1]
