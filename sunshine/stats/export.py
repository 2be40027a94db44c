"""XLSX exports of every statistics table and list, with the filters applied written on top (XlsxWriter).

Text cells that begin with = + - @ (or a tab/CR) are neutralised with a leading apostrophe so a spreadsheet never
runs them as formulas; numbers stay numbers. Personal numbers (ID, phone, bank card) are masked with
sunshine.core.masking unless the reader holds stats.unmask and states a reason; every export is recorded
(AuditEvent.EXPORT) and an unmasked one also as AuditEvent.UNMASK with the reason.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

from sunshine.core.audit import AuditEvent, audit_record
from sunshine.core.errors import ApplicationError
from sunshine.core.masking import mask_bank_card, mask_id_number, mask_phone, mask_text
from sunshine.org.capabilities import require

from .capabilities import Capability
from .errors import StatsErrorCode

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# "text": free text that may quote an ID, a phone or a card (evidence, a note): each number in it masked.
MASKERS = {"id_number": mask_id_number, "phone": mask_phone, "bank_card": mask_bank_card, "text": mask_text}


class AsIs(str):
    """A cell in a sensitive column written as it is, masked or not (a label such as 受保护 in place of a number)."""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """A cell value safe to open: text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.datetime,)):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    return neutralise(value if isinstance(value, (int, float)) else str(value))


def unmask_allowed(actor, reason: str) -> bool:
    """Full personal numbers only for a holder of stats.unmask who states a reason (at least 4 characters)."""
    reason = (reason or "").strip()
    if not reason:
        return False
    require(actor, Capability.UNMASK)
    if len(reason) < 4:
        raise ApplicationError("请具体说明导出完整信息的理由（至少4个字）", code=StatsErrorCode.UNMASK_REASON)
    return True


def workbook(*, title: str, filters: list[tuple[str, str]], headers: list[str], rows, sensitive: dict[int, str]
             | None = None, unmasked: bool = False) -> tuple[bytes, int]:
    """(XLSX bytes, data row count). `sensitive` maps a column index to its kind (id_number, phone, bank_card)."""
    import tempfile

    import xlsxwriter

    sensitive = sensitive or {}
    # constant_memory: each row goes to disk as it is written, so a long list costs the file, not its cells in memory
    # (rows must then be written top to bottom, as here).
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        book = xlsxwriter.Workbook(handle.name, {"constant_memory": True, "strings_to_formulas": False,
                                                 "strings_to_urls": False, "strings_to_numbers": False})
        sheet = book.add_worksheet(title[:31].replace("/", "-") or "sheet")
        sheet.set_column(0, max(len(headers) - 1, 1), 16)
        bold = book.add_format({"bold": True})
        sheet.write_string(0, 0, neutralise(title), bold)
        r = 1
        for label, value in filters:
            sheet.write_string(r, 0, neutralise(str(label)))
            sheet.write_string(r, 1, neutralise(str(value)))
            r += 1
        r += 1
        sheet.write_row(r, 0, [neutralise(str(h)) for h in headers], bold)
        count = 0
        for row in rows:
            r += 1
            count += 1
            for c, value in enumerate(row):
                kind = sensitive.get(c)
                if kind and not unmasked and not isinstance(value, AsIs):
                    value = MASKERS[kind](value)
                value = _cell(value)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value))
        book.close()
        with open(handle.name, "rb") as written:
            return written.read(), count


def xlsx_response(*, actor, name: str, title: str, filters, headers, rows, sensitive=None, reason: str = "",
                  object_type: str = "stats.table") -> HttpResponse:
    require(actor, Capability.EXPORT)
    unmasked = bool(sensitive) and unmask_allowed(actor, reason)
    data, count = workbook(title=title, filters=filters, headers=headers, rows=rows, sensitive=sensitive,
                           unmasked=unmasked)
    detail = {"rows": count, "unmasked": unmasked, "filters": "; ".join(f"{k}={v}" for k, v in filters)[:200]}
    try:
        audit_record(event=AuditEvent.EXPORT, actor=actor, object_type=object_type, object_id=name, detail=detail)
    except ValueError:  # a filter value that looks like personal data is not written into the audit trail
        detail.pop("filters")
        audit_record(event=AuditEvent.EXPORT, actor=actor, object_type=object_type, object_id=name, detail=detail)
    if unmasked:
        audit_record(event=AuditEvent.UNMASK, actor=actor, object_type=object_type, object_id=name,
                     detail={"rows": count, "reason": reason.strip()[:200]})
    response = HttpResponse(data, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response


def table_export_rows(result) -> tuple[list[str], list[list]]:
    headers = [str(result.dim.label)] + [str(m.label) for m in result.measures]
    rows = [[r.label] + [r.values.get(m.key) for m in result.measures] for r in result.rows]
    rows.append(["合计"] + [result.total.get(m.key) for m in result.measures])
    return headers, rows
