"""/api/v1/oversight/tasks: sector departments' annual poverty tasks (行业扶贫年度任务) with targets and completion;
after the year's end the unfinished ones are listed for accountability (三(四)). Also the weak village party
organisations and grids, the other lasting mechanisms with a register."""
import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from sunshine.core.pagination import Pagination

from ..selectors import mechanisms as selectors
from ..services import mechanisms as services
from ._i13b_common import ERRORS

router = Router(tags=["oversight"])


class TaskIn(Schema):
    year: int = Field(ge=2000, le=2100)
    title: str = Field(max_length=200)
    measure: str = Field("项", max_length=20)
    target: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    due_on: dt.date


class ProgressIn(Schema):
    completed: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    note: str = Field("", max_length=300)


class TaskOut(Schema):
    id: int
    unit: str
    year: int
    title: str
    measure: str
    target: Decimal
    completed: Decimal
    due_on: dt.date
    status: str
    completed_on: dt.date | None
    note: str


class UnfinishedOut(Schema):
    year: int
    year_ended: bool = Field(description="年度已结束:列出的未完成任务用于问责;年内:已过完成时限仍未完成的任务")
    items: list[TaskOut]
    count: int


def _out(t) -> dict:
    return {"id": t.pk, "unit": t.unit.name, "year": t.year, "title": t.title, "measure": t.measure,
            "target": t.target, "completed": t.completed, "due_on": t.due_on, "status": t.status,
            "completed_on": t.completed_on, "note": t.note}


@router.get("", response={200: list[TaskOut], **ERRORS})
@paginate(Pagination)
def list_tasks(request, year: int | None = Query(None, ge=2000, le=2100)):
    return [_out(t) for t in selectors.dept_tasks_visible(actor=request.auth, year=year)]


@router.post("", response={201: TaskOut, **ERRORS}, summary="Register a task of the caller's unit")
def create_task(request, payload: TaskIn):
    task = services.dept_task_create(actor=request.auth, year=payload.year, title=payload.title,
                                     target=payload.target, due_on=payload.due_on, measure=payload.measure)
    return 201, _out(task)


@router.get("/unfinished", response={200: UnfinishedOut, **ERRORS},
            summary="Unfinished tasks: after year end for accountability, during the year those past due")
def unfinished(request, year: int | None = Query(None, ge=2000, le=2100)):
    year = year or timezone.localdate().year
    ended, tasks = selectors.dept_tasks_unfinished(actor=request.auth, year=year)
    return {"year": year, "year_ended": ended, "items": [_out(t) for t in tasks], "count": len(tasks)}


@router.post("/{task_id}/progress", response={200: TaskOut, **ERRORS}, summary="Record how much is done")
def progress(request, task_id: int, payload: ProgressIn):
    task = selectors.dept_task_get_for(actor=request.auth, pk=task_id)
    return _out(services.dept_task_progress(actor=request.auth, task=task, completed=payload.completed,
                                            note=payload.note))
