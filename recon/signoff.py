"""The close: carry the accountant's explanations and sign-offs into a new report, void a sign-off
whose inputs changed, and say which months are closed. Pure: the previous report is read elsewhere.

A month is closed when it is ok, or when it is explained (every failing check on the checks sheet,
or the month itself when nothing failed but it is not ok), signed off (reviewer and date), and its
inputs are what they were when it was signed off. A warning passes `recon check` without being
closed, unless it is a suspected toll fraud.
"""
from __future__ import annotations

import msgspec

from recon.model import SIGNOFF_FIELDS, Close, Fingerprint, Message, MonthResult, Prior, PriorMonth, Report, SignOff

PASSING = {False: ("ok", "warning"), True: ("ok",)}  # statuses that pass `recon check` (--strict)


def apply(report: Report, prior: Prior) -> Report:
    """Every month with its Close; notes whose month or check is gone, carried, with the sign-off
    of a month that is gone (a note carried in an earlier build is in `prior` in its place again,
    `prior.read_prior`: it returns to its month or check as they come back)."""
    months = tuple(_closed(month, prior) for month in report.months)
    said = (Message.of("notes_taken_from", file=prior.taken_from),) if prior.taken_from and prior.months else ()
    return msgspec.structs.replace(report, months=months, carried=_carried(report, prior),
                                   carried_signoffs=_carried_signoffs(report, prior), notes=report.notes + said)


def passes(month: MonthResult, strict: bool) -> bool:
    """True when the month needs nothing more for the close. A suspected toll fraud (an off_hours,
    burst or same_duration finding, SPEC §4) blocks it like a variance until the month is explained
    and signed off: money may be leaking, and a script that trusts the exit status must not close it
    unseen."""
    closed = month.close is not None and month.close.state == "closed"
    if month.fraud:
        return closed
    return month.status in PASSING[strict] or closed


def _closed(month: MonthResult, prior: Prior) -> MonthResult:
    key = (month.account, month.month)
    signoff = _signoff(prior.months.get(key))
    notes = tuple((c.key, prior.checks[(*key, c.key)]) for c in month.checks if prior.checks.get((*key, c.key)))
    stale = _changed(signoff.basis, month.fingerprint) if signoff.signed else ()
    explained = _explained(month, signoff, dict(notes))
    closed = month.status == "ok" or (signoff.signed and not stale and explained)
    close = Close("closed" if closed else "open", signoff, stale, notes)
    messages = month.messages
    if stale:
        messages += (Message.of("signoff_stale", reviewer=signoff.reviewer, signed_on=signoff.signed_on,
                                changed=",".join(stale)),)
    elif signoff.signed and not explained and month.status != "ok":
        unexplained = tuple(dict.fromkeys(c.check for c in month.checks if not c.ok and not dict(notes).get(c.key)))
        messages += (Message.of("signoff_unexplained", check=unexplained) if unexplained
                     else Message.of("signoff_unexplained_month"),)
    return msgspec.structs.replace(month, close=close, messages=messages)


def _signoff(prior: PriorMonth | None) -> SignOff:
    """The standing sign-off: the one recon recorded if the reviewer and date are still the ones
    it was given with; a newly typed one stands on what the previous report showed."""
    if prior is None:
        return SignOff()
    signed = bool(prior.reviewer and prior.signed_on)
    same_as_recorded = (prior.reviewer, prior.signed_on) == (prior.basis_reviewer, prior.basis_signed_on)
    basis = (prior.basis if same_as_recorded and prior.basis else prior.shown) if signed else None
    return SignOff(prior.explanation, prior.reviewer, prior.signed_on, basis)


def _changed(basis: Fingerprint | None, now: Fingerprint) -> tuple[str, ...]:
    if basis is None:
        return ("detail", "invoice")  # signed in a report that recorded nothing: cannot vouch for it
    return tuple(part for part in ("detail", "invoice") if getattr(basis, part) != getattr(now, part))


def _explained(month: MonthResult, signoff: SignOff, notes: dict[str, str]) -> bool:
    failing = [check.key for check in month.checks if not check.ok]
    if failing:
        return all(notes.get(check) for check in failing)
    return month.status == "ok" or bool(signoff.explanation)


def _carried(report: Report, prior: Prior) -> tuple[tuple[str, str, str, str], ...]:
    """Text the accountant typed whose month or check this report no longer has: kept, not lost."""
    months = {(m.account, m.month) for m in report.months}
    checks = {(m.account, m.month, c.key) for m in report.months for c in m.checks}
    carried = list(prior.carried)
    for key, old in sorted(prior.months.items()):
        if key not in months:
            carried += [(*key, field, getattr(old, field)) for field in SIGNOFF_FIELDS if getattr(old, field)]
    carried += [(*key, text) for key, text in sorted(prior.checks.items()) if key not in checks and text]
    return tuple(dict.fromkeys(carried))  # once each, in order


def _carried_signoffs(report: Report, prior: Prior) -> tuple[tuple[str, str, SignOff], ...]:
    """The standing sign-offs of the months this report no longer has, with the inputs they were
    given on: a month that comes back with the same inputs is closed again, not to be re-signed."""
    months = {(m.account, m.month) for m in report.months}
    gone = ((key, _signoff(old)) for key, old in sorted(prior.months.items()) if key not in months)
    return tuple((*key, signoff) for key, signoff in gone if signoff.signed and signoff.basis is not None)
