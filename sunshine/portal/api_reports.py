"""The public report API (/api/v1/public/reports…): the report form for other clients (a WeChat account, an app),
with the form's protections: the arithmetic challenge, the limits per address and per browser (a client that keeps
no cookie counts by address), attachments checked and cleaned, the receipt code shown once in the answer and never
again. The reporter follows the case by POSTing the receipt code (never in a URL), reads the handler's questions and
answers them.
"""
from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.params import Body
from pydantic import Field

from sunshine.cases import challenge, selectors, services
from sunshine.cases.attachments import clean_uploads
from sunshine.cases.choices import Channel, MessageKind
from sunshine.cases.schemas import MessageOut
from sunshine.core.errors import ApplicationError, CoreErrorCode
from sunshine.core.ratelimit import client_ip, hit_request
from sunshine.core.schemas import ErrorOut
from sunshine.org.choices import RegionLevel
from sunshine.org.models import Region

from . import reporting
from .errors import PortalErrorCode
from .views_cases import REPLIES_LIMIT, STATUS_LIMIT, about_record

router = Router(tags=["public reports"])
ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class ChallengeOut(Schema):
    question: str = Field(description="给举报人看的算术题，例如“三加五等于几？”")
    token: str = Field(description="提交举报时原样带回；30 分钟内有效，只能用一次")


class ReportIn(Schema):
    text: str = Field(max_length=5000, description="发生了什么（必填）")
    challenge_token: str = Field(max_length=200)
    challenge_answer: str = Field(max_length=10, description="算术题的答案，数字或汉字")
    village_code: str = Field("", max_length=12, description="村（社区）的统计用区划代码，可不填")
    township_code: str = Field("", max_length=12, description="乡镇（街道）的区划代码，只知道乡镇时填")
    about_person_name: str = Field("", max_length=60, description="反映谁（姓名或职务），可不填")
    about_type: str = Field("", max_length=40, description="异议对象类型，如 funds.payment（见公开接口的记录）")
    about_id: int | None = Field(None, ge=1, description="异议对象编号")
    real_name: bool = Field(False, description="实名举报：需填 name 和 phone")
    name: str = Field("", max_length=40)
    phone: str = Field("", max_length=20)
    id_number: str = Field("", max_length=24)


class ReceiptOut(Schema):
    receipt: str = Field(description="查询码：只在这一次回答里给出，平台不保存，请让举报人抄下")
    real_name: bool
    notice: str


class StatusIn(Schema):
    receipt: str = Field(max_length=64, description="查询码（大小写、空格、连字符均可）")


class ClockOut(Schema):
    label: str
    due_on: dt.date
    met: bool
    overdue: bool


class StatusOut(Schema):
    case_number: str
    submitted_at: dt.datetime
    status: str
    status_label: str
    closed: bool
    finding_label: str = Field(description="核查结论；答复举报人之后才有")
    result: str = Field(description="给举报人的答复；答复举报人之后才有")
    questions_waiting: int = Field(description="承办人提出、举报人还没看过的问题数")
    messages: list[MessageOut] = Field(description="承办人的询问和举报人的回答，按时间先后")
    clock: list[ClockOut]
    timeline: list[str]


class AnswerIn(Schema):
    receipt: str = Field(max_length=64)
    text: str = Field(max_length=5000, description="对承办人问题的回答或补充")


class AnswerOut(Schema):
    notice: str


def _region(payload: ReportIn) -> Region | None:
    code = payload.village_code.strip() or payload.township_code.strip()
    if not code:
        return None
    level = RegionLevel.VILLAGE if payload.village_code.strip() else RegionLevel.TOWNSHIP
    region = Region.objects.filter(code=code, level=level).first()
    if region is None:
        raise ApplicationError("没有这个村（乡镇）代码，请核对；不清楚可以不填", code=CoreErrorCode.INVALID)
    return region


@router.get("/challenge", auth=None, response={200: ChallengeOut},
            summary="A fresh arithmetic question to show the reporter before they submit")
def report_challenge(request, response: HttpResponse):
    response["Cache-Control"] = "no-store"
    question = challenge.challenge_new()
    return {"question": question.question, "token": question.token}


@router.post("", auth=None, response={201: ReceiptOut, **ERRORS},
             summary="File a report (anonymous by default); the receipt code is in this answer only")
def report_create(request, response: HttpResponse, payload: Form[ReportIn],
                  attachments: File[list[UploadedFile]] = None):
    response["Cache-Control"] = "no-store"
    reporting.report_limits_check(request)
    region = _region(payload)
    about = about_record(payload.about_type, payload.about_id) if payload.about_type else None
    if payload.about_type and about is None:
        raise ApplicationError("没有这条公示记录，请核对异议对象", code=CoreErrorCode.INVALID)
    identity = None
    if payload.real_name:
        identity = {"name": payload.name, "phone": payload.phone, "id_number": payload.id_number}
    uploads = clean_uploads(list(attachments or []))
    challenge.challenge_verify(token=payload.challenge_token, answer=payload.challenge_answer)
    report, receipt = services.report_submit(
        channel=Channel.ONLINE, text=payload.text, region=region, about_person_name=payload.about_person_name,
        real_name=identity, attachments=uploads, about_type=payload.about_type if about else "",
        about_id=payload.about_id if about else None, actor=None, source_ip=client_ip(request))
    reporting.report_limits_count(request)
    return Status(201, {"receipt": receipt, "real_name": report.is_real_name,
                        "notice": "请记下查询码：只显示这一次，平台不保存，丢了无法找回。"})


def _status_out(receipt: str) -> dict:
    status = selectors.report_status_for_receipt(receipt_code=receipt)
    services.messages_mark_read_by_reporter(receipt_code=receipt)
    return {
        "case_number": status.case_number, "submitted_at": status.submitted_at, "status": status.status,
        "status_label": status.status_label, "closed": status.closed, "finding_label": status.finding_label,
        "result": status.result, "questions_waiting": status.questions_waiting,
        "messages": [{"side": m.side, "kind": m.kind, "text": m.text, "at": m.at} for m in status.messages
                     if m.kind != MessageKind.RESULT],
        "clock": [{"label": c.label, "due_on": c.due_on, "met": c.met, "overdue": c.overdue} for c in status.clock],
        "timeline": [t.label for t in status.timeline],
    }


@router.post("/status", auth=None, response={200: StatusOut, **ERRORS},
             summary="Follow a report by its receipt code: status, the handler's questions and the answers")
def report_status(request, response: HttpResponse, payload: Body[StatusIn]):
    response["Cache-Control"] = "no-store"
    hit_request(STATUS_LIMIT, request)
    if not payload.receipt.strip():
        raise ApplicationError("请输入查询码", code=PortalErrorCode.RECEIPT_REQUIRED)
    return _status_out(payload.receipt)


@router.post("/answer", auth=None, response={201: AnswerOut, **ERRORS},
             summary="Answer the handler's question (or add information) with the receipt code")
def report_answer(request, response: HttpResponse, payload: Body[AnswerIn]):
    response["Cache-Control"] = "no-store"
    hit_request(STATUS_LIMIT, request)
    hit_request(REPLIES_LIMIT, request)
    services.reporter_reply(receipt_code=payload.receipt, text=payload.text)
    return Status(201, {"notice": "已收到您的补充，承办人会看到。"})
