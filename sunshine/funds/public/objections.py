"""What an objection is about, and the hotline to call (the fallback page of an objection)."""
from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext

from ..registry import record_kind_for_about
from .records import public_record, record_related


def describe_record(*, about_type: str, about_id: str) -> str:
    """A one-line masked description of a published record, or '' when it is unknown or unpublished."""
    kind = record_kind_for_about(about_type)
    if kind is None or not str(about_id).isdigit():
        return ""
    rec = (kind.model.objects.filter(pk=int(about_id), published_at__isnull=False)
           .select_related(*record_related(kind.value)).first())
    if rec is None:
        return ""
    return f"{kind.label}:{public_record(kind.value, rec).summary}"

def objection_hint() -> str:
    hotline = settings.SUNSHINE["HOTLINE"]
    return gettext("对结果有异议,请拨打监督电话 %(hotline)s,或向所在乡镇(街道)纪(工)委反映,可以匿名。") % {
        "hotline": hotline}
