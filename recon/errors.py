"""Typed errors: every problem recon reports says where, what was expected and what was found."""
from __future__ import annotations

from recon.model import Message, Where


class ReconError(Exception):
    """A problem with an input, located: `where`, what was `expected`, what was `found`.

    `expected` is a key of `labels.EXPECTED` (the words live there); `params` fill its blanks.
    What was found is the text as found (a cell's value), or, where recon says in words what a file
    is, `found_as`: a key of `labels.FOUND`, its blanks filled from `params` too, so that it is put
    in the language of the message; `found` is then its English words.
    """

    def __init__(self, where: Where | None, expected: str, found: str | None = None, *,
                 found_as: str | None = None, **params: object):
        self.where = where
        self.expected = expected
        self.found_as = found_as
        self.params = params
        if found_as is not None:
            from recon.labels import FOUND

            found = FOUND[found_as][1].format(**params)
        self.found = found
        super().__init__(self.render("en"))

    def __reduce__(self):
        """Pickled as the call that makes it (raised in a worker process, it is raised again here)."""
        return _rebuilt, (type(self), self.where, self.expected, self.found, self.found_as, self.params)

    def render(self, lang: str) -> str:
        """One line: `file:line: expected …, found '…'`."""
        from recon.labels import render

        return render(self.message(), lang)

    def message(self, where: Where | None = None) -> Message:
        """The error as a Message, to be put in words per language wherever it is shown.
        `where` stands in when the error itself has no location."""
        place = self.where or where
        params = {f"param_{k}": v for k, v in self.params.items()}
        if self.found_as is not None:
            params["found_as"] = self.found_as
        elif self.found is not None:
            params["found"] = self.found
        return Message.of("read_error", because=None, where=place or "", expected=self.expected,
                          **params)


def _rebuilt(kind: type[ReconError], where: Where | None, expected: str, found: str | None,
             found_as: str | None, params: dict[str, object]) -> ReconError:
    return kind(where, expected, None if found_as else found, found_as=found_as, **params)


class ReadError(ReconError):
    """An input file cannot be read as the format it claims to be."""


class SettingsError(ReconError):
    """recon.toml or an option has an unknown key or a bad value."""


class UsageError(ReconError):
    """The command cannot run as asked (missing folder, output it must not overwrite)."""
