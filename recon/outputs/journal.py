"""The journal entries as each accounting product's import file: 弥生会計, freee 会計, マネーフォワード
クラウド会計. A product is one `Layout`: encoding, line ends, header row and a table of columns, each
a header and how its value is taken from a row. A row is one line of a slip: the entry's i-th debit
beside its i-th credit, as all three products lay out a compound entry.

All three are written in CP932 with CRLF: 弥生 reads nothing else; freee's and マネーフォワード's
templates for Windows (where their users keep these files and open them in Excel) are Shift_JIS.
Each layout cites the vendor's own page for its import, and every rule the page sets on a row is
met on every row (tests/test_journal.py checks them row by row). No cell of any file starts a
formula: the settings that reach a cell are refused when they would (`settings.Cell`), and `render`
refuses a cell that still would, rather than write it.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from itertools import zip_longest
from pathlib import Path
from typing import BinaryIO

from msgspec import Struct

from recon import labels
from recon.errors import ReconError
from recon.journal import Journal, JournalEntry, JournalLine
from recon.marker import JOURNAL_FORMATS
from recon.model import Message
from recon.outputs import write_atomically
from recon.settings import Settings, TaxCategories, starts_a_formula
from recon.view import ReportView

ENCODING, NEWLINE = "cp932", "\r\n"


class Row(Struct, frozen=True):
    """One line of a slip as the products lay it out: a debit beside a credit (either may be None)."""

    entry: JournalEntry
    number: int  # the slip's number in the file, from 1: one number for the rows of one entry
    index: int  # this row's place in the slip, from 0
    count: int  # how many rows the slip has
    debit: JournalLine | None
    credit: JournalLine | None
    names: TaxCategories  # the product's names of the tax categories


Value = Callable[[Row], str]


class Column(Struct, frozen=True):
    header: str
    value: Value


class Layout(Struct, frozen=True):
    """How one product imports a journal: its label, encoding, line ends, header row and columns."""

    name: str  # the --format id, also the [journal.<name>] settings of its tax-category names
    product: str  # its name, for people
    header: bool  # whether the file starts with the column headers
    columns: tuple[Column, ...]
    encoding: str = ENCODING
    newline: str = NEWLINE
    widths: dict[str, int] = {}  # column → the most bytes (in `encoding`) the product imports of a name


# --- how a value is taken from a row ---

def blank(row: Row) -> str:
    """A column the journal leaves empty (its separator is still written)."""
    return ""


def fixed(text: str) -> Value:
    """The same text on every row."""
    return lambda row: text


def date(row: Row) -> str:
    """The entry's date as all three products read it: 2024/01/31."""
    return row.entry.date.strftime("%Y/%m/%d")


def slip_number(row: Row) -> str:
    """The entry's number in the file: the rows of one entry share it (freee 伝票番号, MF 取引No)."""
    return str(row.number)


def side(which: str, field: str, missing: str = "") -> Value:
    """A field of the row's debit or credit line; `missing` where the row has no line on that side.
    `category` gives the product's name for the line's tax category."""

    def value(row: Row) -> str:
        line = row.debit if which == "debit" else row.credit
        if line is None:
            return missing
        if field == "category":
            return getattr(row.names, line.category)
        return str(getattr(line, field))

    return value


def when_taxable(which: str, text: str) -> Value:
    """`text` on a line of a qualified purchase, else blank."""

    def value(row: Row) -> str:
        line = row.debit if which == "debit" else row.credit
        return text if line is not None and line.category == "taxable" else ""

    return value


def summary(row: Row) -> str:
    """The 摘要 of the row: the debit's (it says which part it is), else the credit's."""
    line = row.debit or row.credit
    return line.summary if line else ""


def width(text: str, encoding: str = ENCODING) -> int:
    """Bytes of `text` in `encoding` (in CP932 a half-width character is 1, a full-width one 2); a
    character the encoding lacks counts 1 (`encode` refuses it later, quoting it)."""
    return len(text.encode(encoding, errors="replace"))


def cut(text: str, limit: int, encoding: str = ENCODING) -> str:
    """The longest start of `text` within `limit` bytes, never half a character; no trailing space."""
    kept, used = [], 0
    for char in text:
        used += width(char, encoding)
        if used > limit:
            break
        kept.append(char)
    return "".join(kept).rstrip(" \u3000")


def fitted_summary(vendor: str, summary: str, part: str, limit: int, encoding: str = ENCODING) -> str:
    """A 摘要 of at most `limit` bytes: the vendor, then the line's summary, which ends in `part`,
    the words that tell the line from the entry's others. When that is too long the vendor goes (the
    month and the contract say more about a phone bill than the carrier every entry shares); when
    the summary alone is still too long, its common text is cut, never `part`."""
    whole = " ".join(text for text in (vendor, summary) if text)
    if width(whole, encoding) <= limit:
        return whole
    if width(summary, encoding) <= limit:
        return summary
    common = summary.removesuffix(part).rstrip() if part else summary
    tail = f" {part}" if part else ""
    return cut(common, limit - width(tail, encoding), encoding) + tail


def yayoi_summary(row: Row) -> str:
    """弥生's 摘要: the vendor leads it (the layout has no 取引先 column), within the 64 bytes 弥生
    keeps (`fitted_summary`); the debit's text (it says which part it is), else the credit's."""
    line = row.debit or row.credit
    return fitted_summary(line.vendor, line.summary, line.part, YAYOI_SUMMARY_BYTES) if line else ""


def yayoi_flag(row: Row) -> str:
    """識別フラグ: 2111 a one-row slip; else 2110 its first row, 2100 a row between, 2101 its last."""
    if row.count == 1:
        return "2111"
    return "2110" if row.index == 0 else "2101" if row.index == row.count - 1 else "2100"


# 弥生会計: 弥生取り込み(インポート)形式 (弥生会計 05以降), as the インポート help page 「仕訳データの項目と
# 記述形式」 gives it, https://support.yayoi-kk.co.jp/subcontents.html?page_id=18545: 25 columns (識別フラグ,
# 伝票No., 決算, 取引日付, 借方/貸方 勘定科目・補助科目・部門・税区分・金額・税金額, 摘要, 番号, 期日, タイプ,
# 生成元, 仕訳メモ, 付箋1, 付箋2, 調整), no header row; one record a line, fields separated by commas, a
# field holding one in double quotes, a line starting with # a comment (「インポートデータの記述形式」,
# page_id=18586). What the page requires of every row, and how each row here meets it:
#   識別フラグ  2111 a one-row slip; 2110 its first row, 2100 a row between, 2101 its last.
#   取引日付    2024/01/31 (western dates as 2019/07/01 are among those it lists).
#   勘定科目    required, except on a side of a multi-row slip that has none: left blank there.
#               At most 24 half-width bytes (cut at import): a longer name is refused (`Layout.widths`).
#   税区分      required on both sides of every row, `対象外` on a side without an account.
#               The category, 内税 and 請求書区分 in one word, e.g. 課対仕入内10%適格 (FAQ
#               https://support.yayoi-kk.co.jp/faq_Subcontents.html?page_id=1430).
#   金額        required on both sides of every row: 0 on a side without an account; 税金額 likewise.
#   部門/補助科目 at most 24 half-width bytes each (部門 is not imported by スタンダード).
#   摘要        cut at 64 half-width bytes at import: written within them (`yayoi_summary`).
#   タイプ      3, a 振替伝票; 付箋1/付箋2 0, none; 調整 no.
YAYOI_NO_ACCOUNT = "対象外"  # the 税区分 of a side without an account (page_id=18545)
YAYOI_SUMMARY_BYTES = 64  # 摘要: half-width bytes 弥生 keeps (page_id=18545)
YAYOI = Layout("yayoi", "弥生会計", header=False, widths={
    f"{word}{name}": 24 for word in ("借方", "貸方") for name in ("勘定科目", "補助科目", "部門")}, columns=(
    Column("識別フラグ", yayoi_flag),
    Column("伝票No.", blank),  # 弥生 numbers the slip itself
    Column("決算", blank),
    Column("取引日付", date),
    Column("借方勘定科目", side("debit", "account")),
    Column("借方補助科目", blank),
    Column("借方部門", side("debit", "department")),
    Column("借方税区分", side("debit", "category", missing=YAYOI_NO_ACCOUNT)),
    Column("借方金額", side("debit", "amount", missing="0")),
    Column("借方税金額", side("debit", "tax", missing="0")),
    Column("貸方勘定科目", side("credit", "account")),
    Column("貸方補助科目", blank),
    Column("貸方部門", side("credit", "department")),
    Column("貸方税区分", side("credit", "category", missing=YAYOI_NO_ACCOUNT)),
    Column("貸方金額", side("credit", "amount", missing="0")),
    Column("貸方税金額", side("credit", "tax", missing="0")),
    Column("摘要", yayoi_summary),
    Column("番号", blank),
    Column("期日", blank),
    Column("タイプ", fixed("3")),
    Column("生成元", blank),
    Column("仕訳メモ", blank),
    Column("付箋1", fixed("0")),
    Column("付箋2", fixed("0")),
    Column("調整", fixed("no")),
))

# freee 会計: its 仕訳 import of 汎用形式 data (the import, not freee's own 仕訳帳 export), as the help page
# 「その他の会計ソフトから仕訳データを移行する」 https://support.freee.co.jp/hc/ja/articles/204847430 gives it,
# with the template sheet attached there; the data is registered as 振替伝票 (「取引・口座振替のインポート」,
# articles/202847320). A header row names the columns, each mapped to freee's item on the upload
# screen (the headers here are freee's item names); amounts, 税区分 and 税額 in a column per side.
# Every row needs its 日付 (2015/04/01 is a form it lists); rows with one 日付 and one 伝票番号 are one
# multi-row 仕訳; 決算整理仕訳 is blank for an ordinary entry (1 marks a closing one). A side without
# an account is blank throughout. 税区分 are freee's names: 課対仕入10% (tax code 136), 対象外 (code 2),
# https://developer.freee.co.jp/news/1434; 勘定科目, 税区分 and the like that freee does not know yet
# are best registered before the import (the page's 「freeeに未登録の項目を登録する」).
_FREEE_SIDE = ("勘定科目", "科目コード", "補助科目", "取引先", "取引先コード", "部門", "品目", "メモタグ",
               "セグメント1", "セグメント2", "セグメント3", "金額", "税区分", "税額")
_FREEE_FIELDS = {"勘定科目": "account", "取引先": "vendor", "部門": "department", "金額": "amount",
                 "税区分": "category", "税額": "tax"}
FREEE = Layout("freee", "freee会計", header=True, columns=(
    Column("日付", date),
    Column("伝票番号", slip_number),
    Column("決算整理仕訳", blank),
    *(Column(f"{word}{name}", side(which, _FREEE_FIELDS[name]) if name in _FREEE_FIELDS else blank)
      for which, word in (("debit", "借方"), ("credit", "貸方")) for name in _FREEE_SIDE),
    Column("摘要", summary),
))

# マネーフォワード クラウド会計: the 仕訳帳 import, 「「仕訳帳」をインポートする」
# https://biz.moneyforward.com/support/tax-return/guide/import-books/ib01.html — its サンプルフォーマット,
# columns A to AA with the header row as shipped. Every row needs its 取引No and 取引日; 勘定科目 and
# 金額 are required except on the side a compound entry leaves blank; rows of one 取引日 and one
# 取引No whose debits and credits agree are one compound entry, any other row a single entry.
# 勘定科目, 補助科目, 税区分 and 部門 must be names registered in the product (各種設定). インボイス: 適格
# marks a purchase from a qualified issuer (blank is read as 適格 from the 税区分).
_MF_SIDE = ("勘定科目", "補助科目", "部門", "取引先", "税区分", "インボイス", "金額(円)", "税額")
_MF_FIELDS = {"勘定科目": "account", "部門": "department", "取引先": "vendor", "税区分": "category",
              "金額(円)": "amount", "税額": "tax"}


def _mf_column(which: str, word: str, name: str) -> Column:
    if name == "インボイス":
        return Column(f"{word}{name}", when_taxable(which, "適格"))
    return Column(f"{word}{name}", side(which, _MF_FIELDS[name]) if name in _MF_FIELDS else blank)


MF = Layout("mf", "マネーフォワード クラウド会計", header=True, columns=(
    Column("取引No", slip_number),
    Column("取引日", date),
    *(_mf_column(which, word, name) for which, word in (("debit", "借方"), ("credit", "貸方"))
      for name in _MF_SIDE),
    Column("摘要", summary),
    *(Column(name, blank) for name in ("仕訳メモ", "タグ", "MF仕訳タイプ", "決算整理仕訳", "作成日時",
                                       "作成者", "最終更新日時", "最終更新者")),
))

LAYOUTS: dict[str, Layout] = {layout.name: layout for layout in (YAYOI, FREEE, MF)}


def rows(journal: Journal, layout: Layout, settings: Settings) -> list[Row]:
    """Every row of the file, slip after slip: the i-th debit of an entry beside its i-th credit."""
    names = getattr(settings.journal, layout.name)
    out = []
    for number, entry in enumerate(journal.entries, start=1):
        pairs = list(zip_longest(entry.debits, entry.credits))
        out += [Row(entry, number, index, len(pairs), debit, credit, names)
                for index, (debit, credit) in enumerate(pairs)]
    return out


def render(journal: Journal, layout: Layout, settings: Settings) -> str:
    """The file's text (before encoding): the header row if the product has one, then every row.
    ReconError for a name longer than the product imports (`Layout.widths`), and for a cell that
    would start a formula (the settings refuse those first; this holds whatever made the row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=layout.newline)
    if layout.header:
        writer.writerow([column.header for column in layout.columns])
    for row in rows(journal, layout, settings):
        writer.writerow([_checked(column.value(row), column.header, layout) for column in layout.columns])
    return buffer.getvalue()


def _checked(value: str, column: str, layout: Layout) -> str:
    """`value` as it goes into the cell of `column`, once it is known to be one the product takes."""
    if starts_a_formula(value):
        raise ReconError(None, "journal_formula", value.encode("unicode_escape").decode("ascii")
                         if not value.isprintable() else value, column=column)
    limit = layout.widths.get(column)
    if limit is not None and width(value, layout.encoding) > limit:
        raise ReconError(None, "journal_width", value, product=layout.product, column=column,
                         limit=limit, half=limit // 2)
    return value


def encode(text: str, layout: Layout) -> bytes:
    """The text in the product's encoding; a character it cannot hold is an error that quotes it."""
    try:
        return text.encode(layout.encoding)
    except UnicodeEncodeError as e:
        found = e.object[max(e.start - 10, 0):e.end + 10]
        raise ReconError(None, "journal_encoding", found.encode("unicode_escape").decode("ascii")
                         if not found.isprintable() else found, encoding=layout.encoding.upper()) from None


def _writer(fmt: str):
    def write_product(view: ReportView, target: Path, settings: Settings) -> None:
        """The view's journal as this product's import file at `target` (a view made without one:
        no entries)."""
        write(view.journal or Journal((), ()), target, settings, fmt)

    write_product.__name__ = fmt
    return write_product


yayoi, freee, mf = (_writer(fmt) for fmt in JOURNAL_FORMATS)  # the registry's entries


def write(journal: Journal, target: Path, settings: Settings, fmt: str) -> None:
    """Write the journal as product `fmt`'s import file at `target`, atomically."""
    layout = LAYOUTS[fmt]
    data = encode(render(journal, layout, settings), layout)

    def put(handle: BinaryIO) -> None:
        handle.write(data)

    write_atomically(target, put)


def written_by_recon(data: bytes, fmt: str) -> bool:
    """True when `data` reads as a journal file of product `fmt` as recon writes it (so a rerun may
    replace it): the product's header row, or for 弥生 a first row of 25 fields led by a 識別フラグ."""
    layout = LAYOUTS[fmt]
    try:
        first = next(csv.reader(io.StringIO(data.decode(layout.encoding))), None)
    except (UnicodeDecodeError, csv.Error):
        return False
    if first is None:
        return not data
    if layout.header:
        return first == [column.header for column in layout.columns]
    return len(first) == len(layout.columns) and first[0] in ("2111", "2110")


def notes(journal: Journal, target: Path, fmt: str, lang: str, kept: bool = False) -> list[str]:
    """For stderr: each month left out and why, then where the file went; with no entry, that no
    file was written and why (`kept`: an earlier run's file at `target` was left as it was)."""
    lines = []
    for left in journal.left_out:
        month = f"{left.account} {left.month}" if left.account else left.month
        reason = labels.render(left.reason, lang)
        lines.append(labels.render(Message.of("journal_left_out", month=month, reason=reason), lang))
    if journal.entries:
        last = Message.of("journal_written", path=target, entries_count=len(journal.entries),
                          product=LAYOUTS[fmt].product)
    else:
        key = "journal_none" if journal.left_out else "journal_no_month"
        last = Message.of(f"{key}_kept" if kept else key, path=target)
    return [*lines, labels.render(last, lang)]


def to_json(journal: Journal, fmt: str, settings: Settings, target: Path | None, lang: str) -> str:
    """The entries and their lines as JSON (`recon-journal/1`), each line with the product's name of
    its tax category; the months left out with the reason in words."""
    names = getattr(settings.journal, fmt)
    document = {
        "schema": "recon-journal/1", "format": fmt, "file": str(target) if target else None,
        "entries": [{
            "account": e.account, "month": e.month, "date": e.date.isoformat(), "basis": e.basis,
            "invoiced": e.invoiced, "taxable": e.taxable, "tax": e.tax, "exempt": e.exempt,
            "payable": e.payable,
            "lines": [{"side": line.side, "account": line.account, "amount": line.amount, "tax": line.tax,
                       "category": line.category, "tax_category": getattr(names, line.category),
                       "department": line.department, "vendor": line.vendor, "summary": line.summary}
                      for line in e.lines],
        } for e in journal.entries],
        "left_out": [{"account": o.account, "month": o.month, "reason": o.reason.key,
                      "message": labels.render(o.reason, lang)} for o in journal.left_out],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
