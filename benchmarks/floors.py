"""The floors a recon command is measured against, each run as a whole process by benchmarks/run.py.

    python benchmarks/floors.py imports MODULES.txt      import every module named (one a line), nothing else
    python benchmarks/floors.py bytes FOLDER RAW         read every byte under FOLDER; deflate RAW's bytes
    python benchmarks/floors.py parse FOLDER             parse every input with the fastest library for
                                                         its format, keeping the values; nothing more
    python benchmarks/floors.py parse-imports            the same process with no file: its imports alone

`imports` is what no build can go below: the libraries the command really imports (the list comes from
`python -X importtime`, recon's own modules left out). `bytes` is the disk and the compressor: every
input read, and an output as large as the workbook deflated (RAW holds the workbook's parts,
uncompressed). `parse` is what reading would cost at the libraries' speed: python-calamine for a
workbook, lxml for a page, the csv module for text; `parse` less `parse-imports` is its reading alone.
"""
from __future__ import annotations

import sys
import zlib
from pathlib import Path


def imports(listing: str) -> None:
    import importlib

    for name in Path(listing).read_text(encoding="utf-8").split():
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S112 - a module recon tried and did not find, as recon did
            continue


def read_bytes(folder: str, raw: str) -> None:
    total = sum(len(p.read_bytes()) for p in sorted(Path(folder).rglob("*")) if p.is_file())
    deflated = zlib.compressobj(6, zlib.DEFLATED, -15)
    size = len(deflated.compress(Path(raw).read_bytes()) + deflated.flush())
    Path(raw).with_suffix(".deflated").write_bytes(b"\0" * size)
    assert total


def parse_imports():
    """The modules `parse` reads with."""
    import csv
    import io

    import lxml.html
    import python_calamine

    return csv, io, lxml.html, python_calamine


def parse(folder: str) -> None:
    csv, io, lxml_html, python_calamine = parse_imports()
    kept = 0
    for path in sorted(Path(folder).rglob("*")):
        suffix = path.suffix.lower()
        if suffix == ".xlsx":
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
            kept += sum(len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names)
        elif suffix == ".html":
            root = lxml_html.document_fromstring(path.read_bytes().decode("utf-8"))
            kept += sum(len([td.text_content() for td in tr]) for tr in root.iter("tr"))
        elif suffix in (".txt", ".csv"):
            data = path.read_bytes()
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp932")
            kept += sum(1 for _ in csv.reader(io.StringIO(text), delimiter="," if suffix == ".csv" else "\t"))
    assert kept


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    {"imports": imports, "bytes": read_bytes, "parse": parse, "parse-imports": parse_imports}[mode](*args)
