"""阳光监督 in numbers, for everyone: /api/v1/public/stats/ (no login). Counts below 3 come as the string "<3"."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema
from pydantic import Field

from .public import public_stats

router = Router(tags=["public"], auth=None)

Count = int | str


class TownshipOut(Schema):
    code: str
    name: str
    reports: Count = Field(description="收到的举报件数;少于3件显示为 \"<3\"")
    replies_due: Count = Field(description="应答复举报人的件数(已答复或已超期)")
    replied_on_time: Count = Field(description="按时答复举报人的件数")
    recovered: Decimal = Field(description="追缴资金(元)")
    returned: Decimal = Field(description="返还群众(元)")
    payments_published_share: float | None = Field(description="到户资金发放已公示比例(%)")
    projects_published_share: float | None
    transactions_published_share: float | None


class CountOut(Schema):
    label: str
    reports: Count


class PublicStatsOut(Schema):
    townships: list[TownshipOut]
    groups: list[CountOut] = Field(description="按六类问题统计的举报件数")
    months: list[CountOut] = Field(description="按月份(YYYY-MM)统计的举报件数")
    total_reports: Count
    total_recovered: Decimal
    total_returned: Decimal
    computed_at: dt.datetime | None


@router.get("/", response=PublicStatsOut, summary="阳光监督数据公开:各乡镇举报办理、资金追缴返还和公开情况")
def stats_public(request):
    return public_stats()
