"""The 领办 panel on the desk's case page: the leading leader, their 批示 and the meeting, shown to the handler."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from sunshine.core.panels import Panel, register_case_panel

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
