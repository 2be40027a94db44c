"""The public JSON API under /api/v1/public/ (三(二)3): the disclosure pages' data, no login, personal data masked.

Every route is `auth=None` (the declared public exception) and reads through sunshine.funds.public, which returns
only published records as masked dataclasses. Record lists are paged with offset/limit and `has_next` (no totals:
counting a village's tens of thousands of payments would cost more than the page). The household self-check is a
POST, so names and ID digits stay out of URLs and access logs, and shares the page's rate limits.
"""
import datetime as dt
from decimal import Decimal

from django.http import HttpResponse
from ninja import Query, Router, Schema
from ninja.params import Body
from pydantic import Field

from sunshine.core.ratelimit import client_ip
from sunshine.core.schemas import ErrorOut
from sunshine.funds import public

from .caching import PUBLIC_MAX_AGE

router = Router(tags=["public"])


NOT_FOUND = {404: ErrorOut, 422: ErrorOut}


def _cacheable(response: HttpResponse) -> None:
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"


# ---- schemas -----------------------------------------------------------------------------------------------


class PageQuery(Schema):
    offset: int = Field(0, ge=0, le=public.MAX_OFFSET)
    limit: int = Field(public.PAGE_SIZE, ge=1, le=public.MAX_LIMIT)


class RegionOut(Schema):
    code: str = Field(description="统计用区划代码")
    name: str
    level: int = Field(description="2 乡镇（街道），3 村（社区）")
    is_poor_village: bool
    parent_code: str | None = Field(description="村所在乡镇的代码；乡镇为 null")
    parent_name: str | None


class TownshipOut(RegionOut):
    village_count: int


class TownshipDetailOut(Schema):
    township: RegionOut
    villages: list[RegionOut]


class SummaryOut(Schema):
    allocated_total: Decimal = Field(description="已公示的分配到本村的资金合计（元）")
    allocation_count: int
    project_count: int = Field(description="已公示且未撤销的项目数")
    project_budget: Decimal
    balance: Decimal | None = Field(description="村级账户最近一笔已公示收支后的余额")
    balance_on: dt.date | None


class VillageOut(Schema):
    village: RegionOut
    summary: SummaryOut


class AllocationVersionOut(Schema):
    id: int
    version: int
    level: str
    level_name: str
    document_number: str
    fund_type: str
    amount: Decimal
    recipient_kind_name: str
    recipient_name: str
    region_name: str
    allocated_on: dt.date
    purpose: str
    correction_reason: str = Field(description="更正原因；原始版本为空")


class AllocationOut(AllocationVersionOut):
    previous: AllocationVersionOut | None = Field(description="被本版本更正的上一版本")


class ProjectVersionOut(Schema):
    id: int
    version: int
    code: str
    name: str
    project_type: str
    village_name: str
    status: str
    status_name: str
    stage_number: int = Field(description="所处阶段序号（申报=1 … 管护中=7），已撤销为 0")
    stage_total: int
    budget: Decimal
    contract_amount: Decimal | None
    allocated_amount: Decimal | None = Field(description="已公示的拨付到本项目的资金合计；在公示详情中为 null")
    contractor: str
    content: str
    approval_document: str
    filing_number: str
    approved_on: dt.date | None
    started_on: dt.date | None
    accepted_on: dt.date | None
    correction_reason: str
    paid_amount: Decimal | None = Field(None, description="已支付给施工、供货单位的项目资金合计（资金使用情况）；在公示详情中为 null")
    remaining_amount: Decimal | None = Field(None, description="已拨资金减已支付；在公示详情中为 null")
    first_paid_on: dt.date | None = Field(None, description="首笔项目资金支付日期")


class ProjectOut(ProjectVersionOut):
    previous: ProjectVersionOut | None


class TransactionVersionOut(Schema):
    id: int
    version: int
    occurred_on: dt.date
    direction: str = Field(description="in 收入 / out 支出")
    direction_name: str
    amount: Decimal
    balance: Decimal | None
    counterparty: str
    purpose: str
    voucher_number: str
    correction_reason: str


class TransactionOut(TransactionVersionOut):
    previous: TransactionVersionOut | None


class PaymentVersionOut(Schema):
    id: int
    version: int
    payee_name: str
    payee_id_masked: str = Field(description="身份证号，保留前6后4位")
    fund_item: str
    amount: Decimal
    period: str
    paid_on: dt.date
    card_masked: str = Field(description="扶贫明白卡（银行卡）号，只保留后4位")
    notice_code: str = Field(description="公布这笔发放的公示核验码")
    correction_reason: str


class PaymentOut(PaymentVersionOut):
    previous: PaymentVersionOut | None


class LedgerEntryOut(Schema):
    seq: int = Field(description="在公示账本中的位置")
    kind: str
    kind_name: str
    code: str
    content_hash: str
    prev_hash: str
    entry_hash: str
    created_at: dt.datetime


class NoticeOut(Schema):
    code: str = Field(description="核验码（印在纸质公告上）")
    kind: str
    kind_name: str
    title: str
    issuer: str
    region_code: str
    region_name: str
    township_code: str | None
    township_name: str | None
    intro: str
    contact_phone: str
    starts_on: dt.date
    ends_on: dt.date
    period_days: int
    published_at: dt.datetime
    item_count: int


class VerificationOut(Schema):
    ok: bool = Field(description="公示内容与账本一致、账本链未被改动")
    message: str
    checked_at: dt.datetime
    problems: list[str]


class NoticeDetailOut(Schema):
    notice: NoticeOut
    ledger: list[LedgerEntryOut]
    verification: VerificationOut


class NoticeRecordOut(Schema):
    position: int
    record_type: str = Field(description="funds.allocation / funds.project / funds.payment / funds.transaction")
    allocation: AllocationOut | None = None
    project: ProjectOut | None = None
    payment: PaymentOut | None = None
    transaction: TransactionOut | None = None
    corrected_by_id: int | None = Field(None, description="本条公示后又被更正时，现行版本的 id")
    corrected_by_reason: str = ""


class _PageOut(Schema):
    offset: int
    limit: int
    has_next: bool


class AllocationPageOut(_PageOut):
    items: list[AllocationOut]


class ProjectPageOut(_PageOut):
    items: list[ProjectOut]


class TransactionPageOut(_PageOut):
    items: list[TransactionOut]


class PaymentPageOut(_PageOut):
    items: list[PaymentOut]


class NoticePageOut(_PageOut):
    items: list[NoticeOut]


class NoticeRecordPageOut(_PageOut):
    count: int = Field(description="本公示的记录总数")
    items: list[NoticeRecordOut]


class HouseholdCheckIn(Schema):
    village_code: str = Field(max_length=15, description="所在村的区划代码（见 /villages）")
    name: str = Field(max_length=40, description="户主或家庭成员姓名")
    id_last4: str = Field(max_length=8, description="此人身份证号码后4位，末位可为X")


class HouseholdCheckOut(Schema):
    village: RegionOut
    head_name_masked: str
    id_number_masked: str
    total_amount: Decimal
    payments: list[PaymentOut]
    objection_hint: str = Field(description="对结果有异议时的反映渠道")


def _region_out(r: public.PublicRegion) -> dict:
    return {"code": r.code, "name": r.name, "level": r.level, "is_poor_village": r.is_poor_village,
            "parent_code": r.parent_code, "parent_name": r.parent_name}


def _page_out(page: public.Page, **extra) -> dict:
    return {"offset": page.offset, "limit": page.limit, "has_next": page.has_next, "items": page.items, **extra}


# ---- routes ------------------------------------------------------------------------------------------------


@router.get("/townships", auth=None, response={200: list[TownshipOut]}, summary="All townships/streets")
def list_townships(request, response: HttpResponse):
    _cacheable(response)
    return [{**_region_out(t), "village_count": t.child_count} for t in public.township_list()]


@router.get("/townships/{code}", auth=None, response={200: TownshipDetailOut, **NOT_FOUND},
            summary="A township and its villages")
def get_township(request, code: str, response: HttpResponse):
    township = public.township_get(code=code)
    _cacheable(response)
    return {"township": _region_out(township),
            "villages": [_region_out(v) for v in public.village_list(township_code=township.code)]}


@router.get("/townships/{code}/allocations", auth=None, response={200: AllocationPageOut, **NOT_FOUND},
            summary="Published allocations to a township")
def township_allocations(request, code: str, page: Query[PageQuery], response: HttpResponse):
    township = public.township_get(code=code)
    _cacheable(response)
    return _page_out(public.allocation_page(region_id=township.id, offset=page.offset, limit=page.limit))


@router.get("/townships/{code}/notices", auth=None, response={200: NoticePageOut, **NOT_FOUND},
            summary="Published notices of a township")
def township_notices(request, code: str, page: Query[PageQuery], response: HttpResponse):
    township = public.township_get(code=code)
    _cacheable(response)
    return _page_out(public.notice_page(region_ids=[township.id], offset=page.offset, limit=page.limit))


@router.get("/villages/{code}", auth=None, response={200: VillageOut, **NOT_FOUND},
            summary="A village and its disclosure figures")
def get_village(request, code: str, response: HttpResponse):
    village = public.village_get(code=code)
    _cacheable(response)
    return {"village": _region_out(village), "summary": public.village_summary(village_id=village.id)}


@router.get("/villages/{code}/allocations", auth=None, response={200: AllocationPageOut, **NOT_FOUND},
            summary="Published allocations to a village")
def village_allocations(request, code: str, page: Query[PageQuery], response: HttpResponse):
    village = public.village_get(code=code)
    _cacheable(response)
    return _page_out(public.allocation_page(region_id=village.id, offset=page.offset, limit=page.limit))


@router.get("/villages/{code}/projects", auth=None, response={200: ProjectPageOut, **NOT_FOUND},
            summary="Published projects of a village with stage and money")
def village_projects(request, code: str, page: Query[PageQuery], response: HttpResponse):
    village = public.village_get(code=code)
    _cacheable(response)
    return _page_out(public.project_page(village_id=village.id, offset=page.offset, limit=page.limit))


@router.get("/villages/{code}/transactions", auth=None, response={200: TransactionPageOut, **NOT_FOUND},
            summary="Published movements on the village bank account")
def village_transactions(request, code: str, page: Query[PageQuery], response: HttpResponse):
    village = public.village_get(code=code)
    _cacheable(response)
    return _page_out(public.transaction_page(village_id=village.id, offset=page.offset, limit=page.limit))


@router.get("/villages/{code}/payments", auth=None, response={200: PaymentPageOut, **NOT_FOUND},
            summary="Published household payments in a village (masked)")
def village_payments(request, code: str, page: Query[PageQuery], response: HttpResponse):
    village = public.village_get(code=code)
    _cacheable(response)
    return _page_out(public.payment_page(village_id=village.id, offset=page.offset, limit=page.limit))


@router.get("/villages/{code}/notices", auth=None, response={200: NoticePageOut, **NOT_FOUND},
            summary="Published notices of a village and of its township")
def village_notices(request, code: str, page: Query[PageQuery], response: HttpResponse):
    village = public.village_get(code=code)
    _cacheable(response)
    return _page_out(public.notice_page(region_ids=[village.id, village.parent_id], offset=page.offset,
                                        limit=page.limit))


@router.get("/notices/{code}", auth=None, response={200: NoticeDetailOut, **NOT_FOUND},
            summary="A published notice, its ledger entries and a live verification")
def get_notice(request, code: str, response: HttpResponse):
    notice = public.notice_get(code=code)
    _cacheable(response)
    return {"notice": notice, "ledger": list(notice.ledger), "verification": public.notice_verify(notice=notice)}


@router.get("/notices/{code}/records", auth=None, response={200: NoticeRecordPageOut, **NOT_FOUND},
            summary="The records of a published notice, in printed order (masked)")
def notice_records(request, code: str, page: Query[PageQuery], response: HttpResponse):
    notice = public.notice_get(code=code)
    _cacheable(response)
    records = public.notice_records(notice=notice, offset=page.offset, limit=page.limit)
    items = [
        {"position": r.position, "record_type": r.record_type, r.record_type.split(".", 1)[1]: r.record,
         "corrected_by_id": r.corrected_by.id if r.corrected_by else None,
         "corrected_by_reason": r.corrected_by.correction_reason if r.corrected_by else ""}
        for r in records.items
    ]
    return {"offset": records.offset, "limit": records.limit, "has_next": records.has_next,
            "count": records.count or 0, "items": items}


@router.post("/household-check", auth=None,
             response={200: HouseholdCheckOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
             summary="A household checks its own published payments (rate limited)")
def household_check(request, payload: Body[HouseholdCheckIn], response: HttpResponse):
    result = public.household_check(client_ip=client_ip(request), village_code=payload.village_code,
                                    name=payload.name, id_last4=payload.id_last4)
    response["Cache-Control"] = "no-store"
    return {"village": _region_out(result.village), "head_name_masked": result.head_name_masked,
            "id_number_masked": result.id_number_masked, "total_amount": result.total_amount,
            "payments": result.payments, "objection_hint": public.objection_hint()}


# ---- the village's micro-power list (小微权力清单, 三(四)2), kept by oversight --------------------------------


class MicroPowerStepOut(Schema):
    order: int
    name: str
    responsible_post: str


class MicroPowerOut(Schema):
    order: int
    category: str
    title: str
    basis: str
    responsible_post: str
    steps: list[MicroPowerStepOut]


class MicroPowerPageOut(Schema):
    items: list[MicroPowerOut]
    count: int = Field(description="本村公开的小微权力事项总数")


@router.get("/villages/{code}/micro-powers", auth=None, response={200: MicroPowerPageOut, **NOT_FOUND},
            summary="A village's micro-power list: each item's procedure steps and responsible post")
def village_micro_powers(request, code: str, page: Query[PageQuery], response: HttpResponse):
    from sunshine.oversight.selectors.mechanisms import micro_powers_public

    village = public.village_get(code=code)
    count, items = micro_powers_public(village_id=village.id, offset=page.offset, limit=page.limit)
    _cacheable(response)
    return {"count": count, "items": [
        {"order": i.order, "category": i.category, "title": i.title, "basis": i.basis,
         "responsible_post": i.responsible_post,
         "steps": [{"order": s.order, "name": s.name, "responsible_post": s.responsible_post} for s in i.steps.all()]}
        for i in items]}


# The public report API (the form's protections for other clients) under /api/v1/public/reports.
from .api_reports import router as _reports_router  # noqa: E402

router.add_router("/reports", _reports_router)
