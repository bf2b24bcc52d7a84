"""The `recon` command: parse options, call the library, print, exit. Nothing else lives here.

Exit codes (SPEC §4), the same whatever the console's encoding:
  0  build: the workbook is written. check: there is a month and every month is closed or a
     warning (--strict: closed).
  1  check: a month is open (or there are no months).
  2  a usage error: bad options or settings, a missing folder, an output recon must not write
     (an input, not .xlsx, a workbook it did not write without --force, a missing output folder);
     what the machine refuses (a full or read-only disk, a FIFO or a device where a file should be).
  3  an internal error, a bug in recon: one line; RECON_DEBUG=1 shows its traceback, and the
     traceback of any file the build recorded as an internal error.
130  interrupted (Ctrl-C): `Aborted!`, and nothing half-written (128 + SIGINT, as a shell reports
     a command it interrupted: no script takes it for the close's answer).
Everything printed is made writable in the console's encoding (cp932 included) before it is printed.
Heavy libraries are imported inside the commands so `recon --help` stays instant. Once they are
imported, what they built is frozen out of the garbage collector's way (`_imported`): it lives until
the process ends, so no collection during the run, and none at exit, needs to walk it again.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from recon import __version__
from recon.marker import JOURNAL_FORMATS

_LANG = click.Choice(["ja", "en"])
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class _ReconCommand(click.Command):
    """Turn the library's typed errors into one line on stderr and exit 2; a bug into exit 3."""

    def invoke(self, ctx):
        from recon.errors import ReconError

        debug = _debug_handler()
        try:
            return super().invoke(ctx)
        except ReconError as e:
            _echo(f"recon: {e.render(_lang(ctx))}", err=True)
            ctx.exit(EXIT_USAGE)
        except KeyboardInterrupt:  # click would say the same, with check's status for an open month
            _echo("\nAborted!", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except OSError as e:  # the machine's refusal (a disk, a limit on memory or processes), not a bug
            from recon.files import machine_refused

            _echo(f"recon: {machine_refused(e).render(_lang(ctx))}", err=True)
            ctx.exit(EXIT_USAGE)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as e:  # noqa: BLE001 (a bug: one line for the user, the traceback for whoever fixes it)
            if debug:
                import traceback

                _echo(traceback.format_exc(), err=True, nl=False)
            from recon.labels import internal_error

            _echo(f"recon: {internal_error(f'{type(e).__name__}: {e}', debug is not None, _lang(ctx))}", err=True)
            ctx.exit(EXIT_INTERNAL)
        finally:
            if debug:
                import logging

                logging.getLogger("recon").removeHandler(debug)
            _imported()  # the process ends now: its exit need not walk what the command made


def _lang(ctx: click.Context) -> str:
    """The language the console speaks for a line about the command itself (SPEC §4): --lang, else
    the folder's [report] lang when its settings can be read, else Japanese."""
    from recon.commands import console_lang

    params = ctx.params
    return console_lang(params.get("folder"), params.get("config"), params.get("lang"))


def _commands():
    """`recon.commands`, then `_imported`: what the imports built is frozen out of the collector's way."""
    from recon import commands

    _imported()
    return commands


def _imported() -> None:
    """Move every object alive now out of the collector's generations (gc.freeze): modules, classes
    and what the libraries built at import live until exit, and need not be walked again in every
    full collection and once more at exit. A run makes objects by the hundred thousand and frees
    them by reference count: the collector looks for cycles after 10,000 new objects rather than
    700, and seldom in the older generations. Without this (benchmarks/own_code.py, whole builds,
    paired) a one-contract build takes 25% longer (26% more CPU time, 21 rounds), 10 contracts 4%
    (15% more CPU time), 400 contracts 2%."""
    import gc

    gc.freeze()
    gc.set_threshold(10_000, 50, 50)


def _debug_handler():
    """With RECON_DEBUG set, a logging handler that sends to stderr the tracebacks the pipeline logs
    for files it recorded as internal errors; without it, None (and logging is not even imported)."""
    if os.environ.get("RECON_DEBUG", "") in ("", "0"):
        return None
    import logging

    handler = logging.StreamHandler(sys.stderr)
    log = logging.getLogger("recon")
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    return handler


def _echo(text: str, err: bool = False, nl: bool = True) -> None:
    """Print `text` so that no character can fail in the stream's encoding (cp932 included). A
    reader that stops reading (`recon check | head`) ends the printing, not the command, whose exit
    status still answers."""
    from recon.values import encodable

    try:
        click.echo(encodable(text, _encoding(err)), err=err, nl=nl)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), (sys.stderr if err else sys.stdout).fileno())


def _encoding(err: bool = False) -> str:
    """The encoding stdout (or stderr) reaches the terminal or the redirect in. Where the stream
    claims ASCII (a C locale) click writes UTF-8 instead, and so is it taken here."""
    import codecs

    name = getattr(sys.stderr if err else sys.stdout, "encoding", None) or "utf-8"
    try:
        return "utf-8" if codecs.lookup(name).name == "ascii" else name
    except LookupError:
        return "utf-8"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="recon")
def main():
    """Reconcile OCN ドットフォン オフィス (050 IP phone) call charges against the invoice."""


_FOLDER = click.argument("folder", type=click.Path(path_type=Path))  # a missing one: commands says so in one line


@main.command(cls=_ReconCommand)
@_FOLDER
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Workbook to write (default FOLDER/recon-<folder>.xlsx).")
@click.option("--json", "as_json", is_flag=True, help="Print the recon/1 JSON on stdout alone.")
@click.option("--lang", type=_LANG, help="Language of the workbook and the summary (default ja).")
@click.option("--template", type=click.Path(path_type=Path), help="A restyled copy of the report template.")
@click.option("--config", type=click.Path(path_type=Path), help="Settings file (default FOLDER/recon.toml).")
@click.option("--force", is_flag=True, help="Overwrite an .xlsx at the output path that recon did not write.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def build(folder, output, as_json, lang, template, config, force, quiet):
    """Read every monthly detail table in FOLDER and write the reconciliation workbook."""
    commands = _commands()
    report, _ = commands.build(folder, output=output, lang=lang, template=template, config=config,
                               force=force, progress=_progress())
    _print(report, as_json, quiet)


@main.command(cls=_ReconCommand)
@_FOLDER
@click.option("--json", "as_json", is_flag=True, help="Print the recon/1 JSON on stdout.")
@click.option("--strict", is_flag=True,
              help="A warning passes only when closed (explained and signed off), like any other open month.")
@click.option("--lang", type=_LANG, help="Language of the summary and the last line (default ja).")
@click.option("--config", type=click.Path(path_type=Path), help="Settings file (default FOLDER/recon.toml).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing; the exit status answers.")
def check(folder, as_json, strict, lang, config, quiet):
    """Exit 0 when every month of FOLDER is closed (ok, or explained and signed off) or a warning
    that is no suspected toll fraud, 1 otherwise. Writes nothing."""
    commands = _commands()
    report, open_months = commands.check(folder, config=config, strict=strict, lang=lang, progress=_progress())
    _print(report, as_json, quiet)
    if not quiet:  # the last line says it all; with --json, stdout carries the document alone
        _echo(commands.close_line(report, open_months), err=as_json)
    sys.exit(0 if report.months and not open_months else 1)


@main.command(cls=_ReconCommand)
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--year", type=click.IntRange(2000, 2099),
              help="The year, written into recon.toml (default: the folder's name, e.g. 2024 or 2024年度).")
@click.option("--start-month", type=click.IntRange(1, 12),
              help="The fiscal year's first month, written into recon.toml (default: 4 for 2024年度, 1 for 2024).")
@click.option("--lang", type=_LANG, help="Language of what is printed (default ja).")
def init(folder, year, start_month, lang):
    """Scaffold a year folder: invoices.csv with the year's twelve months and a commented recon.toml."""
    from recon import commands

    for line in commands.init(folder, year, start_month, lang=commands.console_lang(folder, None, lang)):
        _echo(line, err=True)


@main.command(cls=_ReconCommand)
@_FOLDER
@click.option("--format", "fmt", type=click.Choice(list(JOURNAL_FORMATS)), required=True,
              help="The accounting software: 弥生会計 (yayoi), freee 会計 (freee), マネーフォワード クラウド会計 (mf).")
@click.option("--all", "every_month", is_flag=True,
              help="Every month with a detail table and an invoiced amount, not only the closed ones.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="File to write (default FOLDER/journal-<folder>-<format>.csv).")
@click.option("--json", "as_json", is_flag=True, help="Print the entries and their lines as JSON on stdout.")
@click.option("--lang", type=_LANG, help="Language of what is printed: the months left out, errors (default ja).")
@click.option("--config", type=click.Path(path_type=Path), help="Settings file (default FOLDER/recon.toml).")
def journal(folder, fmt, every_month, output, as_json, lang, config):
    """Write the journal entries (仕訳) of FOLDER's closed months in the import format of FORMAT.
    The months left out, and why, are listed on stderr. Exit 0 once the file is written, or when no
    month is to be booked (then no file is written, and one already there is left as it was)."""
    commands = _commands()
    entries, target, settings = commands.journal(folder, fmt, every_month=every_month, output=output,
                                                 config=config, lang=lang, progress=_progress())
    notes, document = commands.journal_text(entries, target, fmt, settings, as_json)
    for line in notes:
        _echo(line, err=True)
    if document is not None:
        _echo(document)


@main.command(cls=_ReconCommand)
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--lang", type=_LANG, help="Language of what is printed (default ja).")
def template(out, lang):
    """Write a copy of the report template to OUT.xlsx, to restyle in Excel and pass with --template."""
    from recon import commands

    _echo(commands.template_line(commands.template(out), lang or "ja"), err=True)


def _print(view, as_json, quiet):
    from recon import commands

    if as_json or not quiet:
        commands.show(view, as_json, _Stream())


class _Stream:
    """stdout as an output writes to it: the encoding it reaches the terminal or the redirect in,
    and writes that no character can fail."""

    def __init__(self):
        self.encoding = _encoding()

    def write(self, text: str) -> None:
        _echo(text, nl=False)


def _progress():
    """A progress line on stderr for a terminal; nothing when stderr is a pipe or a file."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        click.echo(f"\rreading {done}/{total} files", err=True, nl=done == total)

    return show
