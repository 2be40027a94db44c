"""/api/v1/oversight/data-requests: requests for data addressed to villages (三(二)4); beyond the annual 建档立卡
filing the request is recorded as refused and answered 409 with the reason and what the platform holds instead."""
import datetime as dt

from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from sunshine.core.errors import ApplicationError
from sunshine.core.pagination import Pagination

from ..choices_i13b import DataRequestKind, DataRequestStatus
from ..errors import OversightErrorCode
from ..selectors import burden as selectors
from ..services import burden as services
from ._i13b_common import ERRORS, RefusedOut, UnitRef, region_by_code

router = Router(tags=["oversight"])


class DataRequestIn(Schema):
    region_code: str = Field(max_length=15, description="填报范围:全市、乡镇或村的区划代码")
    kind: DataRequestKind
    title: str = Field(max_length=120)
    fields: list[str] = Field(min_length=1, max_length=100, description="要求填报的项目")
    purpose: str = Field(max_length=300)
    deadline: dt.date
    year: int | None = Field(None, ge=2000, le=2100)


class DataRequestOut(Schema):
    id: int
    requester_unit: UnitRef
    region_code: str
    region_name: str
    kind: str
    year: int
    title: str
    fields: list[str]
    purpose: str
    deadline: dt.date
    status: str
    status_name: str
    refusal_reason: str
    alternatives: list[dict]


class DataRequestFilter(Schema):
    status: DataRequestStatus | None = None
    year: int | None = Field(None, ge=2000, le=2100)


def _out(r) -> dict:
    return {"id": r.pk, "requester_unit": {"id": r.requester_unit_id, "name": r.requester_unit.name},
            "region_code": r.region.code, "region_name": r.region.name, "kind": r.kind, "year": r.year,
            "title": r.title, "fields": r.fields, "purpose": r.purpose, "deadline": r.deadline, "status": r.status,
            "status_name": r.get_status_display(), "refusal_reason": r.refusal_reason, "alternatives": r.alternatives}


@router.get("", response={200: list[DataRequestOut], **ERRORS}, summary="Data requests to villages, newest first")
@paginate(Pagination)
def list_data_requests(request, filters: Query[DataRequestFilter]):
    qs = selectors.data_requests_visible(actor=request.auth, status=filters.status or "", year=filters.year)
    return [_out(r) for r in qs]


@router.post("", response={201: DataRequestOut, 409: RefusedOut, **{k: v for k, v in ERRORS.items() if k != 409}},
             summary="Register a data request; refused (409) beyond the one annual filing")
def register_data_request(request, payload: DataRequestIn):
    record = services.data_request_register(
        actor=request.auth, region=region_by_code(payload.region_code), kind=payload.kind, title=payload.title,
        fields=payload.fields, purpose=payload.purpose, deadline=payload.deadline, year=payload.year)
    if record.status == DataRequestStatus.REFUSED:
        raise ApplicationError(record.refusal_reason, code=OversightErrorCode.DATA_REQUEST_REFUSED,
                               extra={"record_id": record.pk, "alternatives": record.alternatives})
    return 201, _out(record)


@router.get("/{request_id}", response={200: DataRequestOut, **ERRORS})
def get_data_request(request, request_id: int):
    return _out(selectors.data_request_get_for(actor=request.auth, pk=request_id))
