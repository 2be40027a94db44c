"""Shared pieces of i13b's routers: the error responses and region lookups by code."""
from ninja import Schema
from pydantic import Field

from sunshine.core.errors import NotFound
from sunshine.core.schemas import ErrorOut
from sunshine.org.models import Region, Unit

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class RefusedOut(ErrorOut):
    """A request the plan forbids: recorded as refused, with the reason and what the platform holds instead."""

    record_id: int = Field(description="登记的记录编号(状态为已拒绝)")
    alternatives: list[dict] = Field(default_factory=list, description="平台已有的数据:[{label, url}]")


class UnitRef(Schema):
    id: int
    name: str


def region_by_code(code: str) -> Region:
    """Regions are public facts (the statistical division codes); an unknown code is a 404."""
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise NotFound("未找到该区划代码") from None


def unit_ref(unit: Unit | None) -> dict | None:
    return {"id": unit.pk, "name": unit.name} if unit else None
