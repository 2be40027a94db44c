"""Visits (调研督查, 三(二)1) recorded from the field; a finding becomes a report/case or a rectification item."""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from sunshine.core.audit import AuditEvent, audit_record
from sunshine.core.errors import ApplicationError
from sunshine.org.capabilities import has_capability
from sunshine.org.choices import RegionLevel, UnitKind

from ..capabilities import FieldCapability
from ..choices import FindingAction, SourceKind, VisitMethod
from ..errors import OversightErrorCode
from ..models import Visit
from ._common import clean_text, not_future, require, today_local
from .rectifications import rectification_create

# A finding turned into a rectification item is due in this many days unless the recorder gives a date.
DEFAULT_RECTIFICATION_DAYS = 30
# A visit is recorded in the field or soon after: not for a date before last year.
EARLIEST_YEARS_BACK = 1


def village_owner_unit(village):
    """Who rectifies what was found in a village: its village committee, else its township government."""
    from sunshine.org.models import Unit

    unit = Unit.objects.filter(kind=UnitKind.VILLAGE_COMMITTEE, territory=village).order_by("pk").first()
    return unit or Unit.objects.filter(kind=UnitKind.TOWNSHIP_GOV, territory_id=village.parent_id).order_by(
        "pk").first()


@transaction.atomic
def visit_record(*, actor, village, visited_on: dt.date, method: str, household=None, companions: str = "",
                 findings: str = "", visitor=None, action: str = FindingAction.NONE,
                 problem_type_number: int | None = None, rectification_deadline: dt.date | None = None,
                 today: dt.date | None = None) -> Visit:
    """Record one visit. The visitor is the actor's own person unless the office records for someone else.

    Any village of the city may be visited (a city leader or a member unit goes anywhere); `household`, when
    given, must be of that village. `action` turns the finding into a report (cases' intake, channel 调研督查) or
    a rectification item owned by the village committee, in the same transaction.
    """
    require(actor, FieldCapability.VISIT)
    today = today or today_local()
    if visitor is None:
        visitor = actor.person
        if visitor is None:
            raise ApplicationError("账号未关联人员,无法登记本人调研", code=OversightErrorCode.VISITOR)
    elif visitor.pk != actor.person_id:
        require(actor, FieldCapability.VISIT_FOR_OTHERS)
    if village is None or village.level != RegionLevel.VILLAGE:
        raise ApplicationError("请选择调研的村(社区)", code=OversightErrorCode.VISIT_PLACE)
    if household is not None and household.village_id != village.pk:
        raise ApplicationError("所选农户不在该村", code=OversightErrorCode.VISIT_PLACE)
    not_future(visited_on, field="调研日期", today=today)
    if visited_on.year < today.year - EARLIEST_YEARS_BACK:
        raise ApplicationError("调研日期过早", code=OversightErrorCode.VISIT_DATE)
    if method not in VisitMethod.values:
        raise ApplicationError("请选择调研方式", code=OversightErrorCode.BAD_INPUT)
    findings = clean_text(findings, field="发现问题", max_length=5000, required=action != FindingAction.NONE)
    if action not in FindingAction.values:
        raise ApplicationError("发现问题的处理方式无效", code=OversightErrorCode.BAD_INPUT)
    visit = Visit.objects.create(
        visitor=visitor, visitor_unit=visitor.unit, visited_on=visited_on, village=village, household=household,
        method=method, companions=clean_text(companions, field="同行人员", max_length=200, required=False),
        findings=findings, recorded_by=actor)
    if action == FindingAction.REPORT:
        visit.report = _finding_to_report(actor=actor, visit=visit, problem_type_number=problem_type_number)
        visit.save(update_fields=["report", "updated_at"])
    elif action == FindingAction.RECTIFICATION:
        owner = village_owner_unit(village)
        rectification_create(actor=actor, source_kind=SourceKind.VISIT, source_id=visit.pk,
                             title=findings.splitlines()[0][:60], description=findings, region=village,
                             owner_unit=owner,
                             deadline=rectification_deadline or today + dt.timedelta(days=DEFAULT_RECTIFICATION_DAYS),
                             today=today)
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, obj=visit,
                 detail={"visit": "record", "visitor": visitor.pk, "action": action})
    return visit


def _finding_to_report(*, actor, visit: Visit, problem_type_number: int | None):
    from sunshine.cases.capabilities import Capability as CaseCapability
    from sunshine.cases.choices import Channel
    from sunshine.cases.services import report_submit

    if not has_capability(actor, CaseCapability.ENTER):
        raise ApplicationError("您没有登记问题线索的权限:请选择“列入整改事项”,或交市专项治理办登记",
                               code=OversightErrorCode.BAD_INPUT)
    where = visit.household.head_name + "户," if visit.household_id else ""
    text = f"调研督查({visit.get_method_display()},{visit.visited_on:%Y-%m-%d},{where}{visit.visitor.name})发现:{visit.findings}"
    report, _code = report_submit(channel=Channel.VISIT, text=text, region=visit.village, actor=actor,
                                  problem_type_number=problem_type_number)
    return report
