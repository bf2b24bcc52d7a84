"""Typed errors: every problem recon reports says where, what was expected and what was found."""
from __future__ import annotations

from recon.model import Where


class ReconError(Exception):
    """A problem with an input, located: `where`, what was `expected`, what was `found`.

    `expected` is a key of `labels.EXPECTED` (the words live there); `params` fill its blanks.
    """

    def __init__(self, where: Where | None, expected: str, found: str | None = None, **params: object):
        self.where = where
        self.expected = expected
        self.found = found
        self.params = params
        super().__init__(self.render("en"))

    def render(self, lang: str) -> str:
        """One line: `file:line: expected …, found '…'`."""
        from recon.labels import describe_error

        return describe_error(self, lang)


class ReadError(ReconError):
    """An input file cannot be read as the format it claims to be."""


class NotATable(ReconError):
    """The file holds no detail table: it is ignored, not an error."""


class SettingsError(ReconError):
    """recon.toml or an option has an unknown key or a bad value."""


class UsageError(ReconError):
    """The command cannot run as asked (missing folder, output it must not overwrite)."""
