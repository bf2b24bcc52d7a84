"""The toll-fraud watch (SPEC §7): per-call records → findings per month. Pure: no I/O.

Stolen 050 credentials are used for international (and premium-rate) calls at night and at
weekends, in bursts of short calls of one length to a few countries, which carriers bill anyway.
Each rule below is one function from a month's calls to its findings; `watch` runs them all over an
account's months in order (a destination is new only against the months before it).

Japanese public holidays come from the `holidays` package (vacanza/holidays: released monthly,
Japan's calendar there follows 国民の祝日に関する法律 with 振替休日 and 国民の休日, and it hands a
whole year back as a dict of dates, which is all this needs). Countries come from the number's
international prefix, by a table made from Google's libphonenumber data (recon/countries.py).
"""
from __future__ import annotations

import datetime as dt
import functools
from fractions import Fraction

from recon import countries
from recon.model import Call, CallMonth, Finding
from recon.rounding import rounded
from recon.settings import CallSettings
from recon.values import format_duration


def watch(months: list[tuple[str, CallMonth]], rule: CallSettings) -> dict[str, tuple[Finding, ...]]:
    """An account's months of call records, in month order → each month's findings."""
    found: dict[str, tuple[Finding, ...]] = {}
    seen: set[str] = set()
    for index, (month, calls) in enumerate(sorted(months, key=lambda m: m[0])):
        findings = [*off_hours(calls.watched, rule), *bursts(calls.watched, rule),
                    *same_durations(calls.watched, rule), *number_share(calls, rule)]
        if index:  # judged once earlier months exist
            findings += new_destinations(calls.watched, seen)
        seen |= {country(c.called) for c in calls.watched if c.type_id == "international"}
        if findings:
            found[month] = tuple(findings)
    return found


def off_hours(calls: tuple[Call, ...], rule: CallSettings) -> list[Finding]:
    """Calls outside business hours, at weekends, on public holidays (and 12/29 to 1/3): one finding."""
    flagged = tuple(c for c in calls if not is_business_time(c.start, rule))
    return [Finding.of_calls("off_hours", flagged)] if flagged else []


def is_business_time(start: dt.datetime, rule: CallSettings) -> bool:
    """True on a working day (Mon to Fri, not a Japanese public holiday, not 12/29 to 1/3 when
    `year_end`) between business_start and business_end o'clock."""
    day = start.date()
    if day.weekday() >= 5 or day in japanese_holidays(day.year):
        return False
    if rule.year_end and ((day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)):
        return False
    return rule.business_start <= start.hour < rule.business_end


@functools.lru_cache(maxsize=64)
def japanese_holidays(year: int) -> frozenset[dt.date]:
    """Japan's public holidays of a year (祝日, 振替休日, 国民の休日)."""
    import holidays

    return frozenset(holidays.country_holidays("JP", years=year))


def bursts(calls: tuple[Call, ...], rule: CallSettings) -> list[Finding]:
    """burst_calls or more calls from one number starting within burst_minutes: one finding per
    burst (overlapping windows are one burst, which may so last longer); its detail is the minutes
    it lasted."""
    window = dt.timedelta(minutes=rule.burst_minutes)
    findings = []
    for own in _by_number(calls).values():
        marked = [False] * len(own)
        first = 0
        for last in range(len(own)):
            while own[last].start - own[first].start > window:
                first += 1
            if last - first + 1 >= rule.burst_calls:
                marked[first:last + 1] = [True] * (last - first + 1)
        findings += [Finding.of_calls("burst", run, minutes=_minutes(run[-1].start - run[0].start))
                     for run in _runs(own, marked, window)]
    return findings


def _minutes(span: dt.timedelta) -> int:
    """A burst's span in whole minutes, rounded up (a burst of 9 min 10 s took 10 minutes)."""
    return max(1, rounded(Fraction(span // dt.timedelta(seconds=1), 60), "ceil"))


def _runs(calls: list[Call], marked: list[bool], gap: dt.timedelta) -> list[tuple[Call, ...]]:
    """Marked calls split where more than `gap` lies between two of them."""
    runs: list[tuple[Call, ...]] = []
    current: list[Call] = []
    for call, flag in zip(calls, marked, strict=True):
        if not flag:
            continue
        if current and call.start - current[-1].start > gap:
            runs.append(tuple(current))
            current = []
        current.append(call)
    if current:
        runs.append(tuple(current))
    return runs


def same_durations(calls: tuple[Call, ...], rule: CallSettings) -> list[Finding]:
    """same_duration_calls or more calls from one number of one identical duration."""
    groups: dict[tuple[str, int], list[Call]] = {}
    for call in calls:
        groups.setdefault((call.calling, call.tenths), []).append(call)
    found = sorted((key, group) for key, group in groups.items() if len(group) >= rule.same_duration_calls)
    return [Finding.of_calls("same_duration", tuple(group), duration=format_duration(tenths))
            for (_, tenths), group in found]


def new_destinations(calls: tuple[Call, ...], seen: set[str]) -> list[Finding]:
    """International calls to a country none of the earlier months called: one finding a country."""
    new: dict[str, list[Call]] = {}
    for call in calls:
        if call.type_id == "international":
            place = country(call.called)
            if place not in seen:
                new.setdefault(place, []).append(call)
    return [Finding.of_calls("new_destination", tuple(group), country=place) for place, group in sorted(new.items())]


def country(called: str) -> str:
    """The country a number dialled from Japan reaches: `0101212…` → `US (+1)`; `+882` alone for a
    code of no country; `?` for no country code at all. By the prefix table made once from Google's
    libphonenumber data (recon/countries.py), not by libphonenumber number by number."""
    return countries.country(called)


def number_share(calls: CallMonth, rule: CallSettings) -> list[Finding]:
    """A number whose charge is over `share` of the month's, in a month of at least
    share_min_numbers numbers, and at least share_min_yen."""
    numbers = [n for n in calls.by_number if n[0]]
    total = sum(n[3] for n in calls.by_number)
    if len(numbers) < rule.share_min_numbers or total <= 0:
        return []
    firsts = dict(calls.firsts)
    findings = []
    for number, count, _, sen in numbers:
        if sen > rule.share * total and sen >= rule.share_min_yen * 100:
            share = rounded(Fraction(sen * 100, total))  # per cent, half up
            own = tuple(c for c in calls.watched if c.calling == number)
            findings.append(Finding("number_share", count, sen, firsts[number], (number,), own,
                                    (("share", str(share)),)))
    return findings


def _by_number(calls: tuple[Call, ...]) -> dict[str, list[Call]]:
    """Calls by calling number, each list in start order."""
    out: dict[str, list[Call]] = {}
    for call in sorted(calls, key=lambda c: (c.calling, c.start)):
        out.setdefault(call.calling, []).append(call)
    return out
