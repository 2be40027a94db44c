"""The printable bulletin-board copy of a notice (村务公开栏): an A4 PDF in Chinese with a QR code and the short
code that lead to the online notice and its ledger entry, so a printed notice can be checked against the platform.

Personal data follows sunshine.core.masking: names are shown as real 公示 show them, ID numbers keep the first 6 and
last 4 characters, bank cards their last 4 digits.
"""
from __future__ import annotations

import base64
import io

from django.conf import settings
from django.template.loader import render_to_string

from sunshine.core import public_urls
from sunshine.core.masking import mask_bank_card, mask_id_number

from . import selectors
from .canonical import format_code
from .models import Notice

# Pango finds the font by family name through fontconfig (Debian's fonts-noto-cjk, installed by `make sysdeps`).
PDF_FONT_FAMILY = "Noto Sans CJK SC"


def notice_public_url(code: str) -> str:
    """The online notice a printed code leads to (the portal's notice page, keyed by the ledger code)."""
    return public_urls.notice_url(code)


def qr_data_uri(text: str) -> str:
    import qrcode

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    qr.add_data(text)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def printable_row(kind: str, record) -> dict:
    """The masked cells of one record as the bulletin board shows it."""
    if kind == "payment":
        return {"name": record.payee_name, "id": mask_id_number(record.payee_id_number), "item": record.fund_item,
                "period": record.period, "amount": record.amount, "date": record.paid_on,
                "card": mask_bank_card(record.bank_card)[-9:]}
    if kind == "transaction":
        return {"date": record.occurred_on, "voucher": record.voucher_number, "purpose": record.purpose,
                "income": record.amount if record.direction == "in" else None,
                "expense": record.amount if record.direction == "out" else None, "balance": record.balance,
                "counterparty": record.counterparty}
    if kind == "allocation":
        return {"level": record.get_level_display(), "document": record.document_number,
                "fund_type": record.fund_type, "recipient": record.recipient_name, "amount": record.amount,
                "date": record.allocated_on}
    return {"name": record.name, "code": record.code, "type": record.project_type, "budget": record.budget,
            "approval": record.approval_document, "filing": record.filing_number, "contractor": record.contractor,
            "status": record.get_status_display()}


def notice_print_context(notice: Notice) -> dict:
    rows = []
    for row in selectors.notice_rows(notice=notice):
        rows.append({
            "position": row.position,
            "cells": printable_row(notice.kind, row.record),
            "correction": printable_row(notice.kind, row.correction) if row.correction else None,
            "reason": row.reason,
        })
    entry = selectors.ledger_publication_entry(notice=notice)
    code = notice.code or (entry.code if entry else "")
    url = notice_public_url(code) if code else ""
    return {
        "notice": notice, "rows": rows, "totals": selectors.notice_totals(notice=notice), "entry": entry,
        "code": code, "code_display": format_code(code) if code else "", "url": url,
        "qr": qr_data_uri(url) if url else "", "font_family": PDF_FONT_FAMILY,
        "hotline": settings.SUNSHINE["HOTLINE"], "draft": not notice.is_published,
    }


def notice_pdf(notice: Notice) -> bytes:
    """Render the notice as an A4 PDF (WeasyPrint)."""
    from weasyprint import HTML

    html = render_to_string("funds/notice_print.html", notice_print_context(notice))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
