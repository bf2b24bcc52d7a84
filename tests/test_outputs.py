"""The output registry, the template command and `python -m recon`."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from recon import outputs
from recon.cli import main
from recon.outputs.workbook.template import TEMPLATE
from recon.pipeline import build
from recon.settings import load
from recon.view import ReportView, view

SEED = (Path(__file__).parent / "data" / "seed" / "2024-01_table-only.txt").read_text(encoding="utf-8")


def _seed_view(tmp_path: Path) -> ReportView:
    folder = tmp_path / "2024"
    folder.mkdir()
    (folder / "2024-01.txt").write_text(SEED, encoding="utf-8")
    (folder / "invoices.csv").write_text("month,amount\n2024-01,128916\n", encoding="utf-8")
    return view(build(folder, load(None)), load(None))


def test_a_new_output_is_one_function_and_one_entry(tmp_path, monkeypatch):
    monkeypatch.setattr(outputs, "OUTPUTS", dict(outputs.OUTPUTS))

    def month_lines(report: ReportView, stream, settings=None) -> None:
        for row in report.summary:
            stream.write(f"{row.month},{row.charge},{row.variance}\n")

    outputs.register(outputs.Output("month-lines", month_lines, "stream"))
    out = io.StringIO()
    outputs.get("month-lines").write(_seed_view(tmp_path), out)
    assert out.getvalue() == "2024-01,130090,0\n"


def test_the_builtin_outputs_are_registered_once():
    assert {"xlsx", "json", "console"} <= set(outputs.OUTPUTS)
    try:
        outputs.register(outputs.Output("json", "recon.outputs.json:write", "stream"))
    except ValueError:
        pass
    else:
        raise AssertionError("a second json output was accepted")


def test_json_and_console_lay_out_the_same_totals(tmp_path):
    report = _seed_view(tmp_path)
    text, document = io.StringIO(), io.StringIO()
    outputs.get("console").write(report, text)
    outputs.get("json").write(report, document)
    assert "¥130,090" in text.getvalue() and '"charge": 130090' in document.getvalue()
    assert '"totals"' in document.getvalue()


def test_template_writes_a_copy_and_never_replaces_a_file(tmp_path):
    out = tmp_path / "our-template.xlsx"
    result = CliRunner().invoke(main, ["template", str(out)])
    assert result.exit_code == 0 and out.read_bytes() == TEMPLATE.read_bytes()
    out.write_bytes(b"restyled")
    result = CliRunner().invoke(main, ["template", str(out)])
    assert result.exit_code == 2 and out.read_bytes() == b"restyled"
    assert CliRunner().invoke(main, ["template", str(tmp_path / "t.csv")]).exit_code == 2


def test_the_template_lives_at_the_top_of_the_tree():
    assert TEMPLATE == Path(__file__).resolve().parents[1] / "templates" / "report.xlsx"


def test_python_dash_m_recon_runs_the_command():
    result = subprocess.run([sys.executable, "-m", "recon", "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "recon build" not in result.stderr and "build" in result.stdout


class _Pieces:
    """A text stream that keeps each write apart."""

    def __init__(self, encoding: str = "utf-8"):
        self.encoding, self.writes = encoding, []

    def write(self, text: str) -> None:
        self.writes.append(text)


def _example_view() -> ReportView:
    folder = Path(__file__).resolve().parent.parent / "examples" / "2024"
    return view(build(folder, load(None)), load(None))


def test_json_is_written_a_month_at_a_time_and_is_the_whole_document():
    from recon.outputs.json import document

    report = _example_view()
    stream = _Pieces()
    outputs.get("json").write(report, stream)
    whole = document(report).model_dump_json(by_alias=True, indent=1) + "\n"
    assert "".join(stream.writes) == whole
    assert len(stream.writes) > len(report.months) + len(report.files)  # one piece a month and a file at least
    assert max(map(len, stream.writes)) < len(whole) / 5  # no piece near the whole


def test_json_of_a_folder_without_months_or_files_is_the_whole_document(tmp_path):
    from recon.outputs.json import document

    (tmp_path / "2024").mkdir()
    report = view(build(tmp_path / "2024", load(None)), load(None))
    stream = _Pieces()
    outputs.get("json").write(report, stream)
    assert "".join(stream.writes) == document(report).model_dump_json(by_alias=True, indent=1) + "\n"
    assert '"months": [],' in "".join(stream.writes)


def test_json_for_a_console_that_cannot_write_a_character_escapes_it_and_says_the_same(tmp_path):
    import json

    from recon.outputs.json import document

    report = _seed_view(tmp_path)
    stream = _Pieces("ascii")
    outputs.get("json").write(report, stream)
    text = "".join(stream.writes)
    text.encode("ascii")  # every piece written so that the console can take it
    assert json.loads(text) == json.loads(document(report).model_dump_json(by_alias=True))


def _lines(report: ReportView) -> tuple[str, dict]:
    import json

    text, document = io.StringIO(), io.StringIO()
    outputs.get("console").write(report, text)
    outputs.get("json").write(report, document)
    return text.getvalue(), json.loads(document.getvalue())


def test_the_year_totals_status_is_what_the_console_shows_not_the_worst_months(tmp_path):
    folder = tmp_path / "2024"
    folder.mkdir()
    (folder / "2024-01.txt").write_text(SEED, encoding="utf-8")  # a warning: OCN's stated time is off
    (folder / "2024-02.txt").write_text("通話種別\t通話数\t通話時間\t通話料金\n一般通話\t一\t0:01:00\t8\n",
                                        encoding="utf-8")  # an error
    (folder / "invoices.csv").write_text("month,amount\n2024-01,128916\n", encoding="utf-8")
    text, document = _lines(view(build(folder, load(None)), load(None)))
    year = document["totals"]["year"]
    assert (year["status"], year["to_review"], year["worst_status"]) == ("review", 2, "error")
    assert [line.split()[1] for line in text.splitlines() if line.startswith("年間合計")] == ["2件要確認"]


def test_a_year_with_nothing_to_review_is_ok_in_both(tmp_path):
    folder = tmp_path / "2024"
    folder.mkdir()
    (folder / "2024-01.txt").write_text(SEED.replace("119:54:23.5", "109:54:23.5"), encoding="utf-8")
    (folder / "invoices.csv").write_text("month,amount\n2024-01,128916\n", encoding="utf-8")
    text, document = _lines(view(build(folder, load(None)), load(None)))
    year = document["totals"]["year"]
    assert (year["status"], year["to_review"], year["worst_status"]) == ("ok", 0, "ok")
    assert [line.split()[1] for line in text.splitlines() if line.startswith("年間合計")] == ["すべて一致"]
