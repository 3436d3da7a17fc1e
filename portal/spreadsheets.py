"""Spreadsheets for finance, the committee and the guides' own lists: CSV (UTF-8 with BOM, ';'
as Danish Excel expects) and XLSX, and the response that downloads one. A cell that a
spreadsheet would run as a formula is neutralised (SEC-34)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import xlsxwriter
from flask import make_response
from flask.typing import ResponseReturnValue

#: A cell starting with one of these is a formula to a spreadsheet: "=HYPERLINK(…)" in a name.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> Any:
    """Text that a spreadsheet shows as text; numbers and dates stay numbers and dates."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_row(row: Sequence[Any]) -> list[Any]:
    return [value.isoformat() if isinstance(value, date) else safe(value) for value in row]


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    return sections_to_csv([(None, header, rows)])


#: One sheet: its title, the header row and the rows.
Sheet = tuple[str | None, Sequence[str], Sequence[Sequence[Any]]]


def to_xlsx(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    return to_workbook([(title, header, rows)])


def to_workbook(sheets: Sequence[Sheet]) -> bytes:
    """An Excel file with one sheet per ``(title, header, rows)``."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for title, header, rows in sheets:
        # Excel's limits: 31 characters, none of []:*?/\ in a sheet's name.
        name = "".join(" " if ch in "[]:*?/\\" else ch for ch in title or "Ark")[:31]
        sheet = book.add_worksheet(name)
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


def sections_to_csv(sheets: Sequence[Sheet]) -> bytes:
    """Tables in one CSV file, each under its title (if any), a blank line between them."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for n, (title, header, rows) in enumerate(sheets):
        if n:
            writer.writerow([])
        if title is not None:
            writer.writerow([safe(title)])
        writer.writerow(header)
        writer.writerows(_csv_row(row) for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def download(data: bytes, name: str, fmt: str) -> ResponseReturnValue:
    """``data`` as a file to save (never cached: it holds personal data or the pool's figures)."""
    response = make_response(data)
    # (content_type, not mimetype: Werkzeug adds "; charset=utf-8" to a text mimetype itself)
    response.content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
