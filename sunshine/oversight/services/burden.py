"""Less burden on villages (三(二)4): data requests, documents issued, assessments of villages."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from sunshine.core.errors import ApplicationError
from sunshine.core.plan import plan_int
from sunshine.org.capabilities import require
from sunshine.org.choices import RegionLevel
from sunshine.org.models import Region

from ..capabilities import Capability
from ..choices_i13b import ABOVE_LEVELS, AssessmentStatus, BasisLevel, DataRequestKind, DataRequestStatus
from ..errors import OversightErrorCode
from ..models import DataRequest, IssuedDocument, VillageAssessment
from ..plan_i13b import ANNUAL_FILINGS
from ._i13b_common import actor_unit, audited, clean_text

# 三(二)4: "除每年根据统一部署填报一次建档立卡信息系统数据外,任何单位和任何部门不得以任何理由要求村级填报扶贫数据"
REFUSAL_NOT_FILING = ("按照工作方案三(二)4,除每年根据统一部署填报一次建档立卡信息系统数据外,任何单位和部门不得以任何理由"
                      "要求村级填报扶贫数据。请使用平台已有的数据。")

# What the platform already holds, by words in the requested fields: (words, label, url name).
_HOLDINGS: list[tuple[tuple[str, ...], str, str]] = [
    (("户", "人口", "家庭", "贫困", "脱贫", "致贫", "帮扶", "建档"), "建档立卡户名册(可按村导出)", "desk:households"),
    (("项目", "工程", "备案", "审批"), "扶贫项目台账(含审批、备案、进度)", "desk:funds_projects"),
    (("资金", "拨付", "分配", "金额"), "资金分配台账", "desk:funds_allocations"),
    (("发放", "补贴", "明白卡", "到户"), "到户资金发放记录", "desk:funds_payments"),
    (("账户", "收支", "余额"), "村级账户收支记录", "desk:funds_transactions"),
    (("干部", "人员", "工作队", "网格"), "单位与人员名册", "desk:units"),
]


def data_request_alternatives(fields: list[str]) -> list[dict]:
    """What the platform holds for the requested fields (always at least the registry itself)."""
    text = "".join(fields)
    found = [{"label": label, "url": reverse(url)} for words, label, url in _HOLDINGS if any(w in text for w in words)]
    return found or [{"label": _HOLDINGS[0][1], "url": reverse(_HOLDINGS[0][2])}]


def data_request_register(*, actor, region: Region, kind: str, title: str, fields: list[str], purpose: str,
                          deadline: dt.date, year: int | None = None) -> DataRequest:
    """Register a request for data addressed to villages; anything beyond the annual filing is kept as refused."""
    require(actor, Capability.DATA_REQUEST)
    if kind not in DataRequestKind.values:
        raise ApplicationError("类别无效", code=OversightErrorCode.BAD_INPUT)
    if region.level > RegionLevel.VILLAGE:
        raise ApplicationError("填报范围应为全市、乡镇或村", code=OversightErrorCode.BAD_INPUT)
    fields = [clean_text(f, label="填报项目", max_length=40) for f in fields if str(f or "").strip()]
    if not fields:
        raise ApplicationError("请列出要求填报的项目", code=OversightErrorCode.BAD_INPUT)
    title = clean_text(title, label="名称", max_length=120)
    purpose = clean_text(purpose, label="用途", max_length=300)
    year = year or timezone.localdate().year
    unit = actor_unit(actor)
    with audited(actor):
        status, reason = DataRequestStatus.REGISTERED, ""
        if kind != DataRequestKind.ANNUAL_FILING:
            status, reason = DataRequestStatus.REFUSED, REFUSAL_NOT_FILING
        else:
            # Lock the year's filings so two registrations at once cannot both pass the count.
            earlier = list(DataRequest.objects.select_for_update().filter(
                year=year, kind=DataRequestKind.ANNUAL_FILING, status=DataRequestStatus.REGISTERED)
                .select_related("requester_unit"))
            allowed = plan_int(ANNUAL_FILINGS, year=year)
            if len(earlier) >= allowed:
                first = earlier[0]
                status = DataRequestStatus.REFUSED
                reason = (f"{year} 年的建档立卡数据填报已由{first.requester_unit.name}于 "
                          f"{timezone.localtime(first.created_at):%Y-%m-%d} 统一部署(每年 {allowed} 次),"
                          "不能再要求村级填报。" + "请使用平台已有的数据。")
        request = DataRequest.objects.create(
            requester_unit=unit, requested_by=actor, region=region, kind=kind, year=year, title=title,
            fields=fields, purpose=purpose, deadline=deadline, status=status, refusal_reason=reason,
            alternatives=data_request_alternatives(fields) if status == DataRequestStatus.REFUSED else [])
    return request


def document_register(*, actor, number: str, title: str, issued_on: dt.date, forwards: IssuedDocument | None = None,
                      forwards_number: str = "", has_measures: bool = False) -> IssuedDocument:
    """Register a document the actor's unit issued; a forward without measures of its own is flagged (层层转发)."""
    require(actor, Capability.DOCUMENT)
    number = clean_text(number, label="文号", max_length=60)
    title = clean_text(title, label="标题", max_length=200)
    forwards_number = clean_text(forwards_number, label="转发的上级文号", max_length=60, required=False)
    if forwards is not None and forwards_number:
        raise ApplicationError("转发的文件请选一个:平台已登记的文件,或外来文件的文号", code=OversightErrorCode.BAD_INPUT)
    if issued_on > timezone.localdate():
        raise ApplicationError("发文日期不能晚于今天", code=OversightErrorCode.BAD_INPUT)
    unit = actor_unit(actor)
    if IssuedDocument.objects.filter(issuer=unit, number=number).exists():
        raise ApplicationError(f"本单位已登记文号“{number}”", code=OversightErrorCode.BAD_INPUT)
    with audited(actor):
        return IssuedDocument.objects.create(issuer=unit, number=number, title=title, issued_on=issued_on,
                                             forwards=forwards, forwards_number=forwards_number,
                                             has_measures=has_measures, registered_by=actor)


# 三(二)4: "除上级确定的考核评估外,市扶贫开发领导小组成员单位和其他行业部门均不得单独组织考核评估"
REFUSAL_ASSESSMENT = ("按照工作方案三(二)4,除上级确定的考核评估外,各成员单位和行业部门均不得单独组织对村的考核评估。"
                      "请注明部署该考核的上级层级和文件文号。")


def village_assessment_register(*, actor, title: str, year: int, region: Region, basis_level: str,
                                basis_document: str = "") -> VillageAssessment:
    """Register an assessment of villages; one not set from above (level and document) is kept as refused."""
    require(actor, Capability.DOCUMENT)
    if basis_level not in BasisLevel.values:
        raise ApplicationError("部署层级无效", code=OversightErrorCode.BAD_INPUT)
    title = clean_text(title, label="名称", max_length=120)
    basis_document = clean_text(basis_document, label="部署文件文号", max_length=80, required=False)
    set_from_above = basis_level in ABOVE_LEVELS and bool(basis_document)
    unit = actor_unit(actor)
    with audited(actor):
        return VillageAssessment.objects.create(
            organiser=unit, title=title, year=year, region=region, basis_level=basis_level,
            basis_document=basis_document, registered_by=actor,
            status=AssessmentStatus.REGISTERED if set_from_above else AssessmentStatus.REFUSED,
            refusal_reason="" if set_from_above else REFUSAL_ASSESSMENT)
