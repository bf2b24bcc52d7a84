"""How recon knows its own reports: a custom document property that Excel and LibreOffice keep."""
from __future__ import annotations

import io
import zipfile

NAME = "recon.report"
VALUE = "recon/1"
_CUSTOM_XML = "docProps/custom.xml"


def is_recon_report(data: bytes) -> bool:
    """True when an .xlsx's custom properties carry recon's marker."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if _CUSTOM_XML not in archive.namelist():
                return False
            info = archive.getinfo(_CUSTOM_XML)
            if info.file_size > 1_000_000:
                return False
            xml = archive.read(_CUSTOM_XML)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return False
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException, ElementTree

    try:
        root = ElementTree.fromstring(xml)
    except (ParseError, DefusedXmlException):
        return False
    return any(el.get("name") == NAME for el in root)
