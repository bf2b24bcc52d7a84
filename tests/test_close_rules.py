"""The close's rules (recon.signoff) on months made by hand: when a month is closed, when a sign-off
is void, which texts are carried, and what `recon check` lets pass (SPEC §4, §5.1)."""
from __future__ import annotations

import pytest

from recon.model import Check, Fingerprint, Message, MonthResult, Prior, PriorMonth, Report, Where
from recon.signoff import apply, passes

NOW = Fingerprint("detail-now", "invoice-now")
W = Where("2024-01.txt", line=3)
EARLIER = Message.of("no_total_row")  # a message the month had before the close looked at it


def month(status: str = "warning", failing: tuple[str, ...] = (), passing: tuple[str, ...] = ("total_count",),
          name: str = "2024-01", account: str = "") -> MonthResult:
    checks = tuple(Check(c, False, 2, 1, 1, "yen", W) for c in failing) + \
        tuple(Check(c, True, 1, 1, 0, "yen", W) for c in passing)
    return MonthResult(account=account, month=name, status=status, sources=(), rows=(), total=None,
                       stated_total=None, discount=None, expected_invoice=None, invoice=None, checks=checks,
                       messages=(EARLIER,), fingerprint=NOW)


def closed(result: MonthResult, prior: Prior) -> MonthResult:
    (done,) = apply(Report("2024", (result,), ()), prior).months
    return done


def signed(explanation: str = "", basis: Fingerprint | None = NOW, reviewer: str = "佐藤",
           signed_on: str = "2024-02-20") -> PriorMonth:
    """A sign-off recon recorded in the previous report on `basis`."""
    return PriorMonth(explanation, reviewer, signed_on, shown=basis, basis=basis, basis_reviewer=reviewer,
                      basis_signed_on=signed_on)


def keys(result: MonthResult) -> list[str]:
    return [m.key for m in result.messages]


@pytest.mark.parametrize("status, strict, close, passing", [
    ("ok", False, None, True), ("ok", True, None, True),
    ("warning", False, None, True), ("warning", True, None, False),  # --strict: only ok
    ("variance", False, None, False), ("missing", False, None, False), ("error", False, None, False),
    ("variance", False, "closed", True), ("variance", True, "closed", True),  # explained and signed off
    ("variance", False, "open", False),
])
def test_what_passes_the_check(status, strict, close, passing):
    result = month(status)
    if close is not None:
        result = closed(result, Prior({("", "2024-01"): signed("説明", reviewer="佐藤" if close == "closed" else "")}))
    assert passes(result, strict) is passing


def test_an_ok_month_is_closed_without_a_sign_off():
    done = closed(month("ok"), Prior())
    assert done.close.state == "closed" and keys(done) == ["no_total_row"]


def test_a_warning_is_closed_once_explained_and_signed_off():
    done = closed(month(), Prior({("", "2024-01"): signed("翌月に調整")}))
    assert done.close.state == "closed" and keys(done) == ["no_total_row"]
    # signed without a word about why (and no failing check to explain): open, said so beside the rest
    done = closed(month(), Prior({("", "2024-01"): signed("")}))
    assert done.close.state == "open" and keys(done) == ["no_total_row", "signoff_unexplained_month"]
    # explained but not signed: open, nothing to say
    done = closed(month(), Prior({("", "2024-01"): signed("翌月に調整", reviewer="")}))
    assert done.close.state == "open" and keys(done) == ["no_total_row"]


@pytest.mark.parametrize("reviewer, signed_on, state", [
    ("佐藤", "2024-02-20", "closed"), ("佐藤", "", "open"), ("", "2024-02-20", "open"),
])
def test_a_sign_off_needs_both_a_reviewer_and_a_date(reviewer, signed_on, state):
    prior = Prior({("", "2024-01"): signed("翌月に調整", reviewer=reviewer, signed_on=signed_on)})
    done = closed(month(), prior)
    assert done.close.state == state
    assert done.close.signoff.basis == (NOW if state == "closed" else None)  # half a sign-off stands on nothing


def test_a_failing_check_needs_its_own_explanation():
    result = month("variance", failing=("invoice", "discount"))
    month_only = Prior({("", "2024-01"): signed("全体の説明")})
    assert closed(result, month_only).close.state == "open"  # the month's explanation is not the checks'
    one = Prior({("", "2024-01"): signed()}, {("", "2024-01", "invoice"): "請求は翌月調整"})
    assert closed(result, one).close.state == "open"  # the discount is not explained
    both = Prior({("", "2024-01"): signed()},
                 {("", "2024-01", "invoice"): "請求は翌月調整", ("", "2024-01", "discount"): "OCN 回答済み"})
    done = closed(result, both)
    assert done.close.state == "closed"
    assert dict(done.close.check_notes) == {"invoice": "請求は翌月調整", "discount": "OCN 回答済み"}


def test_a_sign_off_on_other_inputs_is_void_and_says_what_changed():
    prior = Prior({("", "2024-01"): signed("翌月に調整", basis=Fingerprint("detail-before", "invoice-now"))})
    done = closed(month(), prior)
    assert (done.close.state, done.close.stale) == ("open", ("detail",))
    assert keys(done) == ["no_total_row", "signoff_stale"]
    assert dict(done.messages[-1].params) == {"reviewer": "佐藤", "signed_on": "2024-02-20", "changed": "detail"}
    both = Prior({("", "2024-01"): signed("翌月に調整", basis=Fingerprint("detail-before", "invoice-before"))})
    assert dict(closed(month(), both).messages[-1].params)["changed"] == "detail,invoice"


def test_a_sign_off_with_nothing_recorded_under_it_vouches_for_nothing():
    prior = Prior({("", "2024-01"): signed("翌月に調整", basis=None)})
    done = closed(month(), prior)
    assert (done.close.state, done.close.stale) == ("open", ("detail", "invoice"))


def test_texts_whose_month_or_check_is_gone_are_carried_once_in_order():
    prior = Prior({("", "2024-01"): signed("今月の説明"), ("", "2023-12"): signed("消えた月の説明")},
                  {("", "2024-01", "total_count"): "残るチェックの説明",
                   ("", "2024-01", "invoice"): "消えたチェックの説明", ("", "2024-01", "discount"): ""},
                  carried=(("", "2023-11", "explanation", "前回から持ち越し"),))
    report = apply(Report("2024", (month(),), ()), prior)
    assert report.carried == (
        ("", "2023-11", "explanation", "前回から持ち越し"),  # carried before: kept first
        ("", "2023-12", "explanation", "消えた月の説明"), ("", "2023-12", "reviewer", "佐藤"),
        ("", "2023-12", "signed_on", "2024-02-20"),
        ("", "2024-01", "invoice", "消えたチェックの説明"),  # not total_count, still there; not the empty one
    )


def test_notes_taken_from_the_folders_report_are_said_once():
    prior = Prior({("", "2024-01"): signed("翌月に調整")}, taken_from="recon-2024.xlsx")
    report = apply(Report("2024", (month(),), ()), prior)
    assert [(n.key, dict(n.params)) for n in report.notes] == [("notes_taken_from", {"file": "recon-2024.xlsx"})]
    # nothing was typed there: nothing was taken
    assert apply(Report("2024", (month(),), ()), Prior(taken_from="recon-2024.xlsx")).notes == ()
