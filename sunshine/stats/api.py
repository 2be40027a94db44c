"""Statistics API under /api/v1/stats/: one path per registered table (reports, deadlines, outcomes, recovery,
urges, disclosure, money, spending, sms, and whatever a domain registers), scoped by the caller's jurisdiction
like every staff read; plus the public figures under /api/v1/public/stats/ (api_public.py)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from sunshine.core.schemas import ErrorOut

from . import registry
from .figures import figures
from .registry import Params

router = Router(tags=["stats"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}

Figure = int | float | Decimal | None


class TableQuery(Schema):
    dim: str = Field("region", description="统计口径:region(乡镇/村,默认)、unit、problem_type 等,见 dimensions")
    region: int | None = Field(None, description="下钻到的区划编号(乡镇或市);默认为本人可见范围的最上级")
    date_from: dt.date | None = Field(None, alias="from", description="期间起始日期(含)")
    date_to: dt.date | None = Field(None, alias="to", description="期间截止日期(含)")


class MeasureOut(Schema):
    key: str
    label: str
    kind: str = Field(description="int、money(元)、pct(百分比)、days(天)")


class DimensionOut(Schema):
    key: str
    label: str


class RowOut(Schema):
    key: int | str | None = Field(description="该行的口径值:区划或单位编号、问题类型序号、渠道、月份(YYYY-MM)……")
    label: str
    values: dict[str, Figure]
    drill: str = Field(description="下一级(乡镇→村)的统计页面地址;没有下一级时为空")
    list: str = Field(description="该数字背后的明细清单页面地址;没有时为空")


class TableOut(Schema):
    table: str
    title: str
    clause: str
    dimension: DimensionOut
    dimensions: list[DimensionOut]
    region_id: int | None
    region_name: str | None
    computed_at: dt.datetime | None = Field(description="数据计算时间(汇总表的刷新时间)")
    measures: list[MeasureOut]
    rows: list[RowOut]
    total: dict[str, Figure]


def _out(result) -> dict:
    t = result.table
    return {
        "table": t.slug, "title": str(t.title), "clause": t.clause,
        "dimension": {"key": result.dim.key, "label": str(result.dim.label)},
        "dimensions": [{"key": d.key, "label": str(d.label)} for d in t.dims],
        "region_id": result.region.id if result.region else None,
        "region_name": result.region.name if result.region else None,
        "computed_at": result.computed_at,
        "measures": [{"key": m.key, "label": str(m.label), "kind": m.kind} for m in result.measures],
        "rows": [{"key": r.key, "label": r.label, "values": {m.key: r.values.get(m.key) for m in result.measures},
                  "drill": r.drill_url, "list": r.list_url} for r in result.rows],
        "total": {m.key: result.total.get(m.key) for m in result.measures},
    }


def _endpoint(slug: str):
    def view(request, q: Query[TableQuery]):
        table = registry.table(slug)
        if q.dim not in {d.key for d in table.dims}:
            raise HttpError(400, f"统计口径 {q.dim} 不适用于该表,可用:{', '.join(d.key for d in table.dims)}")
        params = Params(dim=q.dim, region_id=q.region, date_from=q.date_from, date_to=q.date_to)
        return _out(figures(table, actor=request.auth, params=params))

    view.__name__ = f"stats_{slug}"
    return view


class TableListOut(Schema):
    table: str
    title: str
    clause: str
    domain: str
    dimensions: list[DimensionOut]


@router.get("/", response={200: list[TableListOut], **ERRORS}, summary="可查看的统计表")
def table_list(request):
    from sunshine.org.capabilities import require

    from .capabilities import Capability
    from .figures import readable_tables

    require(request.auth, Capability.VIEW)
    return [{"table": t.slug, "title": str(t.title), "clause": t.clause, "domain": t.domain,
             "dimensions": [{"key": d.key, "label": str(d.label)} for d in t.dims]}
            for t in readable_tables(request.auth)]


for _table in registry.tables():
    router.add_api_operation(
        f"/{_table.slug}", ["GET"], _endpoint(_table.slug), response={200: TableOut, **ERRORS},
        summary=str(_table.title), description=str(_table.description), operation_id=f"stats_{_table.slug}")
