"""The file system's edge: what recon reads is a regular file, read no further than its limit, and
what it writes appears whole or not at all, with nothing of its own left beside it.

- Reading: a named pipe (FIFO), a device or a socket is refused before it is opened (opening a
  FIFO waits for a writer that never comes; reading a device may never end), and again once
  opened, should one have been put in its place since; a file is read no further than one byte
  past its limit, however large it was when the folder was listed (it may grow as it is read).
- Writing: a temp file beside the target, named `.<target name>.<8 hex digits>.tmp`, renamed into
  place once written. A build killed while writing leaves it behind: the next write of the same
  target removes it, unless the process writing it is alive still (it holds a lock on it; on
  Windows, a file open in another process cannot be removed). A full or read-only disk is one line
  (ReconError) and leaves neither a temp file nor a half-written or empty target.
"""
from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from recon.errors import ReconError
from recon.model import Where

# What a path that is not a regular file is, as the line that refuses it says (labels.EXPECTED).
_NOT_REGULAR = ((stat.S_ISFIFO, "regular_fifo"), (stat.S_ISCHR, "regular_device"), (stat.S_ISBLK, "regular_device"),
                (stat.S_ISSOCK, "regular_socket"))
# What the disk refuses, by errno, as the line says it; anything else is labels' "writable".
_DISK_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def regular(path: Path, where: Where | None = None) -> os.stat_result:
    """The stat of the regular file at `path` (a link followed, as opening it would). ReconError at
    `where` (default: the path) for anything else; OSError (FileNotFoundError …) as the system says."""
    return _checked(os.stat(path), path, where)


def read_bytes(path: Path, limit: int | None = None, where: Where | None = None) -> bytes:
    """The bytes of the regular file at `path`, never more than `limit` of them. ReconError at
    `where` (default: the path) for a FIFO, a device, a socket or a folder, none of them opened for
    reading, and for a file of more than `limit` bytes, as listed or as it grew while read; OSError
    as the system raises it."""
    size = regular(path, where).st_size
    if limit is not None and size > limit:
        raise _too_large(path, where, "bytes", limit, size=f"{size:,}")
    fd = os.open(path, _READ_FLAGS)  # not blocking: a FIFO put in the file's place since opens at once
    with open(fd, "rb") as handle:
        _checked(os.fstat(fd), path, where)
        data = handle.read(size + 1)  # one byte past the listed size tells a file that grew
        if len(data) > size:
            data += handle.read(-1 if limit is None else limit + 1 - len(data))
            if limit is not None and len(data) > limit:
                raise _too_large(path, where, "grown", limit)
    return data


def _checked(status: os.stat_result, path: Path, where: Where | None) -> os.stat_result:
    if stat.S_ISREG(status.st_mode):
        return status
    expected = next((key for test, key in _NOT_REGULAR if test(status.st_mode)),
                    "regular_folder" if stat.S_ISDIR(status.st_mode) else "regular_other")
    raise ReconError(where or Where(str(path)), expected)


def _too_large(path: Path, where: Where | None, found_as: str, limit: int, **params: str) -> ReconError:
    return ReconError(where or Where(str(path)), "size", found_as=found_as, limit=f"{limit:,}", **params)


def write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Make the file at `path` by `write`ing a temp file beside it, then renaming it into place:
    a reader never sees half a file, and a failure leaves what was there. ReconError, located, when
    the file system refuses (the file open in Excel, which Windows locks; a read-only folder; a
    full disk)."""
    _place(path, write, os.replace)


def write_new(path: Path, data: bytes) -> bool:
    """Make the file at `path`, holding `data`, only where there is none: written beside it first,
    so that a full disk or a kill leaves no empty or partial file. False when a file is there (it
    is left as it is); ReconError, located, when the file system refuses."""
    try:
        _place(path, lambda handle: handle.write(data), _link_new)
    except FileExistsError:
        return False
    return True


def _place(path: Path, write: Callable[[BinaryIO], object], into_place: Callable[[Path, Path], None]) -> None:
    """Write a temp file beside `path` and move it there with `into_place(temp, path)`; the temp
    file is gone afterwards, whatever happened. FileExistsError passes (for `write_new`); any other
    refusal of the file system is a ReconError."""
    remove_left_behind(path)
    temp = None
    try:
        temp, handle = _temp_beside(path)
        with handle:  # kept open, so locked, until it is in place: where the system allows it
            write(handle)
            handle.flush()
            if sys.platform == "win32":  # Windows renames no file that is open
                handle.close()
            into_place(temp, path)
    except FileExistsError:
        raise
    except OSError as e:
        raise refused(path, e) from None
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)


def refused(path: Path | str | None, error: OSError, otherwise: str = "writable") -> ReconError:
    """The file system's refusal to write `path` as one line: a full disk (or a file the system will
    not let grow), a read-only disk, else `otherwise` (labels.EXPECTED: a file that cannot be
    written, open in Excel or without permission)."""
    where = Where(str(path)) if path else None
    if error.errno in _DISK_FULL:  # the words say it all; the system's own (in its language) add nothing
        return ReconError(where, "disk_space", None)
    if error.errno == errno.EROFS:
        return ReconError(where, "writable_disk", None)
    return ReconError(where, otherwise, error.strerror or str(error))


def machine_refused(error: OSError) -> ReconError:
    """An OSError that no stage turned into a ReconError, as one line: what the machine refused (a
    disk, a limit on memory or processes), at the file it names if it names one."""
    return refused(error.filename, error, otherwise="machine")


def _link_new(temp: Path, path: Path) -> None:
    """Move `temp` to `path` where there is no file: as a second name (which never replaces one),
    then without the first; where the file system has no second names (FAT, exFAT), renamed after
    a look that none is there."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
        os.replace(temp, path)


# --- temp files ---

def _temp_name(path: Path) -> str:
    return f".{path.name}.{secrets.token_hex(4)}.tmp"


def _temps_of(path: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(path.name)}\.[0-9a-f]{{8}}\.tmp")


def _temp_beside(path: Path) -> tuple[Path, BinaryIO]:
    """A new temp file beside `path`, open for writing and locked for as long as it is open (so
    that another build does not take it for one left behind)."""
    while True:
        temp = path.with_name(_temp_name(path))
        try:
            # never through a link: an existing name, link or not, fails; returned open, closed here on failure
            handle = open(temp, "xb")  # noqa: SIM115 (it outlives this function: the caller closes it)
        except FileExistsError:  # the same eight hex digits: another name
            continue
        try:
            _lock(handle.fileno())
            if os.fstat(handle.fileno()).st_nlink > 0:  # not removed by another build before the lock
                return temp, handle
        except BaseException:
            handle.close()
            temp.unlink(missing_ok=True)
            raise
        handle.close()


def remove_left_behind(path: Path) -> list[str]:
    """Remove the temp files that a killed write of `path` left beside it (recon's own, by their
    name, that no living process holds); returns their names. A file that cannot be removed stays."""
    pattern = _temps_of(path)
    removed: list[str] = []
    try:
        with os.scandir(path.parent) as entries:
            names = [e.name for e in entries if pattern.fullmatch(e.name) and e.is_file(follow_symlinks=False)]
    except OSError:
        return removed
    for name in names:
        if _remove_unheld(path.parent / name):
            removed.append(name)
    return removed


def _remove_unheld(temp: Path) -> bool:
    """Remove a temp file unless a living process holds it (a build writing it now)."""
    try:
        if sys.platform == "win32":  # a file open in another process is not removed there
            temp.unlink()
            return True
        fd = os.open(temp, _READ_FLAGS | os.O_NOFOLLOW)
        try:
            _lock(fd)
            temp.unlink()
        finally:
            os.close(fd)
    except OSError:  # held, gone already, or not ours to remove
        return False
    return True


def _lock(fd: int) -> None:
    """An exclusive lock on an open file, for as long as it stays open; OSError (BlockingIOError)
    at once when another process holds it. Windows needs none: a file open there is not removed."""
    if sys.platform != "win32":
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
