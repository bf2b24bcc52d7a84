"""Every word recon shows, in Japanese and English. Code speaks in ids; this module speaks to people."""
from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recon.model import Message, Param, Where

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


# A page shown translated by the browser (Google Translate in Chrome, Microsoft Translator in Edge)
# and then copied: OCN's labels in the English they become. Compared as `translated_key` makes them
# (lower case, letters and digits only, a unit in brackets and a plural's "s" left off).
TRANSLATED_HEADER_WORDS = {
    "label": ("calltype", "typeofcall", "callcategory", "callclassification", "callkind"),
    "count": ("numberofcall", "callcount", "numberoftimes"),
    "time": ("calltime", "callduration", "talktime", "durationofcall", "duration"),
    "charge": ("callcharge", "callfee", "callrate", "callingcharge", "callcost", "charge", "fee"),
}
TRANSLATED_HEADER_LABELS = ("detail", "statement", "breakdown", "item", "call", "type", "category")
TRANSLATED_TYPES = {
    "general": ("generalcall", "ordinarycall", "regularcall", "normalcall", "domesticcall", "landlinecall",
                "fixedlinecall", "general"),
    "international": ("internationalcall", "international"),
    "mobile": ("mobilecall", "mobilephonecall", "cellphonecall", "cellularphonecall", "cellularcall", "mobile"),
    "ip": ("ipcall", "ipphonecall", "iptelephonecall", "ip"),
    "phs": ("phscall", "phs"),
}
TRANSLATED_TOTAL_WORDS = ("total", "sum", "subtotal", "grandtotal", "totalamount")
TRANSLATED_DISCOUNT_WORDS = ("discount", "incoming")  # a label holding one: 着割 (incoming call discount)


def translated_key(text: str) -> str:
    """`Call time (hours:minutes:seconds)` → `calltime`, `International calls` → `internationalcall`."""
    text = unicodedata.normalize("NFKC", text).lower().split("(")[0]
    key = "".join(ch for ch in text if ch.isascii() and ch.isalnum())
    return key[:-1] if key.endswith("s") and not key.endswith("phs") else key


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
    # --- call records ---
    "calls_count": ("通話明細の通話数", "Calls in the call records"),
    "calls_duration": ("通話明細の通話時間", "Call time in the call records"),
    "calls_charge": ("通話明細の通話料金", "Charge in the call records"),
}
RESULT = {True: ("一致", "OK"), False: ("不一致", "Mismatch")}
FORMATS = {"text": ("テキスト", "text"), "csv": ("CSV", "CSV"), "xlsx": ("Excel", "Excel"),
           "html": ("HTML", "HTML"), "toml": ("設定", "settings"),
           # --- readers: every file an accountant's software writes ---
           "xls": ("Excel 97-2003", "Excel 97-2003"), "ods": ("OpenDocument", "OpenDocument"),
           "mhtml": ("MHTML", "MHTML"), "webarchive": ("Web アーカイブ", "Web Archive")}

SHEETS = {
    "summary": ("サマリー", "Summary"),
    "type": ("通話種別", "Call type"),  # the template's prototype for the per-type sheets
    "other": OTHER,
    "discount": ("着割", "Discount"),
    "checks": ("チェック", "Checks"),
    "journal": ("仕訳", "Journal"),
    "flagged": ("不正利用の疑い", "Flagged calls"),
    "costs": ("番号・部門別", "By number"),
    "sources": ("取込ファイル", "Sources"),
}

# Column headers by sheet kind; the order is the column order.
# The same month a year earlier (前年同月), on the call-type sheets when the previous year was read.
YEAR_AGO_HEADERS = [
    ("year_ago_count", "前年同月 通話数", "Calls a year ago"),
    ("year_ago_count_change", "通話数 前年同月差", "Change in calls from a year ago"),
    ("year_ago_charge", "前年同月 通話料金", "Charge a year ago"),
    ("year_ago_charge_change", "通話料金 前年同月差", "Change in charge from a year ago"),
]
HEADERS: dict[str, list[tuple[str, str, str]]] = {
    "summary": [
        ("month", "利用月", "Month"), ("status", "状態", "Status"), ("variance", "差額", "Variance"),
        ("close", "締め", "Close"), ("count", "通話数", "Calls"),
        ("time", "通話時間", "Call time"), ("charge", "通話料金", "Charge"),
        ("discount_stated", "着割(明細)", "Discount (stated)"),
        ("discount_recomputed", "着割(再計算)", "Discount (recomputed)"),
        ("fees", "基本料等", "Fees"), ("tax", "消費税", "Tax"),
        ("expected", "請求見込額", "Expected invoice"), ("invoiced", "請求額", "Invoiced"),
        ("explanation", "説明", "Explanation"), ("reviewer", "確認者", "Reviewer"),
        ("signed_on", "確認日", "Signed on"), ("messages", "メッセージ", "Messages"),
    ],
    "type": [
        ("month", "利用月", "Month"), ("count", "通話数", "Calls"), ("time", "通話時間", "Call time"),
        ("charge", "通話料金", "Charge"), ("avg_time", "平均通話時間", "Average time per call"),
        ("per_call", "1通話あたり料金", "Charge per call"),
        ("count_change", "通話数 前月差", "Change in calls from last month"),
        ("charge_change", "通話料金 前月差", "Change in charge from last month"),
        *YEAR_AGO_HEADERS, ("note", "備考", "Note"),
    ],
    "other": [
        ("month", "利用月", "Month"), ("label", "通話種別", "Call type"), ("count", "通話数", "Calls"),
        ("time", "通話時間", "Call time"), ("charge", "通話料金", "Charge"),
        ("avg_time", "平均通話時間", "Average time per call"), ("per_call", "1通話あたり料金", "Charge per call"),
        ("count_change", "通話数 前月差", "Change in calls from last month"),
        ("charge_change", "通話料金 前月差", "Change in charge from last month"),
        *YEAR_AGO_HEADERS, ("note", "備考", "Note"),
    ],
    "discount": [
        ("month", "利用月", "Month"), ("count", "着割対象通話数", "Incoming calls"),
        ("time", "着割対象通話時間", "Incoming call time"), ("stated", "着割(明細)", "Discount (stated)"),
        ("recomputed", "着割(再計算)", "Discount (recomputed)"), ("difference", "差額", "Difference"),
        ("note", "備考", "Note"),
    ],
    "checks": [
        ("month", "利用月", "Month"), ("check", "チェック項目", "Check"), ("stated", "明細・請求の値", "Stated"),
        ("recomputed", "再計算", "Recomputed"), ("difference", "差額", "Difference"),
        ("result", "結果", "Result"), ("where", "ファイル:行", "File:line"),
        ("explanation", "説明", "Explanation"),
    ],
    "journal": [
        ("month", "利用月", "Month"), ("date", "計上日", "Date"), ("side", "貸借", "Side"),
        ("ledger", "勘定科目", "Account"), ("amount", "金額", "Amount"), ("tax", "消費税額", "Tax"),
        ("category", "税区分", "Tax category"), ("department", "部門", "Department"),
        ("vendor", "取引先", "Vendor"), ("summary", "摘要", "Description"), ("note", "備考", "Note"),
    ],
    "flagged": [
        ("month", "利用月", "Month"), ("rule", "検知", "Finding"), ("start", "開始日時", "Start"),
        ("calling", "発信元番号", "From"), ("called", "発信先番号", "Number called"),
        ("type", "通話種別", "Call type"), ("count", "通話数", "Calls"), ("time", "通話時間", "Call time"),
        ("charge", "通話料金", "Charge"), ("where", "ファイル:行", "File:line"),
    ],
    "costs": [
        ("month", "利用月", "Month"), ("department", "部門", "Department"), ("number", "番号", "Number"),
        ("name", "名前", "Name"), ("count", "通話数", "Calls"), ("time", "通話時間", "Call time"),
        ("charge", "通話料金", "Charge"),
    ],
    "sources": [
        ("path", "ファイル", "File"), ("month", "利用月", "Month"), ("format", "形式", "Format"),
        ("encoding", "文字コード", "Encoding"), ("status", "状態", "Status"),
        ("reason", "理由", "Reason"), ("sha256", "SHA-256", "SHA-256"),
    ],
}
# The 仕訳 sheet: a line's side, and its tax category in words (each product's own name is in the file).
JOURNAL_SIDE = {"debit": ("借方", "Debit"), "credit": ("貸方", "Credit")}
JOURNAL_CATEGORY = {"taxable": ("課税仕入 (適格)", "Taxable purchase (qualified)"),
                    "exempt": ("対象外", "Outside the tax"), "none": ("", "")}
COST_TOTALS = {"department": ("部門計", "Department total"), "month": ("月計", "Month total")}
NO_DEPARTMENT = ("(部門なし)", "(no department)")
ACCOUNT = ("契約", "Contract")  # the column added before the month when there are several contracts
COMPANY_TOTAL = ("会社計", "Company total")  # a month of every contract added up
CARRIED = ("引継ぎメモ", "Carried note")  # text kept from a month or check the report no longer has
TOTAL_ROW = ("年間合計", "Year total")
FISCAL_TOTAL_ROW = ("年度合計", "Fiscal-year total")  # the total of a fiscal year's folder (2024年度)
INVOICED_ALL_ROW = ("請求額合計", "Invoiced, all rows")  # under the total: every invoice row's amount
# A total row's status cell: how many of the rows it adds up need a look, not a status of its own.
TOTAL_STATUS = {"review": ("{count}件要確認", "{count} to review"), "ok": ("すべて一致", "All OK")}
# The status word of a month whose toll-fraud findings block the close (SummaryRow.suspected).
SUSPECTED = {"fraud": ("不正の疑い", "Suspected fraud")}
# A missing month's status word says what is missing (SummaryRow.lacks).
MISSING = {"detail": ("明細なし", "No table"), "invoice": ("請求なし", "No invoice"),
           "detail,invoice": ("明細・請求なし", "No table or invoice")}
# Why a figure is blank on its row, or why a total leaves a month out.
BLANK_WHY = {
    "no_detail": ("明細なし", "no detail table"),
    "error": ("エラー", "error"),
    "no_invoice": ("請求なし", "no invoice"),
    "no_row": ("この種別の行なし", "no row of this type"),
    "no_calls": ("通話なし", "no calls"),  # a type of 0 calls: no average, no charge per call
    "no_previous": ("前月なし", "no previous month"),
    "previous_error": ("前月エラー", "previous month in error"),
    "previous_no_detail": ("前月明細なし", "no table the month before"),
    "previous_no_row": ("前月この種別なし", "none of this type the month before"),
    "no_year_ago": ("前年同月なし", "no month a year ago"),
    "year_ago_error": ("前年同月エラー", "the month a year ago in error"),
    "year_ago_no_detail": ("前年同月明細なし", "no table a year ago"),
    "year_ago_no_row": ("前年同月この種別なし", "none of this type a year ago"),
    "no_discount_row": ("着割行なし", "no 着割 row"),
    "discount_absent": ("明細に着割の金額なし", "the 着割 row states no amount"),
}
BLANK_JOIN = ("・", "; ")
CHART_TITLE = ("通話種別ごとの月次通話料金", "Monthly call charges by call type")
CHART_AXIS = ("円(税別)", "Yen (tax excl.)")
# The line: the invoiced amount as call charges (its fees and tax taken off, its 着割 added back).
CHART_INVOICED = ("請求額(通話料換算)", "Invoiced, as call charges")
CHART_CLIPPED = ("上限超 {amount}", "{amount} (cut)")  # under a bar cut at the axis' top: its full amount
CHART_DATA = ("グラフのデータ (通話料金・税別、円)", "The chart's figures (call charges, tax excl., yen)")

# The console (recon build, recon check): its lines (its column headers are the summary sheet's, HEADERS),
# and check's last line on the close.
CONSOLE = {
    "company": ("会社計", "company"),  # before a company month: 会社計/2024-01
    "months": ("{months}: {counts}", "{months}: {counts}"),
    "files": ("{files}: {counts}", "{files}: {counts}"),
    "workbook": ("レポート: {path}", "workbook: {path}"),
    # recon init and recon template: each file written or kept
    "wrote": ("{path} を書きました", "wrote {path}"),
    "kept": ("{path} はそのままにしました (既にあります)", "kept {path} (it exists)"),
    "kept_year": ("{path} はそのままにしました (既にあります。[year] は手で書き足してください)",
                  "kept {path} (it exists; set [year] in it by hand)"),
    "kept_link": ("{path} はそのままにしました (リンクです。recon はリンク先に書き込みません)",
                  "kept {path} (a link: recon never writes through one)"),
}
CLOSE_LINE = {
    "none": ("締め: 未了。月がひとつもありません", "close: not done, no months found"),
    # nothing blocks the close: of one month; of several, none, or all of them open warnings
    "done_one": ("締め: 完了。この1か月は締めを止めていません", "close: done, the 1 month does not block it"),
    "done_one_open": ("締め: 完了。この1か月は注意で未了ですが、締めは止めません: {named}",
                      "close: done, the 1 month is open as a warning, which does not block it: {named}"),
    "done": ("締め: 完了。{months}のどれも締めを止めていません", "close: done, none of the {months} blocks it"),
    "done_all_open": ("締め: 完了。{months}すべてが注意で未了ですが、締めは止めません: {named}",
                      "close: done, all {months} are open as warnings, which do not block it: {named}"),
    # … after "done": some of the months still open as warnings
    "done_open": (" (うち注意の{count}が未了です: {named})", " ({count} of them are open as warnings: {named})"),
    "done_open_one": (" (うち注意の{count}が未了です: {named})", " (1 of them is open as a warning: {named})"),
    # some months block it: the one month, all of them, or some of them
    "blocked_the_one": ("締め: 未了。この1か月が締めを止めています: {named}", "close: not done, the 1 month blocks it: {named}"),
    "blocked_all": ("締め: 未了。{months}すべてが締めを止めています: {named}",
                    "close: not done, all {months} block it: {named}"),
    "blocked": ("締め: 未了。{months}のうち{count}が締めを止めています: {named}",
                "close: not done, {count} of {months} block it: {named}"),
    "blocked_one": ("締め: 未了。{months}のうち{count}が締めを止めています: {named}",
                    "close: not done, 1 of {months} blocks it: {named}"),
    # … after "blocked": the other months still open as warnings
    "open": (" (ほかに注意の{count}が未了ですが、締めは止めません: {named})",
             " ({count} more are open as warnings, which do not block it: {named})"),
    "open_one": (" (ほかに注意の{count}が未了ですが、締めは止めません: {named})",
                 " (1 more is open as a warning, which does not block it: {named})"),
    # a month with a suspected toll fraud (SPEC §4): it blocks until explained and signed off
    "fraud": ("不正利用の疑い ({rules}) の説明と確認がありません",
              "suspected toll fraud ({rules}) not yet explained and signed off"),
}

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
    "total_left_out_no_detail": ("明細のない {months} は合計に含めていません",
                                 "{months}: no detail table, left out of the total"),
    "total_left_out_error": ("エラーの {months} は合計に含めていません",
                             "{months}: in error, left out of the total"),
    "total_left_out_no_invoice": ("請求額のない {months} は合計に含めていません",
                                  "{months}: no invoiced amount, left out of the total"),
    "discount_total_left_out": ("{months} は合計に含めていません", "{months} left out of the total"),
    "invoiced_all": ("請求行{rows_count}すべての請求額の合計です (合計に含めない {months} を含む)",
                     "the invoiced amounts of {rows_count}, added up ({months} included, which the total leaves out)"),
    "invoiced_all_same": ("請求行{rows_count}すべての請求額の合計です", "the invoiced amounts of {rows_count}, added up"),
    "stated_absent": ("明細に{what}の合計がないため {check} は確認していません",
                      "the table states no total {what}, so its check ({check}) was not made"),
    "no_total_row": ("明細に合計行がないため合計は確認していません",
                     "the table has no total row: totals not checked"),
    "no_discount_row": ("明細に着割行がないため着割は確認していません",
                        "the table has no 着割 row: discount not checked"),
    "translated_labels": ("{where}: 表の見出しはブラウザが英語に翻訳したものです (OCN の日本語ではありません)。"
                          "翻訳の語を OCN の見出しとして読みました。翻訳をオフにしてコピーし直すと確実です",
                          "{where}: the table's labels are a browser's English translation, not OCN's Japanese; "
                          "read by the translations of OCN's labels (to be sure, copy the page with translation off)"),
    "stated_uncalculated": ("{where}: {row}行の数式 ({formula} など) は計算されていないため、その値は確認していません。"
                            "ファイルを Excel で開いて一度保存してください",
                            "{where}: the {row} row holds formulas never calculated ({formula} …): their values "
                            "were not checked; open the file in Excel and save it once"),
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
    "conflicting_figure": ("{first} と {second} はこの月の異なる明細です ({type}の{what}: {one} と {other})",
                           "{first} and {second} hold different tables for this month ({type} {what}: {one} and {other})"),
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
    "invoices_shifted": ("{contract}請求額は明細の翌月の行と {shifted} か月一致します (そのままでは {typed} か月)。"
                         "invoices.csv の利用月に請求月を入力していませんか (請求月 = 利用月 + 1)",
                         "{contract}the invoices tie out with the detail of the month before in "
                         "{shifted} months (as typed: {typed}). invoices.csv seems to list billing months "
                         "(請求月 = 利用月 + 1) instead of usage months"),
    "signoff_stale": ("要再確認: {reviewer} の確認 ({signed_on}) の後に {changed} が変わりました",
                      "needs review: {changed} changed after the sign-off by {reviewer} ({signed_on})"),
    "signoff_unexplained": ("確認済みですが、説明のない不一致のチェックがあります: {check}。チェックシートのその行の説明欄に記入してください",
                            "signed off, but without an explanation of the failing {check}: write it in that row's "
                            "Explanation column on the Checks sheet"),
    "signoff_unexplained_month": ("確認済みですが、説明がありません。サマリーのこの月の説明欄に記入してください",
                                  "signed off, but without an explanation: write one in the month's Explanation "
                                  "column on the Summary"),
    # why a file was ignored
    "lock_file": ("Excel のロックファイル", "an Excel lock file"),
    "hidden_file": ("隠しファイル", "a hidden file"),
    "not_regular_file": ("通常のファイルではありません (名前付きパイプ・デバイス・ソケットは開きません)",
                         "not a regular file (a named pipe, a device or a socket is never opened)"),
    "own_report": ("recon のレポート", "a recon report"),
    "own_journal": ("recon journal が書いた仕訳ファイル", "a journal file recon journal wrote"),
    "not_a_format": ("recon が読まない形式 ({suffix})", "not a format recon reads ({suffix})"),
    "no_table": ("明細の表がありません", "no detail table in it"),
    "part_of_page": ("{page} の一部 (ブラウザが Web ページと一緒に保存したフォルダ): それだけでは読みません",
                     "part of the page {page} (the folder a browser saves beside a page): not read on its own"),
    "page_resources": ("{pages} と一緒に保存されたファイル (スタイルや画像。Google スプレッドシートがページの横に保存するフォルダ): "
                       "それだけでは読みません",
                       "saved with the page {pages} (styles and images: the folder Google Sheets saves beside a page): "
                       "not read on its own"),
    "page_missing": ("ブラウザが Web ページと一緒に保存したフォルダ {folder} ですが、そのページがありません: 読みません",
                     "in {folder}, the folder a browser saves beside a page, but the page is not here: not read"),
    "empty_file": ("空のファイル", "an empty file"),
    "binary_file": ("テキストではないファイル (バイナリ)", "a binary file, not text"),
    "not_a_webarchive": ("Safari の Web アーカイブではないファイル (プロパティリストではない)",
                         "not a Safari Web Archive (not a property list)"),
    "not_a_workbook": ("Excel ブックではないファイル (zip ではない)", "not an Excel workbook (not a zip archive)"),
    "calls_extra": ('通話明細です。読むには追加のライブラリが必要です: pip install "recon[calls]"',
                    'per-call records, not read without the calls extra: pip install "recon[calls]"'),
    "internal_error": ("内部エラー ({error})。お手数ですがご報告ください",
                       "internal error ({error}), please report"),
    "internal_bug": ("内部エラー ({error})。お手数ですがご報告ください", "internal error ({error}); please report it"),
    # --- journal entries (recon journal) ---
    "journal_open": ("締めていません ({status}): レポートで説明と確認を記入するか、--all で書き出してください",
                     "not closed ({status}): explain and sign it off in the workbook, or use --all"),
    "journal_error": ("エラーの月です: 正しい明細・請求額を確かめてから仕訳してください",
                      "the month is in error: settle which table or invoice is right before booking it"),
    "journal_no_detail": ("明細がありません", "no detail table"),
    "journal_no_invoice": ("請求額がありません (invoices.csv)", "no invoiced amount (invoices.csv)"),
    "journal_not_positive": ("請求額 {amount} 円は仕訳にしません (0 以下)",
                             "the invoiced amount {amount} is not above zero: nothing to book"),
    "journal_left_out": ("{month} 仕訳から除外: {reason}", "{month} left out of the journal: {reason}"),
    "journal_written": ("{path} に {entries_count}の仕訳を書き出しました ({product})",
                        "wrote {entries_count} to {path} ({product})"),
    # no entry to book: no file is written (an empty import file could be imported by mistake); a
    # file already at the path is left as it was, and said to be an earlier run's
    "journal_none": ("仕訳にする月がないため、{path} は書き出していません (除外した月と理由は上のとおり)",
                     "no month to book, so {path} was not written (the months left out, and why, are listed above)"),
    "journal_none_kept": ("仕訳にする月がないため、何も書き出していません (除外した月と理由は上のとおり)。"
                          "{path} は以前に書き出したままで、今回の仕訳ではありません",
                          "no month to book, so nothing was written (the months left out, and why, are listed "
                          "above); {path} is as an earlier run left it, not this run's entries"),
    "journal_no_month": ("月がひとつもないため、{path} は書き出していません", "no month found, so {path} was not written"),
    "journal_no_month_kept": ("月がひとつもないため、何も書き出していません。{path} は以前に書き出したままで、今回の仕訳ではありません",
                              "no month found, so nothing was written; {path} is as an earlier run left it, "
                              "not this run's entries"),
    # --- fiscal years and an archive of years ---
    "outside_year": ("{month} はこのフォルダの年 ({first}〜{last}) の外の月です: ファイル名か置き場所を確認してください",
                     "{month} lies outside the folder's year ({first} to {last}): check the file's name or folder"),
    "outside_year_file": ("このフォルダの年 ({first}〜{last}) の外の月 ({months}) の明細です",
                          "a table for {months}, outside the folder's year ({first} to {last})"),
    "history_from": ("前年のフォルダ {folder} の {months} か月を履歴として読みました (年度をまたいで異常を判定。前年分は再集計していません)",
                     "read {months} months of the previous year's folder {folder} as history: anomalies are "
                     "judged across the year boundary; nothing of it is reported again"),
    "history_overlap": ("{months} は前年のフォルダにもあります: 履歴にはこのフォルダの明細を使いました (置き場所を確認してください)",
                        "{months} is also in the previous year's folder: this folder's table was used as history "
                        "(check where the file belongs)"),
    "history_unread": ("前年のフォルダ {folder} の設定を読めないため、履歴なしで判定しました",
                       "the settings of the previous year's folder {folder} cannot be read: judged without history"),
    "year_subfolders": ("年の名前のフォルダ ({folders}) は契約ではなく別の年なので読んでいません: "
                        "recon build {latest} のように年ごとに実行してください",
                        "the folders named like a year ({folders}) are years of their own, not contracts, "
                        "and were not read: run recon on each year, e.g. recon build {latest}"),
    # --- what recon says is true: which way a difference runs ---
    "discount_less": ("着割: 明細の着割 {stated} は再計算 {recomputed} より値引きが {difference} 円少ない",
                      "incoming-call discount: OCN gave {difference} yen less discount ({stated}) than "
                      "recomputed ({recomputed})"),
    "discount_more": ("着割: 明細の着割 {stated} は再計算 {recomputed} より値引きが {difference} 円多い",
                      "incoming-call discount: OCN gave {difference} yen more discount ({stated}) than "
                      "recomputed ({recomputed})"),
    "notes_taken_from": ("説明・確認者・確認日は {file} から引き継ぎました", "explanations and sign-offs carried from {file}"),
    # --- readers: every file an accountant's software writes ---
    "unread_for_month": ("{file} はこの月のファイル名ですが、読みませんでした: {reason}",
                         "{file}, named for this month, was not read: {reason}"),
    # --- call records ---
    "calls_over": ("{type}: 明細の{what} {stated} は通話明細 ({calls} 通話) の {recomputed} より {difference} 多い",
                   "{type}: the table's {what} {stated} is over the call records' {recomputed} "
                   "({calls} calls) by {difference}"),
    "calls_under": ("{type}: 明細の{what} {stated} は通話明細 ({calls} 通話) の {recomputed} より {difference} 少ない",
                    "{type}: the table's {what} {stated} is under the call records' {recomputed} "
                    "({calls} calls) by {difference}"),
    # … of the count, where the records' figure is their number of calls, said once
    "calls_over_count": ("{type}: 明細の通話数 {stated} は通話明細の {recomputed} 通話より {difference} 多い",
                         "{type}: the table's {stated} calls are {difference} more than the call records' "
                         "{recomputed}"),
    "calls_under_count": ("{type}: 明細の通話数 {stated} は通話明細の {recomputed} 通話より {difference} 少ない",
                          "{type}: the table's {stated} calls are {difference} fewer than the call records' "
                          "{recomputed}"),
    "calls_unread": ('{file} を読んでいないため、通話明細の突合も不正利用の監視もしていません: pip install "recon[calls]" で読めます',
                     '{file}: call records not read, so neither tied out nor watched for toll fraud: '
                     'pip install "recon[calls]"'),
    "calls_failed": ("{file} にエラーがあるため、通話明細の突合も不正利用の監視もしていません (明細の表の数字はそのままです): {reason}",
                     "{file} has an error, so its call records were neither tied out nor watched for toll fraud "
                     "(the table's figures stand): {reason}"),
    "calls_without_table": ("通話明細 ({calls} 通話・{charge} 円) はありますが、この月の明細の表がありません",
                            "call records ({calls} calls, {charge} yen) but no detail table for this month"),
    "calls_fraction": ("通話明細の{type}の料金の合計 {exact} 円を {charge} 円として比べました",
                       "the call records' {type} charges add up to {exact} yen, compared as {charge} yen"),
    "finding_off_hours": ("不正利用の疑い: 営業時間外・休日の国際/高額通話 {calls} 件 {charge} 円 (最初 {since}、{numbers})",
                          "possible toll fraud: {calls} international/premium calls outside business hours "
                          "or on a holiday, {charge} yen (first {since}, {numbers})"),
    "finding_burst": ("不正利用の疑い: {minutes} 分以内に {calls} 件の国際/高額通話 {charge} 円 (最初 {since}、{numbers})",
                      "possible toll fraud: {calls} international/premium calls within {minutes} minutes, "
                      "{charge} yen (first {since}, {numbers})"),
    "finding_same_duration": ("不正利用の疑い: 同じ通話時間 {duration} の国際/高額通話 {calls} 件 {charge} 円 (最初 {since}、{numbers})",
                              "possible toll fraud: {calls} international/premium calls of the same duration "
                              "{duration}, {charge} yen (first {since}, {numbers})"),
    "finding_new_destination": ("初めての発信先: {country} への通話 {calls} 件 {charge} 円 (最初 {since}、{numbers})",
                                "a destination never called before: {calls} calls to {country}, {charge} yen "
                                "(first {since}, {numbers})"),
    "finding_number_share": ("{numbers} がこの月の通話料金の {share}% ({charge} 円・{calls} 件) を占めます",
                             "{numbers} accounts for {share}% of the month's charge ({charge} yen, {calls} calls)"),
    # what a file of call records held besides its calls (its record on the sources sheet); each
    # note has a twin that another note follows ({reason})
    "calls_total_agreed": ("合計行 ({lines} 行目) は上の通話の合計と一致しました",
                           "the total line (line {lines}) agrees with the calls above it"),
    "calls_total_agreed_and": ("合計行 ({lines} 行目) は上の通話の合計と一致しました。{reason}",
                               "the total line (line {lines}) agrees with the calls above it; {reason}"),
    "calls_subtotals": ("小計・合計の行 {rows} 行は通話として数えていません",
                        "subtotal and total lines not counted as calls: {rows}"),
    "calls_subtotals_and": ("小計・合計の行 {rows} 行は通話として数えていません。{reason}",
                            "subtotal and total lines not counted as calls: {rows}; {reason}"),
    "calls_incoming": ("着信 {calls} 件 ({duration}) は発信の通話料金に含めていません",
                       "incoming calls kept out of the outgoing charges: {calls} ({duration})"),
    "calls_incoming_and": ("着信 {calls} 件 ({duration}) は発信の通話料金に含めていません。{reason}",
                           "incoming calls kept out of the outgoing charges: {calls} ({duration}); {reason}"),
    "calls_unanswered": ("時間も料金もない発信 {calls} 件 (つながらなかった呼) は通話に数えていません",
                         "attempts without time or charge (never connected) not counted as calls: {calls}"),
    "calls_unanswered_and": ("時間も料金もない発信 {calls} 件 (つながらなかった呼) は通話に数えていません。{reason}",
                             "attempts without time or charge (never connected) not counted as calls: "
                             "{calls}; {reason}"),
    "calls_debits": ("料金がマイナス (引き落とし額) で書かれているため、その額を通話料金としました",
                     "charges are written as debits (negative): their amounts are taken as the charges"),
    "calls_debits_and": ("料金がマイナス (引き落とし額) で書かれているため、その額を通話料金としました。{reason}",
                         "charges are written as debits (negative): their amounts are taken as the charges; "
                         "{reason}"),
}

# What a reader expected where it found something else (ReconError.expected).
EXPECTED: dict[str, tuple[str, str]] = {
    "count": ("通話数 (例: 1,096)", "a count such as 1,096"),
    "yen": ("円の金額 (例: 10,240)", "a yen amount such as 10,240"),
    "duration": ("通話時間 (例: 28:49:53.5)", "a duration such as 28:49:53.5"),
    "duration_tenths": ("0.1秒単位の通話時間 (例: 28:49:53.5)", "a duration in tenths of a second such as 28:49:53.5"),
    "row_values": ("通話数・通話時間・通話料金のそろった行", "a row with a count, a duration and a charge"),
    "row_values_missing": ("通話数・通話時間・通話料金のそろった行 (この行には{missing}がありません)",
                           "a row with a count, a duration and a charge (this one has no {missing})"),
    "type_rows": ("見出しの下の通話種別の行 (一般通話・国際通話など)", "call-type rows under the header (一般通話, 国際通話 …)"),
    "label": ("通話種別", "a call-type label"),
    "label_once": ("通話種別ごとに1行 (この種別の行は {first} にもあります)",
                   "one row per call type (this type has a row at {first} too)"),
    "one_value": ("1列に1つの値", "one value per column"),
    "label_translated": ("OCN の通話種別 (この表はブラウザが翻訳したページのもので、この語は OCN の見出しの訳として"
                         "知られていません。翻訳をオフにしてページをコピーし直してください)",
                         "one of OCN's call types (this table is from a page the browser translated, and this word "
                         "is no known translation of OCN's labels: copy the page again with translation turned off)"),
    "calculated": ("計算済みの値 (この数式は一度も計算されていません。ファイルを Excel で開いて一度保存してください)",
                   "a calculated value (this formula was never calculated: open the file in Excel and save it once)"),
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
    "html_depth": ("入れ子の深すぎない HTML ページ (要素がこれ以上深く入れ子になったページは読み切れません。表をコピーして"
                   "貼り付けるか、ブラウザで保存し直してください)",
                   "an HTML page not nested too deep (past this line its elements nest deeper than a page can be "
                   "read: copy and paste its table, or save the page again from the browser)"),
    "month_year": ("{month}月の年 (ファイル名を 2024-01.txt のようにするか、2024 という名前のフォルダに置いてください)",
                   "a year for month {month}: name the file like 2024-01.txt or put it in a folder named 2024"),
    "month": ("利用月 (ファイル名を 2024-01.txt のようにするか、表の上に「ご利用月 2024年1月」と書いてください)",
              "a usage month: name the file like 2024-01.txt or write ご利用月 2024年1月 above the table"),
    "month_agree": ("ファイル名の月 ({name}) と内容の月 ({content}) の一致",
                    "the month in the name ({name}) and in the content ({content}) to agree"),
    "one_table": ("1ファイルに1つの明細 (もう1つ: {other})", "one detail table per file (another at {other})"),
    "invoice_header": ("請求の見出し行 (month/利用月 と amount/請求額)", "a header row with month/利用月 and amount/請求額"),
    "invoice_month": ("利用月 (例: 2024-01)", "a usage month such as 2024-01"),
    "basis": ("税区分 excl/税別 または incl/税込", "a tax basis excl/税別 or incl/税込"),
    # --- settings (recon.toml and the options): the key, and what it takes ---
    "setting_known": ("recon の設定項目", "a known setting"),
    "setting_value": ("{key} には{reason_ja}", "{key}: {reason_en}"),
    "setting_number": ("{key} には 10^{digits} 未満で小数 {digits} 桁までの数",
                       "{key}: a number under 10^{digits} with at most {digits} decimals"),
    "setting_depth": ("{key} には {nesting} 段までの入れ子の値", "{key}: values nested at most {nesting} deep"),
    "setting_toml": ("TOML として正しい設定ファイル ({error})", "valid TOML ({error})"),
    "setting_utf8": ("UTF-8 で読める設定ファイル ({error})", "a readable UTF-8 file ({error})"),
    "size": ("{limit} バイト以下のファイル", "a file of at most {limit} bytes"),
    # --- the file system: what recon opens is a regular file; what it writes needs the disk ---
    "regular_fifo": ("通常のファイル (これは名前付きパイプ (FIFO) です。読むと待ち続けるため開きません)",
                     "a regular file, not a named pipe (FIFO): recon never opens one, as reading it would wait forever"),
    "regular_device": ("通常のファイル (これはデバイスです。読みません)", "a regular file, not a device: recon never reads one"),
    "regular_socket": ("通常のファイル (これはソケットです。読みません)", "a regular file, not a socket: recon never reads one"),
    "regular_folder": ("ファイル (これはフォルダです)", "a file, not a folder"),
    "regular_other": ("通常のファイル", "a regular file"),
    "disk_space": ("ディスクの空き (空きを作るか、別の場所に書いてください)", "space on the disk (free some, or write elsewhere)"),
    "machine": ("このコンピュータが許す処理 (ディスク・メモリ・プロセス数の制限を確かめてください)",
                "what this machine allows (check its disk, memory and process limits)"),
    "writable_disk": ("書き込めるディスク (読み取り専用です。別の場所に書いてください)",
                      "a disk recon can write to (this one is read-only: write elsewhere)"),
    "year_folder": ("年の名前のフォルダ (例: 2024、2024年度) または --year",
                    "a folder named by its year (e.g. 2024, 2024年度) or --year"),
    "template_style": ("セルのスタイル「{style}」のあるテンプレート", "a template with a cell style '{style}'"),
    "template_sheet": ("シート「{sheet}」のあるテンプレート", "a template with a sheet '{sheet}'"),
    "year_not_archive": ("1年分のフォルダ (ここには年のフォルダ {folders} があります: recon build {latest} のように年ごとに実行してください)",
                         "a folder of one year (this one holds the years {folders}: run recon on one of them, "
                         "e.g. recon build {latest})"),
    "template_row": ("シート「{sheet}」のひな形行の名前 {name} のあるテンプレート (recon template で作り直してください)",
                     "a template whose sheet '{sheet}' names its prototype row {name} (remake it with recon template)"),
    # --- the template command ---
    "template_suffix": ("拡張子 .xlsx のファイル名", "a file name ending .xlsx"),
    "exists": ("まだないファイル名 (既にあるファイルは置き換えません)", "a file that does not exist yet (recon does not replace it)"),
    # --- journal entries (recon journal) ---
    "journal_output": ("仕訳の出力先 .csv または .txt (入力ファイル以外)", "a .csv or .txt journal file that is not an input"),
    "journal_overwrite_input": ("入力ではない仕訳の出力先 (これは recon が読む入力です)",
                                "a journal file that is not an input (recon reads this one)"),
    "journal_overwrite": ("recon が書いた {product} の仕訳ファイル (別の -o を指定してください)",
                          "a {product} journal file recon wrote (choose another -o)"),
    "journal_encoding": ("{encoding} で書ける文字 (契約名・設定の文字を変えてください)",
                         "text that {encoding} can write (change the contract name or the setting)"),
    "journal_width": ("{product} が {column} に取り込める半角 {limit} 文字 (全角 {half} 文字) 以内の名前 ([journal] の設定を短くしてください)",
                      "a name {product} imports into {column}: at most {limit} half-width bytes, {half} full-width "
                      "characters (shorten the [journal] setting)"),
    "journal_formula": ("数式として読まれない {column} の値 (先頭が = + - @ タブ 改行以外)",
                        "a {column} value a spreadsheet does not read as a formula (not starting with = + - @, "
                        "a tab or a line break)"),
    "output_folder": ("存在する出力先のフォルダ ({folder})", "an existing output folder ({folder})"),
    "existing_file": ("存在するファイル", "an existing file"),
    "folder_not_file": ("フォルダ (これはファイルです)", "a folder, not a file"),
    "existing_folder": ("存在するフォルダ (年度の入力を置いたもの)", "an existing folder (the one the year's files are in)"),
    # --- nothing read is ever written ---
    "not_input": ("recon が読まない出力先 (これは{kind}です。入力は上書きしません)",
                  "an output path recon does not read (this is {kind}; recon never writes over an input)"),
    "not_ours": ("recon が書いたレポート (これは{kind}です。上書きするには --force)",
                 "a report recon wrote (this is {kind}; use --force to overwrite it)"),
    "output_xlsx": ("名前が .xlsx で終わる出力先", "an output path ending in .xlsx"),
    # --- readers: every file an accountant's software writes ---
    "duration_hours_lost": ("時間を含む通話時間 (例: 28:49:53.5。分:秒だけなのは、Excel の表示形式 mm:ss.0 のまま"
                            " CSV に保存して時間が失われたためです。列の表示形式を [h]:mm:ss.0 にしてから保存するか、"
                            ".xlsx のまま置いてください)",
                            "a duration with its hours such as 28:49:53.5; minutes and seconds alone mean the hours "
                            "were lost: Excel saved the column's mm:ss.0 display to CSV. Give the column the format "
                            "[h]:mm:ss.0 before saving as CSV, or leave the file as .xlsx"),
    "xls": ("Excel 97-2003 ブック (.xls)", "an Excel 97-2003 workbook (.xls)"),
    "ods": ("OpenDocument スプレッドシート (.ods)", "an OpenDocument spreadsheet (.ods)"),
    "mhtml": ("1つのファイルに保存した Web ページ (.mhtml)", "a web page saved as one file (.mhtml)"),
    "mhtml_depth": ("入れ子の部分が {limit} 個までの .mhtml (ブラウザが保存したページはそれより浅いはずです。"
                    "保存し直してください)", "a page saved as one file (.mhtml) of at most {limit} nested parts "
                    "(a browser's save has a few: save the page again)"),
    "webarchive": ("Safari の Web アーカイブ (.webarchive)", "a page saved by Safari as a Web Archive (.webarchive)"),
    "cells": ("セルが {limit} 個までの表 (これより大きく展開されるファイルは読みません。大きな通話明細は CSV で保存してください)",
              "a sheet or table of at most {limit} cells as laid out (recon does not read a file that lays out more; "
              "save a large month of call records as CSV)"),
    "spreadsheetml": ("Excel ブック (これは XML スプレッドシート 2003 です。Excel で開いて .xlsx で保存してください)",
                      "an Excel workbook, not an Excel 2003 XML spreadsheet: open it in Excel and save it as .xlsx"),
    "password_free": ("パスワードのないブック (Excel でパスワードを解除して保存し直してください)",
                      "a workbook without a password: remove the password in Excel and save it again"),
    # --- call records ---
    "call_start": ("通話の開始日時 (例: 2024/01/05 09:03:02)", "a call start such as 2024/01/05 09:03:02"),
    "call_sum_line": ("通話の開始日時 (例: 2024/01/05 09:03:02。開始日時のない数字だけの行は、ファイルの最後の行で上の通話の"
                      "合計 {calls} 件・{duration}・{charge} 円と同じときに合計行として読みます)",
                      "a call start such as 2024/01/05 09:03:02 (a line of figures alone is read as the total when "
                      "it is the file's last and equals the calls above it: {calls} calls, {duration}, {charge} yen)"),
    "call_duration": ("通話時間 (例: 0:02:05、秒なら 125)", "a call duration such as 0:02:05 (or 125 seconds)"),
    "call_charge": ("通話料金 (円、銭まで。例: 8、15.5)", "a call charge in yen to the sen such as 8 or 15.5"),
    "call_columns": ("{columns} 列の行", "a row of {columns} columns"),
    "call_year": ("年のある通話日 (例: 2024/09/15。年のない日付 09/15 は、ファイル名に利用月 (通話明細_202409.csv) "
                  "か年の名前のフォルダー (2024) があれば読めます)",
                  "a call date with its year such as 2024/09/15; a date without one (09/15) is read when the "
                  "file is named by its usage month (calls_202409.csv) or sits in a folder named by its year"),
    "call_direction": ("発信か着信 (発信・着信、outgoing・incoming、outbound・inbound)",
                       "outgoing or incoming (発信, 着信, outbound, inbound)"),
    "call_currency": ("円の料金 (通貨 JPY)", "charges in yen (currency JPY)"),
    "call_total": ("上の通話の合計 ({calls} 件・{duration}・{charge} 円) と同じ合計行",
                   "a total line equal to the calls above it ({calls} calls, {duration}, {charge} yen)"),
    "call_header": ("通話明細の見出し (開始日時・相手先番号・通話時間・通話料金)",
                    "a call-records header naming a start, the number called, a duration and a charge"),
    "numbers_header": ("番号の見出し行 (番号・部門・名前)", "a header row with 番号, 部門 and 名前"),
}

# An error whose Japanese says what was found as a sentence of its own rather than in the form
# …が必要ですが「…」でした: {found} is what was found, the other blanks as in EXPECTED. English keeps
# its one form (expected …, found '…').
FOUND_SENTENCES_JA: dict[str, str] = {
    "calculated": "数式「{found}」は一度も計算されていないため、値がありません。ファイルを Excel で開いて一度保存してください",
}

# What a reader found, in words (ReconError(found_as=key), its blanks filled from the error's params),
# where recon, not a library, says what a file is; a library's own words stay as they are (in brackets).
FOUND: dict[str, tuple[str, str]] = {
    "password": ("パスワードをかけたブック", "a workbook opened only with a password"),
    "not_zip": ("zip ではないファイル ({detail})", "not a zip archive ({detail})"),
    "bytes": ("{size} バイト", "{size} bytes"),
    "grown": ("読む間に {limit} バイトを超えたファイル", "over {limit} bytes, grown as it was read"),
    "inflated": ("{packed} バイトから展開して {total} バイト", "{total} bytes from {packed}"),
    "compound_file": ("壊れた複合ファイル ({detail})", "a damaged compound file ({detail})"),
    "repeat_count": ("繰り返し数 {detail}", "a repeat count {detail}"),
    "no_main_resource": ("WebMainResource (ページの中身) のない保存ファイル",
                         "no WebMainResource with its WebResourceData"),
    "not_a_page": ("Web ページではない保存ファイル ({mime})", "a saved {mime}, not a page"),
    "mime_parts": ("MIME の部分 {detail}", "parts {detail}"),
    "no_mime_parts": ("MIME の部分のないファイル", "no MIME parts"),
    "empty_html_part": ("中身のない text/html の部分", "a text/html part without content"),
    "no_part": ("部分 {part} のないブック", "no part {part}"),
    "no_workbook_part": ("workbook の部分のないブック", "no workbook part"),
    "sheet_without_name": ("名前のないシート", "a sheet without a name"),
    "no_sheet_part": ("シート {sheet} の部分のないブック", "no part for sheet {sheet}"),
    "cell_value": ("セルの値 {detail}", "cell value {detail}"),
    "row_number": ("行番号 {detail}", "row number {detail}"),
    "cell_reference": ("セル番地 {detail}", "cell reference {detail}"),
    "sheet_dimension": ("シートの範囲 {detail}", "sheet dimension {detail}"),
}

# What a setting takes, as the line that refuses a value says it (EXPECTED setting_value): by the
# type of pydantic's complaint (its ctx fills the blanks; {choices} a literal's values), or a
# validator's own (settings.SettingValueError). The English is pydantic's own words.
SETTING_REASONS: dict[str, tuple[str, str]] = {
    "literal_error": ("{choices} のどれか", "input should be {expected}"),
    "greater_than": ("{gt} より大きい数", "input should be greater than {gt}"),
    "greater_than_equal": ("{ge} 以上の数", "input should be greater than or equal to {ge}"),
    "less_than": ("{lt} より小さい数", "input should be less than {lt}"),
    "less_than_equal": ("{le} 以下の数", "input should be less than or equal to {le}"),
    "whole": ("整数", "input should be a valid integer"),
    "bool": ("true か false", "input should be a valid boolean"),
    "number": ("数", "input should be a valid number"),
    "text": ("文字列", "input should be a valid string"),
    "not_empty": ("空でない文字列", "string should have at least 1 character"),
    "table": ("項目を並べた表 ([…] の下に 項目 = 値)", "input should be a table of settings"),
    "timezone": ("タイムゾーンのデータベースにある名前 (UTC や Asia/Tokyo のように書いてください)",
                 "not a time zone of the zone database (write it like UTC or Asia/Tokyo)"),
    "formula": ("= + - @ タブ 改行で始まらない文字列 (仕訳を開く表計算ソフトが数式として実行するため)",
                "text that does not start with = + - @, a tab or a line break (a spreadsheet opening the journal "
                "would run it as a formula)"),
    "braces": ("{{ と }} が対になったひな形 ({error})", "a template whose braces pair up ({error})"),
    "summary_fields": ("{{year}} と {{month}} (幅は {{month:02}} まで) だけを埋めるひな形 ({raw} は使えません)",
                       "only {{year}} and {{month}} may be filled in, with at most a width such as {{month:02}}, "
                       "not {raw}"),
}
# pydantic's complaints that say the same as one of SETTING_REASONS in other words.
SETTING_KINDS = {"int_type": "whole", "int_parsing": "whole", "int_from_float": "whole", "bool_type": "bool",
                 "bool_parsing": "bool", "decimal_type": "number", "decimal_parsing": "number",
                 "float_type": "number", "float_parsing": "number", "finite_number": "number",
                 "string_type": "text", "string_too_short": "not_empty", "dict_type": "table", "model_type": "table"}

# What a file at the output path is, for the line that refuses to write over it (EXPECTED not_input,
# overwrite). {month} is the usage month a detail table was named for.
INPUT_KINDS: dict[str, tuple[str, str]] = {
    "detail_month": ("{month} の明細 (入力)", "the detail table for {month}, an input"),
    "detail": ("明細として読むファイル (入力)", "a file recon reads as a detail table, an input"),
    "detail_elsewhere": ("明細の表があるブック", "a workbook that holds a detail table"),
    "calls": ("通話明細 (入力)", "per-call records, an input"),
    "invoices": ("請求額のファイル (入力)", "the invoiced amounts, an input"),
    "settings": ("設定ファイル (入力)", "the settings, an input"),
    "template": ("レポートのテンプレート (入力)", "the report template, an input"),
    "workbook": ("recon が書いていない Excel ブック", "an Excel workbook recon did not write"),
    "not_workbook": ("Excel ブックではないファイル", "a file that is not an Excel workbook"),
}


def internal_error(error: str, debug: bool, lang: str) -> str:
    """The one line of a bug in recon (exit 3), with how to see its details when they are not shown."""
    line = render_key("internal_bug", lang, error=error)
    if debug:
        return line
    return line + ("。詳しくは RECON_DEBUG=1 を付けて実行してください" if lang == "ja"
                   else ", with RECON_DEBUG=1 set for the details")


def render_key(key: str, lang: str, **params: object) -> str:
    """A message of MESSAGES by its key, its parameters as given."""
    return word(MESSAGES, key, lang).format(**params)


def check_words(key: str, lang: str) -> str:
    """A check's key (model.Check.key) in words: 通話明細の通話料金 (国際通話) for a per-type one."""
    check, _, type_id = key.partition(":")
    name = word(CHECKS, check, lang)
    return f"{name} ({type_label(type_id, lang)})" if type_id else name


def check_key(words: str) -> str | None:
    """The key of a check named in either language's words, as the checks sheet shows it; None for
    words that name no check."""
    words = words.strip()
    for check, pair in CHECKS.items():
        for lang, name in zip(("ja", "en"), pair, strict=True):
            if words == name:
                return check
            if words.startswith(f"{name} (") and words.endswith(")"):
                label = words[len(name) + 2:-1]
                type_id = next((t for t in CALL_TYPES if label == type_label(t, lang)), None) or f"other:{label}"
                return f"{check}:{type_id}"
    return None


def word(table: dict, key, lang: str) -> str:
    """Look a word up in one of the tables above."""
    ja, en = table[key]
    return ja if lang == "ja" else en


def status_word(status: str, lacks: tuple[str, ...], lang: str, suspected: bool = False) -> str:
    """A month's status in words; a missing month's says what it lacks (明細なし, 請求なし), and a
    month of suspected toll fraud says so (不正の疑い: SummaryRow.suspected)."""
    if suspected:
        return word(SUSPECTED, "fraud", lang)
    if status == "missing" and lacks:
        return word(MISSING, ",".join(lacks), lang)
    return word(STATUS, status, lang)


def total_status_word(to_review: int, lang: str) -> str:
    """A total row's status cell: how many of its rows need a look (3件要確認), or すべて一致."""
    return word(TOTAL_STATUS, "review", lang).format(count=to_review) if to_review else word(TOTAL_STATUS, "ok", lang)


def blank_words(why: tuple[str, ...], lang: str) -> str | None:
    """Why a row's figures are blank, in words (明細なし・前月なし); None for nothing to say."""
    if not why:
        return None
    return BLANK_JOIN[lang != "ja"].join(word(BLANK_WHY, reason, lang) for reason in why)


CLOSE = {"closed": ("締め済", "Closed"), "open": ("未了", "Open"), "stale": ("要再確認", "Needs review")}
CHANGED = {"detail": ("明細", "the detail table"), "invoice": ("請求額", "the invoice"),
           "detail,invoice": ("明細と請求額", "the detail table and the invoice")}
WHAT = {"count": ("通話数", "calls"), "tenths": ("通話時間", "call time"), "yen": ("通話料金", "charge"),
        "calls": ("通話数", "calls")}
# a month's status as a message names it: a suspected toll fraud by its own word (MonthResult.suspected)
_PARAM_WORDS = {"check": CHECKS, "what": WHAT, "changed": CHANGED, "missing": WHAT,
                "status": STATUS | {"suspected": SUSPECTED["fraud"]}}


def _param_word(key: str, value: Param, lang: str) -> str:
    """A message's parameter in the language's words where it is an id (a check, a unit, a call type),
    a count (`months_count`: 1か月, 1 month, 2 months; `rows_count`: 12件, 12 invoice rows;
    `entries_count`: 1 件, 1 journal entry, 2 journal entries), a place
    in a file (labels.place), phone numbers (番号 050-5555-0107; number …, numbers …) or a list
    (each item so, joined: 2024-08、2024-10 / 2024-08, 2024-10)."""
    if isinstance(value, tuple):
        if key == "numbers":
            return _numbers_words(value, lang)
        return joined((_param_word(key, item, lang) for item in value), lang)
    if not isinstance(value, str):
        return place(value, lang)
    if key == "type":
        return type_label(value, lang)
    if key == "since":  # a call's start, ISO 8601 in the message: as a person writes a time
        return _date_time(value, lang)
    if key == "months_count":
        return months_count(int(value), lang)
    if key == "rows_count":
        count = int(value)
        return f"{count}件" if lang == "ja" else f"{count} invoice row{'' if count == 1 else 's'}"
    if key == "entries_count":
        count = int(value)
        return f"{count:,} 件" if lang == "ja" else f"{count:,} journal entr{'y' if count == 1 else 'ies'}"
    return word(_PARAM_WORDS[key], value, lang) if key in _PARAM_WORDS else value


def _numbers_words(numbers: tuple[str, ...], lang: str) -> str:
    """Phone numbers as a sentence names them: 番号 050-5555-0107、…; number 050-5555-0107 or
    numbers 050-…, 03-…; 番号なし / no number for none."""
    if not numbers:
        return "番号なし" if lang == "ja" else "no number"
    if lang == "ja":
        return "番号 " + joined(numbers, lang)
    return f"number{'' if len(numbers) == 1 else 's'} {joined(numbers, lang)}"


def place(where: Where, lang: str) -> str:
    """A place in a file as a person finds it: `2024-01.txt:3`, `2024-01.xlsx:明細!C14`, and a
    page's table cell by its table, row and column (表2の5行目・3列目 / table 2, row 5, column 3)."""
    if where.table is None or where.cell or lang != "ja":
        return str(where)
    at = f"{where.path}:{where.line}" if where.line is not None else where.path
    return f"{at} (表{where.table}の{where.row}行目・{where.column}列目)"


def _date_time(iso: str, lang: str) -> str:
    """`2024-11-16T02:05:19` → 2024年11月16日 02:05:19 / 16 Nov 2024 02:05:19: words a narrow column
    wraps at its spaces, not inside a date."""
    import datetime as dt

    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if lang == "ja":
        return f"{when.year}年{when.month}月{when.day}日 {when:%H:%M:%S}"
    return f"{when.day} {_MONTH_ABBREVIATIONS[when.month - 1]} {when.year} {when:%H:%M:%S}"


_MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def joined(items, lang: str) -> str:
    """Items of a list in a sentence: 2024-08、2024-10 / 2024-08, 2024-10."""
    return ("、" if lang == "ja" else ", ").join(items)


def files_count(count: int, lang: str) -> str:
    """A number of files in words: ファイル 15件, 1 file, 15 files."""
    return f"ファイル {count}件" if lang == "ja" else f"{count} file{'' if count == 1 else 's'}"


def months_count(count: int, lang: str) -> str:
    """A number of months in words: 2か月, 1 month, 2 months."""
    return f"{count}か月" if lang == "ja" else f"{count} month{'' if count == 1 else 's'}"


def contract_months_count(count: int, contracts: int, months: int, lang: str) -> str:
    """The months of a year in words: for one contract its months (months_count); for several, the
    (contract, month) pairs as such, so that nobody reads nine calendar months where three contracts
    have three each: 3契約・3か月の9件, 9 contract-months (3 contracts × 3 months); `×` only where every
    contract has every month (3 contracts over 3 months otherwise)."""
    if contracts <= 1:
        return months_count(count, lang)
    if lang == "ja":
        return f"{contracts}契約・{months}か月の{count}件"
    spread = "×" if count == contracts * months else "over"
    return (f"{count} contract-month{'' if count == 1 else 's'} "
            f"({contracts} contracts {spread} {months} month{'' if months == 1 else 's'})")


def contract_months_part(count: int, contracts: int, lang: str) -> str:
    """Some of those months, after the whole was named (…のうち2か月 / 2件; in English the bare number,
    as in `2 of 12 months`)."""
    if lang != "ja":
        return str(count)
    return f"{count}件" if contracts > 1 else months_count(count, lang)


def render(message: Message, lang: str) -> str:
    """A Message in words; ids among its parameters (a check, a unit) are put in words too."""
    if message.key == "read_error":
        return _describe_error(dict(message.params), lang)
    params = {k: _param_word(k, v, lang) for k, v in message.params}
    if message.because is not None:
        params["reason"] = render(message.because, lang)
    if "account" in params:  # "契約 大阪支店: " before a finding about one contract; nothing for the unnamed one
        account = params["account"]
        params["contract"] = f"{ACCOUNT[0] if lang == 'ja' else ACCOUNT[1].lower()} {account}: " if account else ""
    return word(MESSAGES, message.key, lang).format(**params)


def _describe_error(params: dict[str, Param], lang: str) -> str:
    """`where: expected …, found '…'` in one line; an instruction that the words of what is
    expected carry in brackets follows as a sentence of its own (…が必要ですが「…」でした。…してください)."""
    fill = {k.removeprefix("param_"): v for k, v in params.items() if k.startswith("param_")}
    kind = fill.pop("kind", None)
    words = {k: _param_word(k, v, lang) for k, v in fill.items()}
    if isinstance(kind, str):  # what a file is, in words
        words["kind"] = word(INPUT_KINDS, kind, lang).format(**words)
    key = str(params["expected"])
    expected = word(EXPECTED, key, lang).format(**words)
    expected, instruction = _instruction(expected) if _is_instruction(word(EXPECTED, key, "ja").format(**words)) \
        else (expected, "")
    if lang == "ja" and expected[-1:].isascii() and expected[-1:].isalnum():
        expected += " "  # true か false が必要: a word in letters stands apart from the particle
    at = params.get("where")
    where = f"{_param_word('where', at, lang)}: " if at else ""
    found = params.get("found")
    if isinstance(as_ := params.get("found_as"), str):
        found = word(FOUND, as_, lang).format(**words)
    if not isinstance(found, str):
        if lang == "ja":
            return f"{where}{expected}が必要です" + (f"。{instruction}" if instruction else "")
        return f"{where}expected {expected}" + (f" ({instruction})" if instruction else "")
    found = found if len(found) <= 60 else found[:57] + "…"
    blank = not found.strip()  # an empty cell, named as such rather than quoted as nothing
    if lang == "ja" and key in FOUND_SENTENCES_JA and not blank:
        return where + FOUND_SENTENCES_JA[key].format(found=found, **words)
    if lang == "ja":
        shown = "空欄" if blank else f"「{found}」"
        return f"{where}{expected}が必要ですが{shown}でした" + (f"。{instruction}" if instruction else "")
    shown = "blank" if blank else f"'{found}'"
    return f"{where}expected {expected}, found {shown}" + (f" ({instruction})" if instruction else "")


def _is_instruction(japanese: str) -> bool:
    """True when the words of what is expected end in brackets that say what to do or why (not an
    example such as `(例: 1,096)`): such words read as a sentence of their own after the line."""
    _, inside = _instruction(japanese)
    return any(sign in inside for sign in ("ください", "。", "ます", "ません", "です"))


def _instruction(text: str) -> tuple[str, str]:
    """`noun (what to do)` → (noun, what to do): the brackets that close the text, nested ones
    kept inside; (text, "") for text that does not end in brackets."""
    if not text.endswith(")"):
        return text, ""
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[index], 0)
        if depth == 0:
            return text[:index].rstrip(), text[index + 1:-1]
    return text, ""


# --- call records ---
# Header words of per-call records (通話明細, PBX and router call logs; SPEC §7), compared after
# NFKC, without spaces, case folded and without a trailing unit in brackets (`料金(円)` is 料金,
# `通話時間(秒)` is 通話時間 in seconds). The first column that matches a key is that key's.
CALL_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "start": ("通話開始日時", "開始日時", "発信日時", "通話日時", "start", "starttime", "startdatetime",
              "callstart", "calldate", "datetime"),  # beside a time column, 通話開始日時 holds the date alone
    "time": ("通話開始時間", "通話開始時刻", "開始時刻", "開始時間", "時刻", "time"),  # a date beside it, or alone
    "date": ("日付", "通話日", "通話年月日", "利用日", "ご利用日", "通話開始日", "date"),
    "calling": ("発信元番号", "発信番号", "自番号", "利用番号", "内線番号", "発信者番号", "ご利用電話番号",
                "お客様の電話番号", "電話番号", "利用電話番号", "通話元番号", "通信元電話番号", "caller",
                "callingnumber", "from", "source", "src", "extension", "ownnumber"),
    "called": ("相手先番号", "通話先電話番号", "通話先番号", "着信番号", "着信電話番号", "相手先電話番号", "架電した番号",
               "相手番号", "発信先番号", "callednumber", "numbercalled", "dialednumber", "destination", "to", "dst"),
    "duration": ("通話時間", "duration", "durationsec", "billsec", "calltime", "seconds"),
    "charge": ("通話料金", "料金", "金額", "見積額", "通話料", "通話料金額", "料金額", "charge", "cost", "amount",
               "price"),
    "type": ("通話種別", "種別", "呼種別", "通話の種類", "calltype", "type"),
    # which way a call went: incoming calls are never summed with the outgoing charges
    "direction": ("発着信種別", "発着信区分", "発着区分", "発着信", "direction", "calldirection"),
    "currency": ("通貨", "priceunit", "currency"),  # Twilio's PriceUnit: the charges' currency
}
CALL_SECONDS_UNITS = ("秒", "s", "sec", "secs", "seconds")  # `通話時間(秒)`, `duration (s)`
CALL_SECONDS_WORDS = ("seconds", "billsec", "durationsec")  # duration headers that say seconds themselves
# Call-type words that per-call records write for OCN's types (`国際`, `携帯`, `International`).
CALL_TYPE_ALIASES: dict[str, str] = {
    "一般": "general", "国内": "general", "国内通話": "general", "市内": "general", "市外": "general",
    "固定": "general", "固定電話": "general", "国際": "international", "国際電話": "international",
    "携帯": "mobile", "携帯電話": "mobile", "ip": "ip", "ip電話": "ip", "050": "ip", "phs": "phs",
    "general": "general", "domestic": "general", "landline": "general", "international": "international",
    "mobile": "mobile",
}
# Words of a direction column (compared like header words): outgoing calls are charged; incoming and
# internal ones are not. Twilio's directions: its Call resource (twilio.com/docs/voice/api/call-resource).
CALL_OUTGOING_WORDS = ("発信", "発", "外線発信", "out", "outgoing", "outbound", "outbound-api", "outbound-dial",
                       "trunking-terminating", "o")
CALL_INCOMING_WORDS = ("着信", "着", "外線着信", "内線通話", "in", "incoming", "inbound", "trunking-originating", "i")
CALL_YEN_WORDS = ("jpy", "円", "yen", "¥", "\\")
# Words that make a row among calls a total (合計) or a subtotal (電話番号計, 組織計, 小計 …: any word
# ending in 計); such a row holds no start. A total is checked against the calls above it.
CALL_TOTAL_WORDS = ("合計", "総合計", "総計", "請求合計", "総額", "total", "grandtotal")
CALL_SUBTOTAL_WORDS = ("subtotal", "sub-total")
# Names of the types a number's prefix gives that OCN has no id for (its own type, SPEC §1.1).
CALL_PREFIX_TYPES: dict[str, str] = {
    "0570": "ナビダイヤル", "0180": "テレドーム", "0990": "ダイヤルQ2", "0120": "フリーダイヤル",
    "0800": "フリーダイヤル",
}
NUMBERS_HEADER_WORDS = {"number": ("番号", "電話番号", "number"), "department": ("部門", "部署", "department"),
                        "name": ("名前", "氏名", "利用者", "name")}
FINDING_TOTAL = ("{rule} 計", "{rule}, total")
EVERY_TYPE = ("全種別", "All types")  # a number's calls of every type, added up
FINDING_WORDS = {
    "off_hours": ("時間外・休日の国際/高額通話", "Off-hours international/premium calls"),
    "burst": ("短時間の連続発信", "Burst of calls"),
    "same_duration": ("同じ通話時間の繰り返し", "Repeated identical durations"),
    "new_destination": ("初めての発信先の国", "New destination country"),
    "number_share": ("1番号への集中", "One number's share"),
}
