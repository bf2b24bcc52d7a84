"""Typed errors: every problem recon reports says where, what was expected and what was found."""
from __future__ import annotations

from recon.model import Message, Where


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

    def __reduce__(self):
        """Pickled as the call that makes it (raised in a worker process, it is raised again here)."""
        return _rebuilt, (type(self), self.where, self.expected, self.found, self.params)

    def render(self, lang: str) -> str:
        """One line: `file:line: expected …, found '…'`."""
        from recon.labels import render

        return render(self.message(), lang)

    def message(self, where: Where | None = None) -> Message:
        """The error as a Message, to be put in words per language wherever it is shown.
        `where` stands in when the error itself has no location."""
        place = self.where or where
        params = {f"param_{k}": v for k, v in self.params.items()}
        if self.found is not None:
            params["found"] = self.found
        return Message.of("read_error", because=None, where=place or "", expected=self.expected,
                          **params)


def _rebuilt(kind: type[ReconError], where: Where | None, expected: str, found: str | None,
             params: dict[str, object]) -> ReconError:
    return kind(where, expected, found, **params)


class ReadError(ReconError):
    """An input file cannot be read as the format it claims to be."""


class SettingsError(ReconError):
    """recon.toml or an option has an unknown key or a bad value."""


class UsageError(ReconError):
    """The command cannot run as asked (missing folder, output it must not overwrite)."""
