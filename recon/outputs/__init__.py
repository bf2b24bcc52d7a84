"""The outputs: each lays a `ReportView` out and computes nothing; the CLI and `commands` pick one
by name from `OUTPUTS`.

An output is one module with a function `write(view, target, settings)`: `target` is a path for an
output that makes a file (the workbook), a text stream for one that prints (json, console). A new
output is one module plus one entry here. Entries name their function as "module:function" and
are imported when used, so `recon check` never loads openpyxl.
"""
from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from msgspec import Struct

from recon.files import write_atomically  # noqa: F401 - where the outputs that write a file take it from
from recon.marker import JOURNAL_FORMATS

if TYPE_CHECKING:
    from recon.settings import Settings
    from recon.view import ReportView



class Stream(Protocol):
    """What an output that prints writes to: a text stream (sys.stdout, an io.StringIO, the CLI's
    stdout that no character can fail). Its `encoding`, where it has one, is what the text reaches
    the reader in."""

    def write(self, text: str, /) -> object: ...


Writer = Callable[["ReportView", "Path | Stream", "Settings | None"], None]


class Output(Struct, frozen=True):
    """One output: its name, where its writer lives ("module:function"), and what it writes to."""

    name: str
    writer: str | Writer
    target: Literal["file", "stream"]  # what `write` takes: a path, or a text stream

    def write(self, view: ReportView, target: Path | Stream, settings: Settings | None = None) -> None:
        """Lay `view` out into `target` (a path or a text stream, as `self.target` says)."""
        writer = self.writer
        if isinstance(writer, str):
            module, function = writer.split(":")
            writer = getattr(import_module(module), function)
        writer(view, target, settings)


OUTPUTS: dict[str, Output] = {}


def register(output: Output) -> Output:
    """Add an output to the registry (a name may be registered once)."""
    if output.name in OUTPUTS:
        raise ValueError(f"output {output.name!r} is registered already")
    OUTPUTS[output.name] = output
    return output


def get(name: str) -> Output:
    """The output registered under `name`; KeyError when there is none."""
    return OUTPUTS[name]


register(Output("xlsx", "recon.outputs.workbook:write", "file"))
register(Output("json", "recon.outputs.json:write", "stream"))
register(Output("console", "recon.outputs.console:write", "stream"))
for _product in JOURNAL_FORMATS:  # 仕訳 import files: 弥生会計, freee 会計, マネーフォワード
    register(Output(f"journal-{_product}", f"recon.outputs.journal:{_product}", "file"))
