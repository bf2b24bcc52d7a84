"""Every word recon shows, in Japanese and English. Code speaks in ids; this module speaks to people."""
from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recon.model import Message

# Call types: canonical id → (the label OCN writes, English).
CALL_TYPES: dict[str, tuple[str, str]] = {
    "general": ("一般通話", "General"),
    "international": ("国際通話", "International"),
    "mobile": ("携帯通話", "Mobile"),
    "ip": ("IP通話", "IP"),
    "phs": ("PHS通話", "PHS"),
}
OTHER = ("その他", "Other")
TOTAL_WORDS = ("合計", "小計", "計", "総計")
DISCOUNT_WORDS = ("着割", "着割対象通話")
# Header words of the detail table; the table is found by these, not by its position.
HEADER_WORDS = {"label": "通話種別", "count": "通話数", "time": "通話時間", "charge": "通話料金"}
# --- readers: every file an accountant's software writes ---
# Words that may stand alone on a header row's second line (over the 明細 and 通話種別 columns).
HEADER_LABELS = ("明細", "通話", "種別", "内訳", "区分")


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").upper()


_TYPE_BY_LABEL = {_key(ja): tid for tid, (ja, _) in CALL_TYPES.items()}


def type_id_for(label: str) -> str:
    """`一般通話` → `general`; a label OCN does not list → `other:<label as written>`."""
    return _TYPE_BY_LABEL.get(_key(label), f"other:{label}")


def type_label(type_id: str, lang: str) -> str:
    if type_id.startswith("other:"):
        return type_id.removeprefix("other:")
    ja, en = CALL_TYPES[type_id]
    return ja if lang == "ja" else en


STATUS = {
    "ok": ("一致", "OK"),
    "warning": ("注意", "Warning"),
    "variance": ("差異あり", "Variance"),
    "missing": ("不足", "Missing"),
    "error": ("エラー", "Error"),
}
FILE_STATUS = {"read": ("読込済", "read"), "ignored": ("対象外", "ignored"), "error": ("エラー", "error")}
CHECKS = {
    "total_count": ("合計通話数", "Total calls"),
    "total_duration": ("合計通話時間", "Total call time"),
    "total_charge": ("合計通話料金", "Total charge"),
    "discount": ("着割", "Incoming-call discount"),
    "invoice": ("請求額", "Invoiced amount"),
}
RESULT = {True: ("一致", "OK"), False: ("不一致", "Mismatch")}
FORMATS = {"text": ("テキスト", "text"), "csv": ("CSV", "CSV"), "xlsx": ("Excel", "Excel"),
           "html": ("HTML", "HTML"), "toml": ("設定", "settings"),
           # --- readers: every file an accountant's software writes ---
           "xls": ("Excel 97-2003", "Excel 97-2003"), "ods": ("OpenDocument", "OpenDocument"),
           "mhtml": ("MHTML", "MHTML")}

SHEETS = {
    "summary": ("サマリー", "Summary"),
    "type": ("通話種別", "Call type"),  # the template's prototype for the per-type sheets
    "other": OTHER,
    "discount": ("着割", "Discount"),
    "checks": ("チェック", "Checks"),
    "sources": ("取込ファイル", "Sources"),
}

# Column headers by sheet kind; the order is the column order.
HEADERS: dict[str, list[tuple[str, str, str]]] = {
    "summary": [
        ("month", "利用月", "Month"), ("status", "状態", "Status"), ("variance", "差額", "Variance"),
        ("close", "締め", "Close"), ("count", "通話数", "Calls"),
        ("time", "通話時間", "Call time"), ("charge", "通話料金", "Charge"),
        ("discount_stated", "着割(明細)", "Discount (stated)"),
        ("discount_recomputed", "着割(再計算)", "Discount (recomputed)"),
        ("expected", "請求見込額", "Expected invoice"), ("invoiced", "請求額", "Invoiced"),
        ("explanation", "説明", "Explanation"), ("reviewer", "確認者", "Reviewer"),
        ("signed_on", "確認日", "Signed on"), ("messages", "メッセージ", "Messages"),
    ],
    "type": [
        ("month", "利用月", "Month"), ("count", "通話数", "Calls"), ("time", "通話時間", "Call time"),
        ("charge", "通話料金", "Charge"), ("avg_time", "平均通話時間", "Average time per call"),
        ("per_call", "1通話あたり料金", "Charge per call"),
        ("count_change", "通話数 前月比", "Calls vs previous month"),
        ("charge_change", "通話料金 前月比", "Charge vs previous month"),
    ],
    "other": [
        ("month", "利用月", "Month"), ("label", "通話種別", "Call type"), ("count", "通話数", "Calls"),
        ("time", "通話時間", "Call time"), ("charge", "通話料金", "Charge"),
        ("avg_time", "平均通話時間", "Average time per call"), ("per_call", "1通話あたり料金", "Charge per call"),
        ("count_change", "通話数 前月比", "Calls vs previous month"),
        ("charge_change", "通話料金 前月比", "Charge vs previous month"),
    ],
    "discount": [
        ("month", "利用月", "Month"), ("count", "着割対象通話数", "Incoming calls"),
        ("time", "着割対象通話時間", "Incoming call time"), ("stated", "着割(明細)", "Discount (stated)"),
        ("recomputed", "着割(再計算)", "Discount (recomputed)"), ("difference", "差額", "Difference"),
    ],
    "checks": [
        ("month", "利用月", "Month"), ("check", "チェック項目", "Check"), ("stated", "明細・請求の値", "Stated"),
        ("recomputed", "再計算", "Recomputed"), ("difference", "差額", "Difference"),
        ("result", "結果", "Result"), ("where", "ファイル:行", "File:line"),
        ("explanation", "説明", "Explanation"),
    ],
    "sources": [
        ("path", "ファイル", "File"), ("month", "利用月", "Month"), ("format", "形式", "Format"),
        ("encoding", "文字コード", "Encoding"), ("status", "状態", "Status"),
        ("reason", "理由", "Reason"), ("sha256", "SHA-256", "SHA-256"),
    ],
}
ACCOUNT = ("契約", "Contract")  # the column added before the month when there are several contracts
COMPANY_TOTAL = ("会社計", "Company total")  # a month of every contract added up
CARRIED = ("引継ぎメモ", "Carried note")  # text kept from a month or check the report no longer has
TOTAL_ROW = ("年間合計", "Year total")
CHART_TITLE = ("通話種別別 月次通話料金", "Monthly charge by call type")
CHART_AXIS = ("円(税別)", "Yen (tax excl.)")

# Findings about a month or a file. {…} are filled from Message.params.
MESSAGES: dict[str, tuple[str, str]] = {
    "check_over": ("{check}: 明細の値 {stated} は再計算 {recomputed} より {difference} 多い",
                   "{check}: stated {stated} is over the recomputed {recomputed} by {difference}"),
    "check_under": ("{check}: 明細の値 {stated} は再計算 {recomputed} より {difference} 少ない",
                    "{check}: stated {stated} is under the recomputed {recomputed} by {difference}"),
    "invoice_over": ("請求額 {stated} は見込額 {recomputed} より {difference} 多い",
                     "invoiced {stated} is over the expected {recomputed} by {difference}"),
    "invoice_under": ("請求額 {stated} は見込額 {recomputed} より {difference} 少ない",
                      "invoiced {stated} is under the expected {recomputed} by {difference}"),
    "stated_absent": ("明細に{what}の合計がないため {check} は確認していません",
                      "the table states no total {what}: {check} not performed"),
    "no_total_row": ("明細に合計行がないため合計は確認していません",
                     "the table has no total row: totals not checked"),
    "no_discount_row": ("明細に着割行がないため着割は確認していません",
                        "the table has no 着割 row: discount not checked"),
    "discount_absent": ("着割行に金額がないため着割は確認していません",
                        "the 着割 row states no amount: discount not checked"),
    "no_detail": ("この月の明細がありません", "no detail table for this month"),
    "no_invoice": ("この月の請求額がありません (invoices.csv)", "no invoiced amount for this month (invoices.csv)"),
    "unknown_type": ("未知の通話種別「{label}」({where}) を合計に含めました",
                     "unknown call type '{label}' ({where}) counted in the totals"),
    "duplicate_table": ("{first} と {second} は同じ明細です: 1回だけ数えました",
                        "{first} and {second} hold the same table: counted once"),
    "conflicting_tables": ("{first} と {second} はこの月の異なる明細です",
                           "{first} and {second} hold different tables for this month"),
    "duplicate_invoice": ("{first} と {second} は同じ請求行です: 1回だけ数えました",
                          "{first} and {second} are the same invoice row: counted once"),
    "conflicting_invoices": ("{first} と {second} はこの月の異なる請求額です",
                             "{first} and {second} give different invoiced amounts for this month"),
    "read_error": ("", ""),  # a ReconError: put in words by _describe_error
    "contract_without_folder": ("契約「{account}」の請求行がありますが、フォルダ {account}/ がありません",
                                "invoice rows name the contract '{account}', but there is no folder {account}/"),
    "contract_without_invoices": ("フォルダ {account}/ の契約には請求行がありません",
                                  "the contract of folder {account}/ has no invoice rows"),
    "anomaly_spike": ("{type}の{what}が {now} で、直近{months}か月の中央値の {times} 倍です",
                      "{type}: {what} of {now} is {times} times the median of the last {months} months"),
    "anomaly_new": ("{type}の{what}が {now} です (直近{months}か月はゼロ)",
                    "{type}: {what} of {now} where the last {months} months had none"),
    "invoices_shifted": ("契約 {account}: 請求額は明細の翌月の行と {shifted} か月一致します (そのままでは {typed} か月)。"
                         "invoices.csv の利用月に請求月を入力していませんか (請求月 = 利用月 + 1)",
                         "contract {account}: the invoices tie out with the detail of the month before in "
                         "{shifted} months (as typed: {typed}). invoices.csv seems to list billing months "
                         "(請求月 = 利用月 + 1) instead of usage months"),
    "signoff_stale": ("要再確認: {reviewer} の確認 ({signed_on}) の後に {changed} が変わりました",
                      "needs review: {changed} changed after the sign-off by {reviewer} ({signed_on})"),
    "signoff_unexplained": ("確認済みですが、不一致のチェックに説明がありません",
                            "signed off, but a failing check has no explanation"),
    # why a file was ignored
    "lock_file": ("Excel のロックファイル", "an Excel lock file"),
    "hidden_file": ("隠しファイル", "a hidden file"),
    "own_report": ("recon のレポート", "a recon report"),
    "not_a_format": ("recon が読まない形式 ({suffix})", "not a format recon reads ({suffix})"),
    "no_table": ("明細の表がありません", "no detail table in it"),
    "empty_file": ("空のファイル", "an empty file"),
    "binary_file": ("テキストではないファイル (バイナリ)", "a binary file, not text"),
    "not_a_workbook": ("Excel ブックではないファイル (zip ではない)", "not an Excel workbook (not a zip archive)"),
    "internal_error": ("内部エラー ({error})。お手数ですがご報告ください",
                       "internal error ({error}), please report"),
    # --- readers: every file an accountant's software writes ---
    "unread_for_month": ("この月の名前のファイル {file} は読みませんでした: {reason_ja}",
                         "{file}, named for this month, was not read: {reason_en}"),
}

# What a reader expected where it found something else (ReconError.expected).
EXPECTED: dict[str, tuple[str, str]] = {
    "count": ("通話数 (例: 1,096)", "a count such as 1,096"),
    "yen": ("円の金額 (例: 10,240)", "a yen amount such as 10,240"),
    "duration": ("通話時間 (例: 28:49:53.5)", "a duration such as 28:49:53.5"),
    "duration_tenths": ("0.1秒単位の通話時間 (例: 28:49:53.5)", "a duration in tenths of a second such as 28:49:53.5"),
    "row_values": ("通話数・通話時間・通話料金", "a count, a duration and a charge"),
    "label": ("通話種別", "a call-type label"),
    "one_value": ("1列に1つの値", "one value per column"),
    "decodable": ("UTF-8・UTF-16・CP932 のテキスト (試したもの: {tried})",
                  "text in UTF-8, UTF-16 or CP932 (tried {tried})"),
    "text_rows": ("区切られた行 (1行 128 KiB まで)", "delimited lines of at most 128 KiB"),
    "readable": ("読み取れるファイル", "a readable file"),
    "inflation": ("展開後 {limit} バイト以下のブック (zip 爆弾の疑い)", "a workbook that inflates to at most {limit} bytes (this looks like a zip bomb)"),
    "safe_xml": ("XML 実体宣言のないブック (XML 攻撃の疑いがあるため読みません)",
                 "a workbook without XML entity declarations (refused as a possible XML attack)"),
    "writable": ("書き込めるファイル (Excel で開いていれば閉じてください)", "a file recon can write (close it if it is open in Excel)"),
    "prior_report": ("説明と確認を読み取れる前回のレポート (別の場所へ移すか --force で上書き)",
                     "a previous report whose notes can be read (move it away, or --force to replace it)"),
    "xlsx": ("Excel ブック (.xlsx)", "an Excel workbook (.xlsx)"),
    "html": ("HTML ページ", "an HTML page"),
    "month_year": ("{month}月の年: ファイル名を 2024-01.txt のようにするか、2024 という名前のフォルダに置いてください",
                   "a year for month {month}: name the file like 2024-01.txt or put it in a folder named 2024"),
    "month": ("利用月: ファイル名を 2024-01.txt のようにするか、表の上に「ご利用月 2024年1月」と書いてください",
              "a usage month: name the file like 2024-01.txt or write ご利用月 2024年1月 above the table"),
    "month_agree": ("ファイル名の月 ({name}) と内容の月 ({content}) の一致",
                    "the month in the name ({name}) and in the content ({content}) to agree"),
    "one_table": ("1ファイルに1つの明細 (もう1つ: {other})", "one detail table per file (another at {other})"),
    "invoice_header": ("請求の見出し行 (month/利用月 と amount/請求額)", "a header row with month/利用月 and amount/請求額"),
    "invoice_month": ("利用月 (例: 2024-01)", "a usage month such as 2024-01"),
    "basis": ("税区分 excl/税別 または incl/税込", "a tax basis excl/税別 or incl/税込"),
    "settings": ("{detail}", "{detail}"),
    "size": ("{limit} バイト以下のファイル", "a file of at most {limit} bytes"),
    "year_folder": ("年の名前のフォルダ (例: 2024) または --year", "a folder named by its year (e.g. 2024) or --year"),
    "overwrite": ("recon が書いたレポート (上書きするには --force)", "a report recon wrote (use --force to overwrite it)"),
    "template_style": ("セルのスタイル「{style}」のあるテンプレート", "a template with a cell style '{style}'"),
    "template_sheet": ("シート「{sheet}」のあるテンプレート", "a template with a sheet '{sheet}'"),
    # --- readers: every file an accountant's software writes ---
    "duration_hours_lost": ("時間を含む通話時間 (例: 28:49:53.5)。分:秒だけなのは、Excel の表示形式 mm:ss.0 のまま"
                            " CSV に保存して時間が失われたためです。列の表示形式を [h]:mm:ss.0 にしてから保存するか、"
                            ".xlsx のまま置いてください",
                            "a duration with its hours such as 28:49:53.5; minutes and seconds alone mean the hours "
                            "were lost: Excel saved the column's mm:ss.0 display to CSV. Give the column the format "
                            "[h]:mm:ss.0 before saving as CSV, or leave the file as .xlsx"),
    "xls": ("Excel 97-2003 ブック (.xls)", "an Excel 97-2003 workbook (.xls)"),
    "ods": ("OpenDocument スプレッドシート (.ods)", "an OpenDocument spreadsheet (.ods)"),
    "mhtml": ("1つのファイルに保存した Web ページ (.mhtml)", "a web page saved as one file (.mhtml)"),
    "spreadsheetml": ("Excel ブック: これは XML スプレッドシート 2003 です。Excel で開いて .xlsx で保存してください",
                      "an Excel workbook, not an Excel 2003 XML spreadsheet: open it in Excel and save it as .xlsx"),
    "password_free": ("パスワードのないブック: Excel でパスワードを解除して保存し直してください",
                      "a workbook without a password: remove the password in Excel and save it again"),
}


def word(table: dict, key, lang: str) -> str:
    """Look a word up in one of the tables above."""
    ja, en = table[key]
    return ja if lang == "ja" else en


CLOSE = {"closed": ("締め済", "Closed"), "open": ("未了", "Open"), "stale": ("要再確認", "Needs review")}
CHANGED = {"detail": ("明細", "the detail table"), "invoice": ("請求額", "the invoice"),
           "detail,invoice": ("明細と請求額", "the detail table and the invoice")}
WHAT = {"count": ("通話数", "calls"), "tenths": ("通話時間", "call time"), "yen": ("通話料金", "charge"),
        "calls": ("通話数", "calls")}
_PARAM_WORDS = {"check": CHECKS, "what": WHAT, "changed": CHANGED}


def render(message: Message, lang: str) -> str:
    """A Message in words; ids among its parameters (a check, a unit) are put in words too."""
    if message.key == "read_error":
        return _describe_error(dict(message.params), lang)
    params = {k: word(_PARAM_WORDS[k], v, lang) if k in _PARAM_WORDS else v for k, v in message.params}
    return word(MESSAGES, message.key, lang).format(**params)


def _describe_error(params: dict[str, str], lang: str) -> str:
    """`where: expected …, found '…'` in one line."""
    fill = {k.removeprefix("param_"): v for k, v in params.items() if k.startswith("param_")}
    expected = word(EXPECTED, params["expected"], lang).format(**fill)
    where = f"{params['where']}: " if params.get("where") else ""
    found = params.get("found")
    if found is None:
        return f"{where}{expected}が必要です" if lang == "ja" else f"{where}expected {expected}"
    found = found if len(found) <= 60 else found[:57] + "…"
    if lang == "ja":
        return f"{where}{expected}が必要ですが「{found}」でした"
    return f"{where}expected {expected}, found '{found}'"
