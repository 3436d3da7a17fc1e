"""Files for finance and for the guides' own lists: CSV (UTF-8 with BOM, ';' as Danish Excel
expects) and XLSX. A cell that a spreadsheet would run as a formula is neutralised (SEC-34)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import xlsxwriter

#: A cell starting with one of these is a formula to a spreadsheet: "=HYPERLINK(…)" in a name.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> Any:
    """Text that a spreadsheet shows as text; numbers and dates stay numbers and dates."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [value.isoformat() if isinstance(value, date) else safe(value) for value in row]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, list(header), bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, day)
            elif isinstance(value, str):
                sheet.write_string(r, c, safe(value))
            elif value is None:
                sheet.write_blank(r, c, None)
            else:
                sheet.write_number(r, c, value)
    sheet.autofilter(0, 0, max(len(rows), 1), len(header) - 1)
    book.close()
    return out.getvalue()
