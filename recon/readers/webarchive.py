"""A page saved by Safari (「Web アーカイブ」, .webarchive) → the Grids of its page.

The file is a property list, binary or XML, which the standard library's `plistlib` opens: its
`WebMainResource` holds the page as saved (`WebResourceData`, the bytes; `WebResourceTextEncodingName`,
their charset; `WebResourceMIMEType`), and `WebSubframeArchives` the pages of its frames, each an
archive of the same shape. The page is read as a saved .html page is, then each frame's. The keys
are WebKit's (Source/WebCore/loader/archive/cf/LegacyWebArchive.cpp, which writes and reads them)."""
from __future__ import annotations

import plistlib
import struct
from xml.parsers.expat import ExpatError

from recon.errors import ReadError
from recon.model import Grid, Where
from recon.readers import html

MAX_FRAMES = 64  # frames read from one archive, nested ones included


def read(data: bytes, rel: str) -> tuple[list[Grid], str]:
    """The main page's tables, then its frames'; the encoding is the main page's."""
    try:
        archive = plistlib.loads(data)
    except (plistlib.InvalidFileException, ExpatError, ValueError, TypeError, KeyError, IndexError, OverflowError,
            struct.error, RecursionError, MemoryError, UnicodeError) as e:
        raise ReadError(Where(rel), "webarchive", f"{type(e).__name__}: {e}"[:200]) from None
    grids, encoding = _page(archive, rel)
    pending, frames = list(_frames(archive)), 0
    while pending and frames < MAX_FRAMES:
        frame = pending.pop(0)
        frames += 1
        try:
            grids.extend(_page(frame, rel)[0])
        except ReadError:
            continue  # a frame that is no page (an advertisement's image) holds no table
        pending.extend(_frames(frame))
    return grids, encoding


def _page(archive, rel: str) -> tuple[list[Grid], str]:
    """The grids of an archive's main resource, a page."""
    main = archive.get("WebMainResource") if isinstance(archive, dict) else None
    if not isinstance(main, dict) or not isinstance(page := main.get("WebResourceData"), bytes):
        raise ReadError(Where(rel), "webarchive", found_as="no_main_resource")
    kind = main.get("WebResourceMIMEType")
    if isinstance(kind, str) and kind.split(";")[0].strip().lower() not in ("text/html", "application/xhtml+xml"):
        raise ReadError(Where(rel), "webarchive", found_as="not_a_page", mime=kind)
    charset = main.get("WebResourceTextEncodingName")
    return html.read_page(page, rel, charset if isinstance(charset, str) else None)


def _frames(archive) -> list:
    frames = archive.get("WebSubframeArchives") if isinstance(archive, dict) else None
    return [frame for frame in frames if isinstance(frame, dict)] if isinstance(frames, list) else []
