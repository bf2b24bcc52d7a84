"""What each command does, without click: one function per command, called by `recon.cli`."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from recon import marker, months, settings as settings_mod, signoff
from recon.discover import decoded, discover
from recon.errors import ReconError, UsageError
from recon.model import MonthResult, Prior, Report, Where
from recon.pipeline import build as build_report, read_record
from recon.report.previous import read_prior

Progress = Callable[[int, int], None] | None


def build(folder: Path, *, output: Path | None = None, lang: str | None = None,
          template: Path | None = None, config: Path | None = None, force: bool = False,
          progress: Progress = None) -> tuple[Report, Path]:
    """Reconcile the folder and write the workbook; returns the report and where it went."""
    from recon.report.workbook import write_workbook

    settings = _settings(folder, config, lang=lang, template=template, output=output)
    target = _output(folder, settings)
    _guard_output(folder, target, settings, config, writing=True)
    prior = _prior(target, force, home=_output(folder, _settings(folder, config)))
    report = signoff.apply(build_report(folder, settings, target, progress), prior)
    write_workbook(report, target, settings.report.template)
    return report, target


def check(folder: Path, *, config: Path | None = None, strict: bool = False,
          progress: Progress = None) -> tuple[Report, list[MonthResult]]:
    """Reconcile without writing; the report and its open months (the close is done when there is
    a month and none is open)."""
    settings = _settings(folder, config)
    target = _output(folder, settings)  # not written, but not an input either, and its notes count
    _guard_output(folder, target, settings, config, writing=False)
    report = signoff.apply(build_report(folder, settings, target, progress), _prior(target, force=True))
    return report, [m for m in report.months if not signoff.passes(m, strict)]


def init(folder: Path, year: int | None) -> list[str]:
    """Scaffold a year folder; never overwrites a file. Returns one line per file."""
    year = year or months.year_of_folder(decoded(folder.name))
    if year is None:
        raise UsageError(Where(str(folder)), "year_folder", folder.name)
    folder.mkdir(parents=True, exist_ok=True)
    invoices = "利用月,請求額,税区分,基本料等,備考\n" + "".join(f"{year}-{m:02d},,税別,0,\n" for m in range(1, 13))
    lines = []
    for name, text, encoding in (("invoices.csv", invoices, "utf-8-sig"),
                                 ("recon.toml", settings_mod.defaults_toml(), "utf-8")):
        path = folder / name
        if path.exists():
            lines.append(f"kept {path} (it exists)")
            continue
        path.write_text(text, encoding=encoding, newline="\n")
        lines.append(f"wrote {path}")
    return lines


def shown(path: Path) -> str:
    """A path as a person reads it: its names decoded as the folder's files are (discover.decoded)."""
    return decoded(str(path))


def _output(folder: Path, settings: settings_mod.Settings) -> Path:
    """Where the workbook goes: the option or recon.toml, else FOLDER/recon-<folder>.xlsx."""
    return settings.report.output or folder / f"recon-{folder.resolve().name}.xlsx"


def _settings(folder: Path, config: Path | None, **report: object) -> settings_mod.Settings:
    path = config or (folder / "recon.toml")
    return settings_mod.load(path if path.exists() else None, {"report": report})


def _guard_output(folder: Path, target: Path, settings: settings_mod.Settings, config: Path | None,
                  writing: bool) -> None:
    """SPEC §4, nothing read is ever written: the output is never a file the build reads (--force or
    not), always an .xlsx, and (to be written) in a folder that exists. UsageError otherwise."""
    kind = _input_kind(folder, target, settings, config)
    if kind:
        raise UsageError(Where(str(target)), "not_input", None, **kind)
    if target.suffix.lower() != ".xlsx":
        raise UsageError(Where(str(target)), "output_xlsx", target.name)
    if writing and not target.parent.is_dir():
        raise UsageError(Where(str(target)), "output_folder", None, folder=str(target.parent))


def _input_kind(folder: Path, target: Path, settings: settings_mod.Settings,
                config: Path | None) -> dict[str, str] | None:
    """What the build reads at `target` (labels.INPUT_KINDS key and its month), or None. A file of
    the folder is an input when the build takes something from it (a table, invoice rows, settings)
    or finds it damaged; one it ignores (a workbook with no table, a recon report) is not. Only an
    existing file that is not a recon report can be one, so the folder is walked again only then."""
    for path, kind in ((config or folder / "recon.toml", "settings"), (settings.report.template, "template")):
        if path is not None and _same_file(path, target):
            return {"kind": kind}
    if not target.is_file() or marker.is_recon_report(_bytes(target) or b""):
        return None
    sources, _ = discover(folder, None)
    source = next((s for s in sources if _same_file(s.path, target)), None)
    if source is None:
        return None
    if source.kind != "detail":
        return {"kind": source.kind}
    record = read_record(source)
    if record.status == "ignored":
        return None
    return {"kind": "detail_month", "month": record.month} if record.month else {"kind": "detail"}


def _same_file(a: Path, b: Path) -> bool:
    """True when two paths name one file: the file system says so (which folds case where it does,
    and sees through links), or, for a path not there yet, their resolved spellings agree."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())


def _bytes(path: Path) -> bytes | None:
    """The file's bytes; None when there is no file."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise UsageError(Where(str(path)), "readable", e.strerror) from None


def _prior(target: Path, force: bool, home: Path | None = None) -> Prior:
    """What a rebuild must keep (SPEC §5.1): the notes and sign-offs of the report at the output path,
    or, when that is not a recon report yet (a new -o path, an English copy), of the folder's own
    report `home`. An .xlsx recon did not write, or a report whose notes cannot be read, is not
    replaced unless forced."""
    data = _bytes(target)
    if data is not None and marker.is_recon_report(data):
        try:
            return read_prior(data, target)
        except ReconError:
            if not force:
                raise
    elif data is not None and not force:
        kind = "workbook" if data.startswith(b"PK") else "not_workbook"
        raise UsageError(Where(str(target)), "not_ours", None, kind=kind)
    if home is None or _same_file(home, target):
        return Prior()
    return _home_prior(home)


def _home_prior(home: Path) -> Prior:
    """The folder's own report's notes, for a report written elsewhere. That report is not replaced,
    so one that cannot be read costs nothing: it stays as it is, and the copy starts without notes."""
    try:
        data = home.read_bytes()
        return read_prior(data, home) if marker.is_recon_report(data) else Prior()
    except (OSError, ReconError):
        return Prior()
