"""What each command does, without click: one function per command, called by `recon.cli`."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from recon import marker, months, outputs, settings as settings_mod, signoff
from recon.errors import ReconError, UsageError
from recon.model import Prior, Where
from recon.pipeline import build as build_report
from recon.prior import read_prior
from recon.view import ReportView, view

Progress = Callable[[int, int], None] | None


def build(folder: Path, *, output: Path | None = None, lang: str | None = None,
          template: Path | None = None, config: Path | None = None, force: bool = False,
          progress: Progress = None) -> tuple[ReportView, Path]:
    """Reconcile the folder and write the workbook; returns the report's view and where it went."""
    settings = _settings(folder, config, lang=lang, template=template, output=output)
    target = _output(folder, settings)
    prior = _prior(target, force)
    report = view(signoff.apply(build_report(folder, settings, target, progress), prior), settings, str(target))
    outputs.get("xlsx").write(report, target, settings)
    return report, target


def check(folder: Path, *, config: Path | None = None, strict: bool = False,
          progress: Progress = None) -> tuple[ReportView, bool]:
    """Reconcile without writing; True when there is a month and every month passes."""
    settings = _settings(folder, config)
    target = _output(folder, settings)  # not written, but not an input either, and its notes count
    report = signoff.apply(build_report(folder, settings, target, progress), _prior(target, force=True))
    passed = bool(report.months) and all(signoff.passes(m, strict) for m in report.months)
    return view(report, settings), passed


def journal(folder: Path, fmt: str, *, every_month: bool = False, output: Path | None = None,
            config: Path | None = None, progress: Progress = None):
    """Book the folder's closed months (`every_month`: all with a table and an invoice) as product
    `fmt`'s import file; returns the Journal, where it went and the settings it was made with.
    UsageError for an output that is an input, not .csv/.txt, or a file recon did not write."""
    from recon.journal import journal as make_journal
    from recon.outputs import journal as journal_output

    settings = _settings(folder, config)
    workbook = _output(folder, settings)  # its sign-offs say which months are closed
    report = signoff.apply(build_report(folder, settings, workbook, progress), _prior(workbook, force=True))
    target = output or folder / f"journal-{folder.resolve().name}-{fmt}.csv"
    _check_journal_target(target, folder, report, fmt)
    entries = make_journal(report, settings, every_month)
    journal_output.write(entries, target, settings, fmt)
    return entries, target, settings


def _check_journal_target(target: Path, folder: Path, report: Report, fmt: str) -> None:
    """The journal never replaces an input, nor any file but a journal of this product recon wrote."""
    from recon.outputs.journal import LAYOUTS, written_by_recon

    if target.suffix.lower() not in (".csv", ".txt"):
        raise UsageError(Where(str(target)), "journal_output", target.suffix or target.name)
    if not target.parent.is_dir():
        raise UsageError(Where(str(target)), "output_folder", None, folder=str(target.parent))
    inputs = {(folder / f.path).resolve() for f in report.files if f.status != "ignored"}
    if target.resolve() in inputs:
        raise UsageError(Where(str(target)), "journal_output", "an input of the build")
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        return
    except OSError as e:
        raise UsageError(Where(str(target)), "readable", e.strerror) from None
    if not written_by_recon(data, fmt):
        raise UsageError(Where(str(target)), "journal_overwrite", "a file recon did not write",
                         product=LAYOUTS[fmt].product)


def init(folder: Path, year: int | None, start_month: int | None = None) -> list[str]:
    """Scaffold a year folder (`2024`: January to December; `2024年度`: April to March); never
    overwrites a file. A `year` or `start_month` given is written into recon.toml, so that a folder
    not named by its year builds. Returns one line per file."""
    fiscal = months.folder_year(folder.resolve().name, year, start_month)
    if fiscal is None:
        raise UsageError(Where(str(folder)), "year_folder", folder.name)
    folder.mkdir(parents=True, exist_ok=True)
    invoices = "利用月,請求額,税区分,基本料等,備考\n" + "".join(f"{m},,税別,0,\n" for m in fiscal.months)
    lines = []
    for name, text, encoding in (("invoices.csv", invoices, "utf-8-sig"),
                                 ("recon.toml", settings_mod.defaults_toml(year, start_month), "utf-8")):
        path = folder / name
        if path.exists():
            unsaid = name == "recon.toml" and (year or start_month)
            lines.append(f"kept {path} (it exists" + ("; set [year] in it by hand)" if unsaid else ")"))
            continue
        path.write_text(text, encoding=encoding, newline="\n")
        lines.append(f"wrote {path}")
    return lines


def template(out: Path) -> Path:
    """A copy of the bundled report template at `out`, to restyle in Excel and pass back with
    `--template` or `[report] template`. Never replaces a file; UsageError when one is there."""
    from recon.outputs.workbook.template import TEMPLATE

    if out.suffix.lower() != ".xlsx":
        raise UsageError(Where(str(out)), "template_suffix", out.suffix or out.name)
    if not out.parent.is_dir():
        raise UsageError(Where(str(out)), "output_folder", None, folder=str(out.parent))
    try:
        with open(out, "xb") as handle:
            handle.write(TEMPLATE.read_bytes())
    except FileExistsError:
        raise UsageError(Where(str(out)), "exists", out.name) from None
    return out


def _output(folder: Path, settings: settings_mod.Settings) -> Path:
    """Where the workbook goes: the option or recon.toml, else FOLDER/recon-<folder>.xlsx."""
    return settings.report.output or folder / f"recon-{folder.resolve().name}.xlsx"


def _settings(folder: Path, config: Path | None, **report: object) -> settings_mod.Settings:
    path = config or (folder / "recon.toml")
    return settings_mod.load(path if path.exists() else None, {"report": report})


def _prior(target: Path, force: bool) -> Prior:
    """What the report at the output path holds that a rebuild must keep. An .xlsx recon did not
    write, or a report whose notes cannot be read, is not replaced unless forced."""
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        return Prior()
    except OSError as e:
        raise UsageError(Where(str(target)), "readable", e.strerror) from None
    if not marker.is_recon_report(data):
        if force:
            return Prior()
        raise UsageError(Where(str(target)), "overwrite", "a workbook recon did not write")
    try:
        return read_prior(data, target)
    except ReconError:
        if force:
            return Prior()
        raise
