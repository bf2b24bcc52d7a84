"""A web page saved as one file (.mhtml / .mht: 「Web ページ、1 つのファイル」 in Edge and Chrome) → the
Grids of its page. The file is a MIME message (RFC 2557); the standard library's `email` parser
opens it, and its first text/html part is read as a saved .html page is. Line numbers are those of
the page inside the file, as its `Content-Transfer-Encoding` (quoted-printable, base64) decodes."""
from __future__ import annotations

import email
import email.policy
import re

from recon.errors import ReadError
from recon.model import Grid, Where
from recon.readers import html

# A saved page is one multipart/related message, a part or two of it multipart again at most; the
# email parser follows nesting by recursion, in time that grows with its square.
MAX_MULTIPARTS = 64
_MULTIPART = re.compile(rb"^content-type:[ \t]*multipart/", re.IGNORECASE | re.MULTILINE)


def read(data: bytes, rel: str) -> tuple[list[Grid], str]:
    """The page's tables; its encoding is the part's declared charset, as html.read judges it.
    A message of more than MAX_MULTIPARTS multiparts (parts nested in parts) is refused."""
    if len(_MULTIPART.findall(data, 0, len(data))) > MAX_MULTIPARTS:
        raise ReadError(Where(rel), "mhtml_depth", None, limit=MAX_MULTIPARTS)
    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
    except RecursionError:
        raise ReadError(Where(rel), "mhtml_depth", None, limit=MAX_MULTIPARTS) from None
    part = next((p for p in message.walk() if p.get_content_type() == "text/html"), None)
    if part is None:
        raise ReadError(Where(rel), "mhtml", **_found(message))
    page = part.get_payload(decode=True)
    if not isinstance(page, bytes):
        raise ReadError(Where(rel), "mhtml", found_as="empty_html_part")
    return html.read_page(page, rel, part.get_content_charset())


def _found(message) -> dict[str, str]:
    """What the message holds instead of a page, as labels.FOUND says it: its MIME parts."""
    types = sorted({p.get_content_type() for p in message.walk()})
    return {"found_as": "mime_parts", "detail": ", ".join(types)} if types else {"found_as": "no_mime_parts"}
