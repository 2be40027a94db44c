"""Supervision cards (监督卡, 三(三)1): per village an A4 PDF, one card per household, with the hotlines, the
pairing cadre and a QR code to the report form with the village filled in (core.public_urls)."""
from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from sunshine.core import public_urls
from sunshine.funds.pdf import PDF_FONT_FAMILY, qr_data_uri
from sunshine.org.capabilities import require
from sunshine.org.choices import PovertyStatus

from .capabilities import FieldCapability

# 三(三)1 发放监督卡: every registered household gets one, poor or not (监测户 and 已脱贫 too).
CARDS_PER_PAGE = 4  # 2 × 2 on A4


def supervision_cards_context(*, village) -> dict:
    url = public_urls.report_village_url(village.code)
    households = list(village.households.select_related("pairing_cadre").order_by("code"))
    cards = [{"head": h.head_name, "code": h.code, "status": PovertyStatus(h.poverty_status).label,
              "cadre": h.pairing_cadre.name if h.pairing_cadre_id else "",
              "cadre_phone": h.pairing_cadre.phone if h.pairing_cadre_id else ""} for h in households]
    pages = [cards[i:i + CARDS_PER_PAGE] for i in range(0, len(cards), CARDS_PER_PAGE)]
    return {"village": village, "pages": pages, "url": url, "qr": qr_data_uri(url), "font_family": PDF_FONT_FAMILY,
            "hotline": settings.SUNSHINE["HOTLINE"], "report_url": public_urls.public_url("/report/"),
            "count": len(cards)}


def supervision_cards_pdf(*, village, actor) -> bytes:
    """The village's cards as an A4 PDF (WeasyPrint); the caller fetched the village with the actor."""
    from weasyprint import HTML

    require(actor, FieldCapability.CARDS)
    html = render_to_string("oversight/supervision_cards.html", supervision_cards_context(village=village))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
