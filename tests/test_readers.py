"""Every reader gives the same seed month. A file dropped into tests/data/seed/ is a test by itself."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from recon import readers
from recon.errors import ReadError
from recon.model import Figures
from recon.pipeline import build
from recon.settings import load
from recon.table import find_tables

SEED_DIR = Path(__file__).parent / "data" / "seed"
SEED_FILES = sorted(p for p in SEED_DIR.iterdir() if readers.format_of(p.suffix))
SEED_ROWS = [("general", 1096, 1037935, 10240), ("international", 600, 1980600, 96870),
             ("mobile", 330, 168450, 7680), ("ip", 480, 376350, 0), ("phs", 510, 393300, 15300)]
ENCODINGS = {"2024-01.txt": "utf-8", "2024-01_utf8bom.csv": "utf-8-bom", "2024-01_cp932.csv": "cp932",
             "2024-01_utf16.txt": "utf-16-le", "2024-01_sjis.html": "cp932", "2024-01.xlsx": None}


def tables(path: Path):
    grids, encoding = readers.read(path.read_bytes(), path.name, path.suffix)
    return [t for g in grids for t in find_tables(g)], encoding


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_every_form_of_the_seed_month_reads_the_same_table(path):
    found, _ = tables(path)
    assert len(found) == 1
    table = found[0]
    assert [(r.type_id, r.count, r.tenths, r.charge) for r in table.rows] == SEED_ROWS
    assert table.stated_total == Figures(3016, 4316635, None)
    assert (table.discount.count, table.discount.tenths, table.discount.stated) == (3016, 1408630, -1174)


@pytest.mark.parametrize("name, encoding", ENCODINGS.items())
def test_encoding_is_recognised_and_reported(name, encoding):
    assert tables(SEED_DIR / name)[1] == encoding


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_every_form_reconciles_to_the_same_month(path, tmp_path):
    folder = tmp_path / "2024"
    folder.mkdir()
    shutil.copy(path, folder / f"2024-01{path.suffix}")
    (folder / "invoices.csv").write_text("month,amount\n2024-01,128916\n", encoding="utf-8")
    (month,) = build(folder, load(None)).months
    failed = [c.check for c in month.checks if not c.ok]
    assert (month.status, month.total, month.discount.recomputed, month.expected_invoice, failed) == (
        "warning", Figures(3016, 3956635, 130090), -1174, 128916, ["total_duration"])


def test_locations_point_at_the_source_line_or_cell():
    text_table = tables(SEED_DIR / "2024-01.txt")[0][0]
    assert str(text_table.rows[0].where).startswith("2024-01.txt:")
    xlsx_table = tables(SEED_DIR / "2024-01.xlsx")[0][0]
    assert "!" in str(xlsx_table.rows[0].where)  # 2024-01.xlsx:Sheet!C6


def test_html_takes_the_selected_month_from_the_drop_down():
    table = tables(SEED_DIR / "2024-01.html")[0][0]
    assert table.month_in_content == "2024-01"


def test_undecodable_bytes_name_the_encodings_tried():
    with pytest.raises(ReadError) as caught:
        readers.read(b"\x81\x20\xff\xfe\xfd" * 10, "2024-01.txt", ".txt")
    assert "utf-8, cp932" in str(caught.value)


def test_damaged_xlsx_is_a_read_error():
    with pytest.raises(ReadError) as caught:
        readers.read(b"PK\x03\x04 not really a zip", "2024-01.xlsx", ".xlsx")
    assert str(caught.value).startswith("2024-01.xlsx: expected an Excel workbook")


@pytest.mark.parametrize("charset", ["utf-16", "iso-8859-1", "windows-1252", "base64", "nonsense"])
def test_a_wrong_meta_charset_does_not_lose_a_utf8_page(charset):
    page = (SEED_DIR / "2024-01.html").read_bytes().replace(b'charset="utf-8"', f'charset="{charset}"'.encode())
    assert f'charset="{charset}"'.encode() in page
    grids, encoding = readers.read(page, "2024-01.html", ".html")
    assert encoding == "utf-8" and len([t for g in grids for t in find_tables(g)]) == 1


@pytest.mark.parametrize("charset", ["Shift_JIS", "windows-31j", "x-sjis", "cp932"])
def test_shift_jis_page_names_read_as_cp932(charset):
    page = (SEED_DIR / "2024-01_sjis.html").read_bytes().replace(b'charset="Shift_JIS"', f'charset="{charset}"'.encode())
    grids, encoding = readers.read(page, "2024-01.html", ".html")
    assert encoding == "cp932" and len([t for g in grids for t in find_tables(g)]) == 1
