"""SMS delivery figures (三(二)3: every payment and village-account movement is texted): sent, delivered, failed
for want of a phone or for a wrong number, per township and village, with the households that have no working
phone (the list behind the figure, so a village can fix its records)."""
from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from sunshine.notify.capabilities import Capability as NotifyCapability
from sunshine.notify.choices import SmsStatus
from sunshine.notify.models import SmsMessage

from ..registry import PCT, Measure, StatTable, register
from ._common import period, url

NO_PHONE_ERROR = "号码为空"  # notify.services.outbox: a blank number is recorded failed with this reason
PAYMENT_RELATED = "funds.payment"


def no_working_phone(*, region_path: str = ""):
    """Households with no phone on record, or whose payment SMS failed: (household queryset, reasons by id)."""
    from sunshine.funds.models import HouseholdPayment
    from sunshine.org.models import Household

    failed = SmsMessage.objects.filter(status=SmsStatus.FAILED, related_type=PAYMENT_RELATED)
    if region_path:
        failed = failed.filter(region_path__startswith=region_path)
    bad_ids = set(HouseholdPayment.objects.filter(pk__in=failed.values("related_id"))
                  .values_list("household_id", flat=True))
    qs = Household.objects.filter(Q(phone="") | Q(pk__in=bad_ids))
    if region_path:
        qs = qs.filter(village__path__startswith=region_path)
    return qs.select_related("village", "village__parent").order_by("village__path", "code"), bad_ids


@register
class SmsTable(StatTable):
    slug = "sms"
    title = _("短信送达")
    domain = "notify"
    clause = "三(二)3"
    description = _("资金到账和村账收支短信:已提交、已送达、失败(无手机号、号码错误或无法送达),以及没有可用手机号的农户。")
    capability = NotifyCapability.VIEW_OUTBOX
    measures = (
        Measure("messages", _("短信条数")),
        Measure("delivered", _("已送达")),
        Measure("sent", _("已提交待回执")),
        Measure("waiting", _("待发送")),
        Measure("failed_no_phone", _("失败:无手机号")),
        Measure("failed_number", _("失败:号码错误/无法送达")),
        Measure("delivered_share", _("送达率(%)"), PCT, ratio=("delivered", "messages")),
        Measure("households_no_phone", _("无手机号农户")),
        Measure("households_failed", _("短信失败农户")),
    )
    chart_measures = ("delivered", "failed_no_phone", "failed_number")
    order = 30

    def base(self, dim, params):
        from sunshine.funds.models import HouseholdPayment
        from sunshine.org.models import Household

        from ..figures import Index

        index = Index.get()
        zero = {m.key: 0 for m in self.measures if not m.derived}
        acc: dict = defaultdict(lambda: dict(zero))
        msgs = period(SmsMessage.objects.all(), "created_at__date", params)
        failed = Q(status=SmsStatus.FAILED)
        for r in msgs.order_by().values("region_path").annotate(
                n=Count("id"), delivered=Count("id", filter=Q(status=SmsStatus.DELIVERED)),
                sent=Count("id", filter=Q(status=SmsStatus.SENT)),
                waiting=Count("id", filter=Q(status__in=[SmsStatus.QUEUED, SmsStatus.SENDING, SmsStatus.UNKNOWN])),
                no_phone=Count("id", filter=failed & Q(last_error__contains=NO_PHONE_ERROR)),
                number=Count("id", filter=failed & ~Q(last_error__contains=NO_PHONE_ERROR))):
            a = acc[r["region_path"] or ""]
            a.update(messages=r["n"], delivered=r["delivered"], sent=r["sent"], waiting=r["waiting"],
                     failed_no_phone=r["no_phone"], failed_number=r["number"])
        for r in Household.objects.filter(phone="").order_by().values("village_id").annotate(n=Count("id")):
            acc[index.path_of(r["village_id"])]["households_no_phone"] += r["n"]
        bad = (SmsMessage.objects.filter(failed, related_type=PAYMENT_RELATED)
               .exclude(last_error__contains=NO_PHONE_ERROR).values("related_id"))
        for r in (HouseholdPayment.objects.filter(pk__in=bad).order_by().values("village_id")
                  .annotate(n=Count("household_id", distinct=True))):
            acc[index.path_of(r["village_id"])]["households_failed"] += r["n"]
        return [{"path": path, "spath": path, "unit": None, "k": None, **v} for path, v in acc.items()]

    def list_url(self, dim, key, params, region=None):
        from ..figures import Index

        place = Index.get().places.get(key) if dim == "region" else region
        return url("stats:no_phone", region=place.id if place else None)
