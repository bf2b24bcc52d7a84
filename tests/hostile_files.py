"""Small files that declare far more than they hold (issue: bounded by content): a workbook whose
<dimension> or row numbers claim a huge sheet, an .ods whose one cell repeats millions of times, a
page whose cells span a thousand columns each. Each is a few kilobytes; read by what it declares,
each would take gigabytes."""
from __future__ import annotations

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"


def xlsx(sheet_data: str, dimension: str | None = None) -> bytes:
    """The smallest workbook Excel opens, its one sheet's <sheetData> as given."""
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    files = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                               '<Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" Type="{RELS}/officeDocument" '
                       'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets><sheet name="Sheet1" sheetId="1" '
                           'r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
                                      f'Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}">{head}<sheetData>{sheet_data}</sheetData></worksheet>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def xlsx_wide(rows: int = 3000) -> bytes:
    """A sheet that declares itself 16,384 columns wide (A1:XFD…) and holds one cell a row."""
    return xlsx("".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, rows + 1)),
                dimension=f"A1:XFD{rows}")


def xlsx_far_row(number: int = 1_500_000_000) -> bytes:
    """Two cells, the second on a row numbered past any sheet (Excel's last row is 1,048,576)."""
    return xlsx(f'<row r="1"><c r="A1"><v>1</v></c></row><row r="{number}"><c r="A{number}"><v>2</v></c></row>')


def xlsx_far_column(rows: int = 3000) -> bytes:
    """One cell in column XFD (the last) on each of many rows: each row laid out 16,384 cells wide."""
    return xlsx("".join(f'<row r="{r}"><c r="XFD{r}"><v>{r}</v></c></row>' for r in range(1, rows + 1)))


def ods_repeated(columns: int = 16384, rows: int = 4000) -> bytes:
    """An .ods whose one cell, holding a number, repeats `columns` times across and `rows` down."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="Sheet1">'
               f'<table:table-row table:number-rows-repeated="{rows}">'
               f'<table:table-cell table:number-columns-repeated="{columns}" office:value-type="float" '
               'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
               "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def html_colspan(cells: int = 200_000) -> bytes:
    """A page of one table whose cells each span 1,000 columns (the most a browser honours)."""
    row = '<td colspan="1000">1</td>' * 100
    return ("<table>" + f"<tr>{row}</tr>" * (cells // 100) + "</table>").encode("ascii")


def html_rowspan(rows: int = 20_000) -> bytes:
    """A page whose first row's cells span every row below them, across a thousand columns each."""
    head = '<td rowspan="65534" colspan="1000">1</td>' * 50
    return (f"<table><tr>{head}</tr>" + "<tr><td>1</td></tr>" * rows + "</table>").encode("ascii")
