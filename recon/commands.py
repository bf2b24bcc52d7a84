"""What each command does, without click: one function per command, called by `recon.cli`."""
from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

import msgspec

from recon import files, labels, marker, months, outputs, settings as settings_mod, signoff
from recon.discover import decoded, discover, year_subfolders
from recon.errors import ReconError, UsageError
from recon.model import FileRecord, MonthResult, Prior, Report, Source, Where
from recon.pipeline import build as build_report, read_record
from recon.prior import read_prior
from recon.view import ReportView, view
from recon.workers import Later, Workers

Progress = Callable[[int, int], None] | None


def build(folder: Path, *, output: Path | None = None, lang: str | None = None,
          template: Path | None = None, config: Path | None = None, force: bool = False,
          progress: Progress = None) -> tuple[ReportView, Path]:
    """Reconcile the folder and write the workbook; returns the report's view and where it went."""
    settings = folder_settings(folder, config, lang=lang, template=template, output=output)
    target = _output(folder, settings)
    _guard_output(folder, target, settings, config, writing=True)
    _tidy(folder, target)
    home = _output(folder, folder_settings(folder, config))
    with Workers() as workers:
        prior = _prior(target, force, workers, home=home)
        built = _months_or_years(folder, build_report(folder, settings, target, progress, workers=workers,
                                                      own_report=_own_report(home)))
        report = view(signoff.apply(built, prior.result()), settings, shown(target))
    outputs.get("xlsx").write(report, target, settings)
    return report, target


def _own_report(home: Path) -> Path | None:
    """The folder's own report at `home` when recon wrote it (its marker): not an input when the
    workbook goes elsewhere either, as `check` and `journal`, which write none, never list it. A
    file there that recon did not write stays a file of the folder (it may be an input)."""
    try:
        data = files.read_bytes(home)
    except (OSError, ReconError):
        return None
    return home if marker.is_recon_report(data) else None


def _tidy(folder: Path, target: Path) -> None:
    """Remove the temp files that killed writes of recon's own files left (the workbook at `target`,
    the folder's journals at their default paths), before the folder is listed: they are not inputs."""
    year = decoded(folder.resolve().name)
    for path in (target, *(folder / marker.journal_name(year, fmt) for fmt in marker.JOURNAL_FORMATS)):
        files.remove_left_behind(path)


def check(folder: Path, *, config: Path | None = None, strict: bool = False, lang: str | None = None,
          progress: Progress = None) -> tuple[ReportView, list[MonthResult]]:
    """Reconcile without writing; the report's view (in `lang`, else the settings' language) and its
    open months (the close is done when there is a month and none is open)."""
    settings = folder_settings(folder, config, lang=lang)
    target = _output(folder, settings)  # not written, but not an input either, and its notes count
    _guard_output(folder, target, settings, config, writing=False)
    report = _signed(folder, settings, target, progress)
    return view(report, settings), [m for m in report.months if not signoff.passes(m, strict)]


def journal(folder: Path, fmt: str, *, every_month: bool = False, output: Path | None = None,
            config: Path | None = None, lang: str | None = None, progress: Progress = None):
    """Book the folder's closed months (`every_month`: all with a table and an invoice) as product
    `fmt`'s import file; returns the Journal, where it went and the settings it was made with (in
    `lang`, else the settings' language, for what is printed). With no entry to book no file is
    written (an empty import file would import nothing, or be taken for the month's booking), and
    one already there is left as it was. UsageError for an output that is an input, not .csv/.txt,
    or a file recon did not write."""
    settings = folder_settings(folder, config, lang=lang)
    workbook = _output(folder, settings)  # its sign-offs say which months are closed
    report = _signed(folder, settings, workbook, progress)
    target = output or folder / marker.journal_name(decoded(folder.resolve().name), fmt)
    _check_journal_target(target, folder, report, fmt)
    booked = view(report, settings, every_month=every_month)
    if booked.journal is not None and booked.journal.entries:
        outputs.get(f"journal-{fmt}").write(booked, target, settings)
    return booked.journal, target, settings


def _signed(folder: Path, settings: settings_mod.Settings, workbook: Path, progress: Progress) -> Report:
    """The folder's Report with the sign-offs of its report at `workbook` (read, never written)."""
    with Workers() as workers:
        prior = _prior(workbook, True, workers)
        report = build_report(folder, settings, workbook, progress, workers=workers)
        return signoff.apply(_months_or_years(folder, report), prior.result())


def _check_journal_target(target: Path, folder: Path, report: Report, fmt: str) -> None:
    """The journal never replaces an input, nor any file but a journal of this product recon wrote."""
    from recon.outputs.journal import LAYOUTS, written_by_recon

    if target.is_dir():
        raise UsageError(Where(str(target)), "regular_folder", None)
    if target.suffix.lower() not in (".csv", ".txt"):
        raise UsageError(Where(str(target)), "journal_output", target.suffix or target.name)
    if not target.parent.is_dir():
        raise UsageError(Where(str(target)), "output_folder", None, folder=str(target.parent))
    inputs = {(folder / f.path).resolve() for f in report.files if f.status != "ignored"}
    if target.resolve() in inputs:
        raise UsageError(Where(str(target)), "journal_overwrite_input", None)
    data = _bytes(target)
    if data is None:
        return
    if not written_by_recon(data, fmt):
        raise UsageError(Where(str(target)), "journal_overwrite", None, product=LAYOUTS[fmt].product)


def init(folder: Path, year: int | None, start_month: int | None = None, lang: str = "ja") -> list[str]:
    """Scaffold a year folder (`2024`: January to December; `2024年度`: April to March); never
    overwrites a file. A `year` or `start_month` given is written into recon.toml, so that a folder
    not named by its year builds. Returns one line per file, in `lang`."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(Where(shown(folder)), "folder_not_file", None)
    fiscal = months.folder_year(decoded(folder.resolve().name), year, start_month)
    if fiscal is None:
        raise UsageError(Where(str(folder)), "year_folder", folder.name)
    made = not os.path.lexists(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise files.refused(folder, e) from None
    invoices = "利用月,請求額,税区分,基本料等,備考\n" + "".join(f"{m},,税別,0,\n" for m in fiscal.months)
    scaffold = (("invoices.csv", invoices.encode("utf-8-sig"), False),
                ("recon.toml", settings_mod.defaults_toml(year, start_month).encode(), bool(year or start_month)))
    try:
        return [_scaffold(folder / name, data, unsaid, lang) for name, data, unsaid in scaffold]
    except ReconError:
        if made:  # the disk refused: no empty folder is left either (only an empty one is removed)
            with suppress(OSError):
                folder.rmdir()
        raise


def _scaffold(path: Path, data: bytes, unsaid: bool, lang: str) -> str:
    """One file of a scaffolded year, written whole where no file (nor link) is, and its line."""
    if files.write_new(path, data):
        key = "wrote"
    elif path.is_symlink():
        key = "kept_link"
    else:
        key = "kept_year" if unsaid else "kept"
    return labels.word(labels.CONSOLE, key, lang).format(path=shown(path))


def template_line(out: Path, lang: str) -> str:
    """What `recon template` prints: where the copy went."""
    return labels.word(labels.CONSOLE, "wrote", lang).format(path=shown(out))


def show(view: ReportView, as_json: bool, stream: outputs.Stream) -> None:
    """The view on `stream`: the recon/1 JSON, or the console summary."""
    outputs.get("json" if as_json else "console").write(view, stream)


def close_line(view: ReportView, blocking: list[MonthResult]) -> str:
    """`recon check`'s last line on the close."""
    from recon.outputs.console import close_line as line

    return line(view, blocking)


def journal_text(entries, target: Path, fmt: str, settings: settings_mod.Settings,
                 as_json: bool) -> tuple[list[str], str | None]:
    """What `recon journal` prints: the months left out and where the file went (stderr), and with
    `as_json` the entries as JSON (stdout)."""
    from recon.outputs.journal import notes, to_json

    lang = settings.report.lang
    written = target if entries.entries else None  # else no file was written (commands.journal)
    kept = written is None and os.path.lexists(target)
    return (notes(entries, target, fmt, lang, kept),
            to_json(entries, fmt, settings, written, lang) if as_json else None)


def template(out: Path) -> Path:
    """A copy of the bundled report template at `out`, to restyle in Excel and pass back with
    `--template` or `[report] template`. Never replaces a file; UsageError when one is there."""
    from recon.outputs.workbook.template import TEMPLATE

    if out.is_dir():
        raise UsageError(Where(str(out)), "regular_folder", None)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(Where(str(out)), "template_suffix", out.suffix or out.name)
    if not out.parent.is_dir():
        raise UsageError(Where(str(out)), "output_folder", None, folder=str(out.parent))
    if not files.write_new(out, TEMPLATE.read_bytes()):  # never through a link, never half a copy
        raise UsageError(Where(str(out)), "exists", out.name)
    return out


def shown(path: Path | str) -> str:
    """A path as a person reads it: its names decoded as the folder's files are (discover.decoded)."""
    return decoded(str(path))


def _output(folder: Path, settings: settings_mod.Settings) -> Path:
    """Where the workbook goes: the option or recon.toml, else FOLDER/recon-<folder>.xlsx."""
    return settings.report.output or folder / f"recon-{folder.resolve().name}.xlsx"


def folder_settings(folder: Path, config: Path | None, **report: object) -> settings_mod.Settings:
    """The settings a folder builds with: `config`, else its recon.toml, else the defaults; `report`
    options from the command line override the file. UsageError when `folder` is not a folder
    (one line, as every usage error, where click would print its usage block)."""
    if not folder.is_dir():
        raise UsageError(Where(shown(folder)), "existing_folder", decoded(folder.name) if folder.exists() else None)
    for given in (config, report.get("template")):  # a FIFO or a device: refused where it is opened
        if isinstance(given, Path) and (given.is_dir() or not os.path.lexists(given)):
            raise UsageError(Where(shown(given)), "regular_folder" if given.is_dir() else "existing_file", None)
    path = config or (folder / "recon.toml")
    return settings_mod.load(path if path.exists() else None, {"report": report})


def console_lang(folder: Path | None, config: Path | None, lang: str | None) -> str:
    """The language the console speaks (SPEC §4): `lang` (--lang), else the settings' [report] lang
    (`config`, else the folder's recon.toml) when they can be read, else Japanese. Never raises: it
    chooses the words of the line that says what went wrong, the settings included."""
    if lang:
        return lang
    path = config or (folder / "recon.toml" if folder is not None else None)
    try:
        if path is None or not path.is_file():
            return "ja"
        return settings_mod.load(path).report.lang
    except (ReconError, OSError, ValueError):
        return "ja"


def _months_or_years(folder: Path, report: Report) -> Report:
    """The report of a year folder; a folder that holds only years (an archive, `ocn/` with
    `2023年度/` and `2024年度/`) is a usage error naming the year to run on, not an empty report."""
    years = year_subfolders(folder) if not report.months else []
    if years:
        raise UsageError(Where(shown(folder)), "year_not_archive", None, folders=tuple(years),
                         latest=shown(folder / years[-1]))
    return report


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
    if target.is_dir():
        raise UsageError(Where(str(target)), "regular_folder", None)
    template = settings.report.template
    if template is not None and os.path.exists(template):  # a FIFO is refused, never opened
        files.regular(template)


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
    if source is None:  # a workbook elsewhere (another year's month, a copy): --force or not,
        # never one that holds a detail table
        outside = Source(target, target.name, "", "detail", "xlsx", None, size=target.stat().st_size)
        found = read_record(outside)
        return {"kind": "detail_elsewhere"} if found.status != "ignored" or _unread_calls(found) else None
    if source.kind != "detail":
        return {"kind": source.kind}
    record = read_record(source)
    if _unread_calls(record):
        return {"kind": "calls"}
    if record.status == "ignored":
        return None
    return {"kind": "detail_month", "month": record.month} if record.month else {"kind": "detail"}


def _unread_calls(record: FileRecord) -> bool:
    """Call records left unread for want of the `calls` extra: an input all the same, which the
    build reads once the extra is installed."""
    return record.message is not None and record.message.key == "calls_extra"


def _same_file(a: Path, b: Path) -> bool:
    """True when two paths name one file: the file system says so (which folds case where it does,
    and sees through links), or, for a path not there yet, their resolved spellings agree."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())


def _bytes(path: Path) -> bytes | None:
    """The bytes of the file at an output path; None when there is none. UsageError for one that
    cannot be read, or is no regular file (a FIFO there is never opened: that would wait forever)."""
    try:
        return files.read_bytes(path)
    except FileNotFoundError:
        return None
    except OSError as e:
        raise UsageError(Where(str(path)), "readable", e.strerror) from None


def _prior(target: Path, force: bool, workers: Workers, home: Path | None = None) -> Later:
    """What a rebuild must keep (SPEC §5.1): the notes and sign-offs of the report at the output path,
    or, when that is not a recon report yet (a new -o path, an English copy), of the folder's own
    report `home`. An .xlsx recon did not write is refused here, before anything is read, unless
    forced; the notes are read by a worker as it ends reading the folder's files (its `result()` is the
    Prior), and a report whose notes cannot be read is not replaced unless forced."""
    data = _bytes(target)
    if data is not None and marker.is_recon_report(data):
        return workers.later(_target_prior, data, target, force, home)
    if data is not None and not force:
        kind = "workbook" if data.startswith(b"PK") else "not_workbook"
        raise UsageError(Where(str(target)), "not_ours", None, kind=kind)
    return workers.later(_home_or_none, home, target)


def _target_prior(data: bytes, target: Path, force: bool, home: Path | None) -> Prior:
    try:
        return read_prior(data, target)
    except ReconError:
        if not force:
            raise
    return _home_or_none(home, target)


def _home_or_none(home: Path | None, target: Path) -> Prior:
    """The folder's own report's notes, for a report at another path; none without one."""
    if home is None or _same_file(home, target):
        return Prior()
    return _home_prior(home)


def _home_prior(home: Path) -> Prior:
    """The folder's own report's notes, for a report written elsewhere. That report is not replaced,
    so one that cannot be read costs nothing: it stays as it is, and the copy starts without notes."""
    try:
        data = files.read_bytes(home)
        if not marker.is_recon_report(data):
            return Prior()
        return msgspec.structs.replace(read_prior(data, home), taken_from=shown(home.name))
    except (OSError, ReconError):
        return Prior()
