"""`recon.frames(folder)`: a year folder as pandas DataFrames, for notebooks.

Every figure is an integer column (tenths of a second, yen, sen); a figure a month lacks is
pandas' missing value in a nullable `Int64` column, never NaN in a float one.
"""
from __future__ import annotations

from pathlib import Path

from msgspec import Struct

from recon import calls as call_records, marker, readers
from recon.commands import folder_settings
from recon.discover import discover
from recon.pipeline import build


class Frames(Struct, frozen=True):
    """months: one row per (account, month); checks: one row per check; calls: one row per call."""

    months: object
    checks: object
    calls: object


def frames(folder: Path, config: Path | None = None) -> Frames:
    """Read and reconcile `folder` with recon's pipeline (its settings, no sign-offs) → Frames of pandas
    DataFrames with integer columns: months, checks, and every per-call record.
    ModuleNotFoundError, naming the extra, without the `calls` extra (pandas comes with it)."""
    missing = call_records.missing_libraries()
    if missing:
        raise ModuleNotFoundError(f'recon.frames needs the calls extra: pip install "recon[calls]" '
                                  f"(not installed: {', '.join(missing)})", name=missing[0])
    settings = folder_settings(folder, config)
    report = build(folder, settings)
    return Frames(_months(report), _checks(report), _calls(folder, settings.calls.timezone))


def _months(report):
    import pandas as pd

    rows = []
    for m in report.months:
        total, stated, d, c = m.total, m.stated_total, m.discount, m.calls
        rows.append({
            "account": m.account, "month": m.month, "status": m.status,
            "count": total and total.count, "tenths": total and total.tenths, "charge": total and total.charge,
            "stated_count": stated and stated.count, "stated_tenths": stated and stated.tenths,
            "stated_charge": stated and stated.charge,
            "discount_stated": d and d.stated, "discount_recomputed": d and d.recomputed,
            "expected_invoice": m.expected_invoice, "invoiced": m.invoiced, "invoice_variance": m.invoice_variance,
            "calls_count": c and c.count, "calls_tenths": c and c.tenths, "calls_sen": c and c.sen,
            "findings": len(m.findings),
        })
    return _typed(pd.DataFrame(rows, columns=list(rows[0]) if rows else None), ("account", "month", "status"))


def _checks(report):
    import pandas as pd

    rows = [{"account": m.account, "month": m.month, "check": c.check, "type": c.type_id, "ok": c.ok,
             "stated": c.stated, "recomputed": c.recomputed, "difference": c.difference, "unit": c.unit,
             "where": str(c.where) if c.where else None}
            for m in report.months for c in m.checks]
    frame = pd.DataFrame(rows, columns=["account", "month", "check", "type", "ok", "stated", "recomputed",
                                        "difference", "unit", "where"])
    return frame.astype({"ok": "bool", "stated": "int64", "recomputed": "int64", "difference": "int64"})


def _typed(frame, text: tuple[str, ...]):
    """Every column but the text ones as nullable Int64."""
    return frame.astype({name: "Int64" for name in frame.columns if name not in text})


def _calls(folder: Path, zone: str | None = None):
    """Every outgoing call of every call-records file in the folder, in start order (Japan time;
    `zone`: `[calls] timezone`)."""
    import pandas as pd

    sources, _ = discover(folder, None)
    parts = []
    for source in sources:
        records = _records(source, call_records.Reading(source.month, source.year, zone))
        if records is not None and records.frame is not None:
            parts.append(records.frame.assign(account=source.account))
    columns = ["account", "start", "calling", "called", "type", "tenths", "sen", "file", "line"]
    if not parts:
        return call_records.empty_frame().assign(account="")[columns]
    frame = pd.concat(parts, ignore_index=True)
    return frame.sort_values(["account", "start", "file", "line"], kind="stable", ignore_index=True)[columns]


def _records(source, reading):
    if source.kind != "detail":
        return None
    if source.format in ("text", "csv"):
        layout = call_records.sniff(source.path, source.rel)
        return call_records.read_text(source.path, source.rel, layout, keep=True, reading=reading) if layout else None
    if source.format == "xlsx":
        data = source.path.read_bytes()
        if readers.junk(data, source.path.suffix) or marker.is_recon_report(data):  # a report is no records
            return None
        for grid in readers.read(data, source.rel, source.path.suffix)[0]:
            found = call_records.find_in_grid(grid)
            if found:
                return call_records.read_grid(grid, source.rel, found, keep=True, reading=reading)
    return None
