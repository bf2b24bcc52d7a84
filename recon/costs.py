"""Cost by number and department (SPEC §7): a month's per-call records and the numbers.csv directory
→ the charge of each calling number and of each 部門, adding up to the month's charge. Pure."""
from __future__ import annotations

from recon.model import CallMonth, NumberCost


def number_costs(calls: CallMonth, directory: dict[str, tuple[str, str]]) -> tuple[NumberCost, ...]:
    """Each calling number's calls, time and charge in the month, with its 部門 and name from
    `directory` (numbers.csv as recon.numbers reads it: number → (部門, 名前)); by number."""
    return tuple(NumberCost(number, *directory.get(number, ("", "")), count, tenths, sen)
                 for number, count, tenths, sen in calls.by_number)


def department_costs(costs: tuple[NumberCost, ...]) -> tuple[tuple[str, int, int, int], ...]:
    """(部門, calls, tenths, sen) per department ("" for numbers numbers.csv does not list), by name;
    the sen add up to the month's call charge."""
    sums: dict[str, tuple[int, int, int]] = {}
    for cost in costs:
        count, tenths, sen = sums.get(cost.department, (0, 0, 0))
        sums[cost.department] = (count + cost.count, tenths + cost.tenths, sen + cost.sen)
    return tuple((name, *sums[name]) for name in sorted(sums))
