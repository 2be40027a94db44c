"""Oversight's field-work panels (i13a): the staff home panel, and the 领办 panel on the desk's case page (the
leading leader, their 批示 and the meeting, shown to the handler). Imported by OversightConfig.ready."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from sunshine.core.panels import Panel, register, register_case_panel
from sunshine.org.capabilities import has_capability

from .capabilities import FieldCapability
from .models import LeaderAssignment


@register_case_panel
def leader_panel(*, case, actor):
    """Shown to whoever sees the case (the case was fetched with the actor's jurisdiction)."""
    assignment = (LeaderAssignment.objects.filter(case_id=case.pk).select_related("leader")
                  .prefetch_related("instructions", "meetings").first())
    if assignment is None:
        return None
    from .services.petitions import close_guard

    lines = [_("批示 %(date)s:%(text)s") % {"date": f"{i.given_on:%Y-%m-%d}", "text": i.text}
             for i in assignment.instructions.all()]
    lines += [_("见面 %(date)s,%(place)s,参加:%(who)s。%(summary)s") % {
        "date": f"{m.met_on:%Y-%m-%d}", "place": m.place, "who": m.attendees, "summary": m.summary}
        for m in assignment.meetings.all()]
    refusal = close_guard(case)
    if refusal:
        lines.append(_("办结前须完成:%(what)s") % {"what": refusal})
    if not assignment.instructions.exists():
        lines.insert(0, _("领导尚未批示"))
    return Panel(title=_("市领导领办:%(name)s") % {"name": assignment.leader.name},
                 figures=[(_("交办日期"), f"{assignment.assigned_on:%Y-%m-%d}")], lines=lines,
                 links=[(_("领办详情"), reverse("desk:oversight_petition", args=[assignment.pk]))], order=10)


@register
def field_panel(actor):
    if not has_capability(actor, FieldCapability.VIEW):
        return None
    from django.utils import timezone

    from .selectors.rectifications import rectification_list

    links = []
    if has_capability(actor, FieldCapability.VISIT):
        links.append((_("登记调研督查"), reverse("desk:oversight_visit_new")))
    links += [(_("调研督查"), reverse("desk:oversight_visits")), (_("任务完成情况"), reverse("desk:oversight_quotas")),
              (_("市领导领办"), reverse("desk:oversight_petitions")),
              (_("整改事项"), reverse("desk:oversight_rectifications")),
              (_("在岗抽查"), reverse("desk:oversight_presence")), (_("约谈名单"), reverse("desk:oversight_interviews")),
              (_("领导小组"), reverse("desk:oversight_leading_group"))]
    if has_capability(actor, FieldCapability.CARDS):
        links.append((_("打印监督卡"), reverse("desk:oversight_cards")))
    if has_capability(actor, FieldCapability.PLAN):
        links.append((_("工作方案参数"), reverse("desk:oversight_plan")))
    overdue = rectification_list(actor=actor, overdue=True, today=timezone.localdate()).count()
    return Panel(title=_("调研督查与整改"), links=links, figures=[(_("超期整改事项"), overdue)], order=40)


@register_case_panel
def presence_panel(*, case, actor):
    """On a concluded case, the recall can cite presence checks: link to the candidates and their checks."""
    from sunshine.cases.choices import CONCLUDED_STATUSES

    if case.status not in CONCLUDED_STATUSES or not has_capability(actor, "cases.recall"):
        return None
    return Panel(title=_("召回与在岗抽查"), lines=[_("召回驻村工作队员或结对帮扶责任人时,可引用其在岗抽查记录。")],
                 links=[(_("查看在岗抽查并召回"), reverse("desk:oversight_presence_recall", args=[case.pk]))], order=20)
