"""The report's very hidden state sheet: what the next build needs to know and a person does not.

One layout, imported by the workbook that writes it and by `prior`, which reads it back. A row is
either a month ("month": the fingerprint the report shows, and the one its sign-off was given on,
with that reviewer and date) or a note carried from a month or check that is gone ("carried":
account, month, field or check id, text in the columns after the kind). A month that is gone but
was signed off keeps its "month" row, with no fingerprint shown: when it comes back, its carried
notes return to it and its sign-off stands on the inputs it was given on. A "typed" row (laid out as a
carried one) holds an explanation as the accountant typed it, where the report shows it broken into
lines (outputs/workbook/wrap.py): read back, a cell that differs from it only by line breaks is that
text as typed.
"""
from __future__ import annotations

STATE_SHEET = "recon_state"
STATE_COLUMNS = ("kind", "account", "month", "shown_detail", "shown_invoice", "basis_detail", "basis_invoice",
                 "basis_reviewer", "basis_signed_on")
