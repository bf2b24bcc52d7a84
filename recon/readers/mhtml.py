"""A web page saved as one file (.mhtml / .mht: 「Web ページ、1 つのファイル」 in Edge and Chrome) → the
Grids of its page. The file is a MIME message (RFC 2557); the standard library's `email` parser
opens it, and its first text/html part is read as a saved .html page is. Line numbers are those of
the page inside the file, as its `Content-Transfer-Encoding` (quoted-printable, base64) decodes."""
from __future__ import annotations

import email
import email.policy

from recon.errors import ReadError
from recon.model import Grid, Where
from recon.readers import html


def read(data: bytes, rel: str) -> tuple[list[Grid], str]:
    """The page's tables; its encoding is the part's declared charset, as html.read judges it."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    part = next((p for p in message.walk() if p.get_content_type() == "text/html"), None)
    if part is None:
        raise ReadError(Where(rel), "mhtml", _found(message))
    page = part.get_payload(decode=True)
    if not isinstance(page, bytes):
        raise ReadError(Where(rel), "mhtml", "a text/html part without content")
    return html.read_page(page, rel, part.get_content_charset())


def _found(message) -> str:
    types = sorted({p.get_content_type() for p in message.walk()})
    return "parts " + ", ".join(types) if types else "no MIME parts"
