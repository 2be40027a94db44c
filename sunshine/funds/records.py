"""What an objection (异议) is about: a disclosed record's place and its description in words.

An objection to a payment, project, allocation or village-account line is a report from the record's village: the
intake routes it with the same rules as any report from there, so it needs the record's place; staff read it as
"whose payment, what item, how much, which notice" rather than an internal id; the public sees the masked words.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from sunshine.org.models import Household, Region

from .models import AccountTransaction, FundAllocation, HouseholdPayment, NoticeItem, Project
from .public import describe_record, yuan

# about_type → (model, the NoticeItem field pointing at it, the field naming the record's place)
SUBJECTS = {
    "funds.allocation": (FundAllocation, "allocation", "region"),
    "funds.project": (Project, "project", "village"),
    "funds.payment": (HouseholdPayment, "payment", "village"),
    "funds.transaction": (AccountTransaction, "transaction", "village"),
}


@dataclass(frozen=True)
class RecordSubject:
    """A record an objection points at: its place, whether it is published, and its words for staff."""

    about_type: str
    about_id: int
    region: Region
    published: bool
    staff_words: str
    notice_code: str


def _record(about_type: str, about_id) -> object | None:
    entry = SUBJECTS.get(about_type)
    if entry is None or not str(about_id or "").isdigit():
        return None
    model, _field, place = entry
    return model.objects.select_related(place, f"{place}__parent").filter(pk=int(about_id)).first()


def _notice_code(about_type: str, record) -> str:
    field = SUBJECTS[about_type][1]
    return (NoticeItem.objects.filter(**{field: record}, notice__published_at__isnull=False)
            .order_by("-notice__published_at").values_list("notice__code", flat=True).first() or "")


def _words(about_type: str, rec, notice_code: str) -> str:
    notice = _("公示 %(code)s") % {"code": notice_code} if notice_code else _("尚未公示")
    if about_type == "funds.payment":
        head = Household.objects.filter(pk=rec.household_id).values_list("head_name", flat=True).first() or ""
        return _("到户资金发放:%(village)s %(payee)s(户主 %(head)s),%(item)s %(amount)s,%(date)s 发放,%(notice)s") % {
            "village": rec.village.name, "payee": rec.payee_name, "head": head or "—", "item": rec.fund_item,
            "amount": yuan(rec.amount), "date": rec.paid_on.isoformat(), "notice": notice}
    if about_type == "funds.project":
        return _("扶贫项目:%(village)s %(name)s(%(code)s),计划投资 %(amount)s,%(notice)s") % {
            "village": rec.village.name, "name": rec.name, "code": rec.code, "amount": yuan(rec.budget),
            "notice": notice}
    if about_type == "funds.allocation":
        return _("资金分配:%(doc)s %(type)s 拨给 %(to)s %(amount)s,%(notice)s") % {
            "doc": rec.document_number, "type": rec.fund_type, "to": rec.recipient_name, "amount": yuan(rec.amount),
            "notice": notice}
    direction = rec.get_direction_display()
    return _("村级账户收支:%(village)s %(date)s %(direction)s %(amount)s,%(purpose)s,%(notice)s") % {
        "village": rec.village.name, "date": rec.occurred_on.isoformat(), "direction": direction,
        "amount": yuan(rec.amount), "purpose": rec.purpose, "notice": notice}


def record_subject(*, about_type: str, about_id) -> RecordSubject | None:
    """The record an objection is about, with its place and staff words; None when the type or id is unknown.

    Staff words name the payee in full (staff see the record anyway); never show them on a public page.
    """
    rec = _record(about_type, about_id)
    if rec is None:
        return None
    place = SUBJECTS[about_type][2]
    notice_code = _notice_code(about_type, rec)
    return RecordSubject(about_type=about_type, about_id=rec.pk, region=getattr(rec, place),
                         published=rec.published_at is not None, staff_words=_words(about_type, rec, notice_code),
                         notice_code=notice_code)


def record_public_words(*, about_type: str, about_id, owner: bool = False) -> str:
    """The masked line a reporter sees: published records as on the lists; an unpublished one only for its owner
    (who came from the household page), with the payee named in full as on the lists (the 公示 rule)."""
    words = describe_record(about_type=about_type, about_id=str(about_id))
    if words or not owner:
        return words
    rec = _record(about_type, about_id)
    if rec is None or about_type != "funds.payment":
        return ""
    return _("到户资金发放:%(payee)s,%(item)s %(amount)s,%(date)s 发放(待公示)") % {
        "payee": rec.payee_name, "item": rec.fund_item, "amount": yuan(rec.amount),
        "date": rec.paid_on.isoformat()}
