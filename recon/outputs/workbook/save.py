"""Saving: fixed document properties and zip times, so the same report gives the same bytes, written
atomically."""
from __future__ import annotations

import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from openpyxl.packaging.core import DocumentProperties
from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook import Workbook

from recon import marker
from recon.files import write_atomically
from recon.outputs.workbook.rows import DEFLATE_LEVEL, BookWriter, DataRows

FIXED_TIME = datetime(2000, 1, 1)  # document timestamps: the same report gives the same bytes



ZIP_TIME = (1980, 1, 1, 0, 0, 0)



def stamp(wb: Workbook) -> None:
    """Fixed document properties, and the marker by which recon knows its own reports."""
    wb.properties = DocumentProperties(creator="recon", created=FIXED_TIME, modified=FIXED_TIME)
    custom = wb.custom_doc_props  # type: ignore[attr-defined]  # openpyxl 3.1's, which the stubs leave out
    custom.props = [p for p in custom.props if p.name != marker.NAME]
    custom.append(StringProperty(name=marker.NAME, value=marker.VALUE))



class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one date, so the same workbook always gives the same bytes."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        super().writestr(self._entry(getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)), data)

    def open(self, name, mode="r", pwd=None, *, force_zip64=False):
        """An entry opened by name to be written (a sheet, as it is written) takes the fixed date too."""
        if mode == "w" and isinstance(name, str):
            name = self._entry(name)
        return super().open(name, mode, pwd, force_zip64=force_zip64)

    @staticmethod
    def _entry(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        # where zipfile takes an entry's level from: private before 3.13 (then compress_level too)
        info._compresslevel = DEFLATE_LEVEL  # type: ignore[attr-defined]
        info.create_system, info.external_attr = 3, 0o644 << 16
        return info



def save(wb: Workbook, path: Path, data: Iterable[DataRows] = ()) -> None:
    """Write `wb` to `path` atomically (a temp file in the same folder, then a rename), each sheet's
    `data` rows in their place."""
    def write(handle) -> None:
        with _FixedTimeZip(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=DEFLATE_LEVEL) as archive:
            BookWriter(wb, archive, data).save()

    write_atomically(path, write)

