"""The view: every figure a person reads, computed once (SPEC §5)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings as hsettings, strategies as st

from recon.pipeline import build
from recon.settings import load
from recon.view import view

SEED = (Path(__file__).parent / "data" / "seed" / "2024-01_table-only.txt").read_text(encoding="utf-8")


def _year(folder: Path, tables: dict[str, str], invoices: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "invoices.csv").write_text("month,amount,basis\n" + invoices, encoding="utf-8")
    return folder


def _table(general: tuple[int, str, int], international: int = 0) -> str:
    count, time, charge = general
    return ("明細\t通話種別\t通話数\t通話時間\t通話料金\n"
            f"通話\t一般通話\t{count}\t{time}\t{charge}\n"
            f"\t国際通話\t{1 if international else 0}\t0:01:00.0\t{international}\n")


def test_an_average_is_rounded_half_up_not_cut(tmp_path):
    # 764 s over 3 calls is 254.666… s: 0:04:14.7, not 0:04:14.6
    folder = _year(tmp_path / "2024", {"2024-01.txt": _table((3, "0:12:44.0", 100))}, "2024-01,100,excl\n")
    (row,) = [r for r in view(build(folder, load(None)), load(None)).types["general"]]
    assert row.avg_tenths == 2547
    assert row.per_call == Decimal("33.33")


@given(st.integers(-10**12, 10**12), st.integers(-10**6, 10**6))
def test_averages_round_half_away_from_zero_as_decimal_quantize_does(numerator, count):
    # the integer arithmetic gives what Decimal's ROUND_HALF_UP gives, the sign of a zero included
    from decimal import ROUND_HALF_UP, localcontext

    from recon.view import average, per_call

    if not count:
        assert average(numerator, count) is None and per_call(numerator, count) is None
        return
    with localcontext() as exact:
        exact.prec = 60
        expected = int((Decimal(numerator) / Decimal(count)).quantize(Decimal(1), ROUND_HALF_UP))
        cents = (Decimal(numerator) / count).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert average(numerator, count) == expected
    got = per_call(numerator, count)
    assert (got, got.as_tuple()) == (cents, cents.as_tuple())


def test_the_year_total_adds_up_the_same_months_on_every_column(tmp_path):
    # February has an invoice but no table, April a table but no invoice: neither is in any column
    # of the total; the invoiced amount of every invoice row stands on a row of its own
    folder = _year(tmp_path / "2024", {"2024-01.txt": SEED, "2024-03.txt": SEED, "2024-04.txt": SEED},
                   "2024-01,128916,excl\n2024-02,5000,excl\n2024-03,129000,excl\n")
    report_view = view(build(folder, load(None)), load(None))
    total = report_view.year_total
    assert (total.charge, total.discount_recomputed, total.fees, total.tax) == (260180, -2348, 0, 0)
    assert (total.expected, total.invoiced, total.variance) == (257832, 257916, 84)
    assert total.invoiced - total.expected == total.variance
    assert total.charge + total.discount_recomputed + total.fees + total.tax == total.expected
    assert total.summed == ("2024-01", "2024-03")
    assert (total.left_out, total.left_out_why) == (("2024-02", "2024-04"), ("no_detail", "no_invoice"))
    assert [m.key for m in total.messages] == ["total_left_out_no_detail", "total_left_out_no_invoice"]
    every = report_view.invoiced_all
    assert (every.invoiced, every.invoice_rows) == (128916 + 5000 + 129000, 3)
    assert [dict(m.params) for m in every.messages] == [{"rows_count": "3", "months": ("2024-02",)}]


def test_a_tax_included_month_shows_its_fees_and_tax_as_parts_of_the_expected_invoice(tmp_path):
    # SPEC §2: floor((130,090 − 1,174 + 330 − 96,870) × 1.10) + 96,870 = 35,613 + 96,870 = 132,483
    folder = tmp_path / "2024"
    folder.mkdir()
    (folder / "2024-01.txt").write_text(SEED, encoding="utf-8")
    (folder / "invoices.csv").write_text("month,amount,basis,fees\n2024-01,132483,incl,330\n", encoding="utf-8")
    report_view = view(build(folder, load(None)), load(None))
    (row,) = report_view.summary
    assert (row.charge, row.discount_recomputed, row.fees, row.tax, row.expected) == (130090, -1174, 330, 3237, 132483)
    assert row.basis == "incl" and row.variance == 0
    total = report_view.year_total
    assert (total.fees, total.tax, total.expected) == (330, 3237, 132483)


def test_a_month_in_error_shows_no_figures_but_its_invoice(tmp_path):
    folder = _year(tmp_path / "2024", {"2024-01.txt": SEED, "2024-01 - コピー.txt": SEED.replace("1096", "1097")},
                   "2024-01,128916,excl\n")
    report_view = view(build(folder, load(None)), load(None))
    (row,) = report_view.summary
    assert row.status == "error"
    assert (row.count, row.charge, row.discount_recomputed, row.expected, row.variance) == (None,) * 5
    assert row.invoiced == 128916
    assert [r.count for r in report_view.types["general"]] == [None]
    assert report_view.chart.months[0].charges == ()


def test_company_rows_never_carry_a_close(tmp_path):
    for contract in ("本社", "支店"):
        _year(tmp_path / "2024" / contract, {"2024-01.txt": SEED}, "2024-01,128916,excl\n")
    rows = view(build(tmp_path / "2024", load(None)), load(None)).summary
    company = [row for row in rows if row.kind == "company"]
    assert len(company) == 1 and company[0].close is None
    assert company[0].charge == 2 * 130090


def test_a_month_ten_times_the_rest_is_clipped_on_the_chart(tmp_path):
    tables = {f"2024-{m:02d}.txt": _table((100, "1:00:00.0", 10_000)) for m in range(2, 7)}
    tables["2024-01.txt"] = _table((100, "1:00:00.0", 10_000), international=100_000)
    folder = _year(tmp_path / "2024", tables, "".join(f"2024-{m:02d},1,excl\n" for m in range(1, 7)))
    chart = view(build(folder, load(None)), load(None)).chart
    assert chart.axis_max == 15_000
    assert chart.clipped == (("2024-01", 110_000),)


def test_the_chart_line_is_the_invoice_as_call_charges(tmp_path):
    # the seed month invoiced tax included, 10 yen over: 132,130 less its tax (3,204), with its 着割
    # (−1,174) added back, is the bars' 130,090 and the 10 yen over
    folder = _year(tmp_path / "2024", {"2024-01.txt": SEED, "2024-03.txt": SEED}, "2024-01,132130,incl\n")
    january, february, march = view(build(folder, load(None)), load(None)).chart.months
    assert january.stacked == 130090 and january.invoiced == 130090 + 10
    assert (february.charges, february.invoiced, february.blank) == ((), None, "no_detail")
    assert (march.stacked, march.invoiced, march.blank) == (130090, None, None)  # no invoice: no point


@hsettings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5000), st.one_of(st.none(), st.integers(0, 9000)),
                          st.booleans()), min_size=1, max_size=12))
def test_every_total_row_adds_up_on_its_own_row(tmp_path_factory, months):
    folder = tmp_path_factory.mktemp("year") / "2024"
    tables, invoices = {}, ""
    for number, (charge, invoiced, has_table) in enumerate(months, 1):
        if has_table:
            tables[f"2024-{number:02d}.txt"] = _table((10, "0:10:00.0", charge))
        if invoiced is not None:
            invoices += f"2024-{number:02d},{invoiced},excl\n"
    _year(folder, tables, invoices)
    report_view = view(build(folder, load(None)), load(None))
    for row in (*report_view.summary, *filter(None, [report_view.year_total])):
        if row.variance is not None:
            assert row.invoiced - row.expected == row.variance


def test_the_previous_year_gives_each_type_row_its_month_a_year_earlier(tmp_path):
    # 2023年度 ends with March 2024; 2024年度 starts in April 2024
    _year(tmp_path / "2023年度", {"4月.txt": _table((100, "1:00:00.0", 800)),
                                  "3月.txt": _table((90, "1:00:00.0", 700))},
          "2023-04,800,excl\n2024-03,700,excl\n")
    this = _year(tmp_path / "2024年度", {"4月.txt": _table((120, "1:00:00.0", 1000))}, "2024-04,1000,excl\n")
    report_view = view(build(this, load(None)), load(None))
    (april,) = report_view.types["general"]
    assert report_view.history
    assert (april.year_ago.count, april.year_ago.charge) == (100, 800)
    assert (april.count_change, april.charge_change) == (30, 300)  # from March, across the boundary


def test_the_year_ago_columns_appear_only_with_history(tmp_path):
    from recon.outputs.workbook.sheets import layout

    assert "year_ago_charge" not in layout("type", False)
    assert "year_ago_charge" in layout("type", False, year_ago=True)


def test_each_call_type_sheet_has_a_year_total_with_its_own_averages(tmp_path):
    folder = _year(tmp_path / "2024", {"2024-01.txt": _table((3, "0:12:44.0", 100)),
                                       "2024-02.txt": _table((1, "0:00:01.0", 1))},
                   "2024-01,100,excl\n2024-02,1,excl\n")
    total = view(build(folder, load(None)), load(None)).type_totals["general"]
    assert (total.count, total.tenths, total.charge) == (4, 7650, 101)
    assert total.avg_tenths == 1913 and total.per_call == Decimal("25.25")  # 765 s / 4, half-up
    assert (total.count_change, total.charge_change) == (None, None)


# ── a blank figure says why ──────────────────────────────────────────────────────────────────────

def test_a_type_without_calls_has_no_average_and_says_so(tmp_path):
    folder = _year(tmp_path / "2024", {"2024-01.txt": _table((0, "0:00:00.0", 0), international=120)},
                   "2024-01,120,excl\n")
    shown = view(build(folder, load(None)), load(None))
    (general,) = shown.types["general"]
    assert (general.count, general.avg_tenths, general.per_call) == (0, None, None)
    assert general.blank == ("no_calls", "no_previous")
    assert shown.type_totals["general"].blank == ("no_calls",)
    (international,) = shown.types["international"]
    assert international.blank == ("no_previous",)  # its average stands: nothing to say but the change


def test_a_change_from_a_previous_month_in_error_says_the_previous_month_is_in_error(tmp_path):
    folder = _year(tmp_path / "2024", {"2024-01.txt": _table((3, "0:12:44.0", 100)),
                                       "2024-02.txt": _table((3, "0:12:44.0", "1O0")),
                                       "2024-04.txt": _table((3, "0:12:44.0", 100)),
                                       "2024-05.txt": _table((3, "0:12:44.0", 100)).replace("国際通話", "IP通話")},
                   "2024-01,100,excl\n2024-02,100,excl\n2024-03,100,excl\n2024-04,100,excl\n2024-05,100,excl\n")
    shown = view(build(folder, load(None)), load(None))
    general = {row.month: row for row in shown.types["general"]}
    assert general["2024-01"].blank == ("no_previous",)
    assert general["2024-02"].blank == ("error",)
    assert general["2024-03"].blank == ("no_detail",)
    assert (general["2024-04"].count_change, general["2024-04"].blank) == (None, ("previous_no_detail",))
    assert (general["2024-05"].count_change, general["2024-05"].blank) == (0, ())
    ip = {row.month: row for row in shown.types["ip"]}
    assert ip["2024-05"].blank == ("no_calls", "previous_no_row")  # the table has an IP row of 0 calls
    folder = _year(tmp_path / "b" / "2024", {"2024-01.txt": _table((3, "0:12:44.0", "1O0")),
                                             "2024-02.txt": _table((3, "0:12:44.0", 100))},
                   "2024-01,100,excl\n2024-02,100,excl\n")
    general = {row.month: row for row in view(build(folder, load(None)), load(None)).types["general"]}
    assert general["2024-02"].blank == ("previous_error",)
    from recon.labels import blank_words

    assert blank_words(general["2024-02"].blank, "ja") == "前月エラー"
    assert blank_words(("no_calls", "previous_error"), "en") == "no calls; previous month in error"
