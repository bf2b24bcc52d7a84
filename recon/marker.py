"""How recon knows its own files: a report by a custom document property that Excel and LibreOffice
keep; a journal file by the name recon gives it."""
from __future__ import annotations

import io
import re
import zipfile

NAME = "recon.report"
VALUE = "recon/1"
_CUSTOM_XML = "docProps/custom.xml"


def is_recon_report(data: bytes) -> bool:
    """True when an .xlsx's custom properties carry recon's marker."""
    if _CUSTOM_XML.encode("ascii") not in data:  # the zip's directory names each part in plain bytes
        return False
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


JOURNAL_FORMATS = ("yayoi", "freee", "mf")  # 弥生会計, freee 会計, マネーフォワード クラウド会計
_JOURNAL_NAME = re.compile(rf"^journal-.+-(?:{'|'.join(JOURNAL_FORMATS)})\.csv$", re.IGNORECASE)


def journal_name(folder: str, fmt: str) -> str:
    """The name `recon journal` gives its file: journal-<folder>-<format>.csv."""
    return f"journal-{folder}-{fmt}.csv"


def is_journal_name(name: str) -> bool:
    """True for a file named as `recon journal` names its files (so a build passes over it)."""
    return bool(_JOURNAL_NAME.match(name))
