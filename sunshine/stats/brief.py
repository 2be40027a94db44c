"""The campaign brief (信息综合, 三(一)3): the office's weekly or monthly brief to the leading group.

`brief_draft` computes the period's figures from the statistics tables (as the office sees them: the whole city)
and freezes them into the brief with a first text the office then edits (`brief_update`); `brief_issue` numbers
and issues it, after which it never changes. The DOCX (python-docx, editable in WPS or Word) and the PDF
(WeasyPrint) are rendered from the kept text and figures, so an issued brief always reads as issued. Charts are
drawn as bar rows (a bar of the figure's share beside it), so they print and edit without images.
"""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from sunshine.core.audit import AuditEvent, audit_record
from sunshine.core.errors import ApplicationError
from sunshine.org.capabilities import has_capability, require

from .capabilities import Capability
from .errors import StatsErrorCode
from .models import Brief, BriefKind, BriefStatus
from .registry import MONEY, PCT, Params

OVERDUE_LISTED = 15
BAR_WIDTH = 20


def period_for(kind: str, end: dt.date) -> tuple[dt.date, dt.date]:
    """A week ends on `end` (7 days); a month is the calendar month that holds `end`, up to `end`."""
    if kind == BriefKind.WEEKLY:
        return end - dt.timedelta(days=6), end
    return end.replace(day=1), end


def _fmt(value, kind: str) -> str:
    from .templatetags.stats_format import format_figure

    return format_figure(value, kind)


def _section(actor, slug: str, params: Params, keys: tuple[str, ...], *, title: str = "", bar: str = "") -> dict:
    """One table of the brief: rows of the statistics table `slug` with the measures `keys`, and a bar per row."""
    from . import registry
    from .figures import figures

    table = registry.table(slug)
    if table is None or not table.allowed(actor):
        return {}
    result = figures(table, actor=actor, params=params)
    measures = [m for m in table.measures if m.key in keys]
    peak = max((float(r.values.get(bar) or 0) for r in result.rows), default=0) if bar else 0
    rows = []
    ordered = sorted(result.rows, key=lambda r: -float(r.values.get(bar) or 0)) if bar else result.rows
    lag = keys[1] if len(keys) > 1 else keys[0]  # the second measure is what puts a row behind (e.g. overdue)
    behind = [r.label for r in sorted(result.rows, key=lambda r: -float(r.values.get(lag) or 0))
              if float(r.values.get(lag) or 0) > 0][:3]
    for r in ordered:
        cells = [r.label] + [_fmt(r.values.get(m.key), m.kind) for m in measures]
        if bar:
            value = float(r.values.get(bar) or 0)
            cells.append("█" * (round(BAR_WIDTH * value / peak) if peak else 0))
        rows.append(cells)
    total = ["合计"] + [_fmt(result.total.get(m.key), m.kind) for m in measures] + ([""] if bar else [])
    headers = [str(result.dim.label)] + [str(m.label) for m in measures] + (["图示"] if bar else [])
    return {"title": title or str(table.title), "headers": headers, "rows": rows, "total": total, "behind": behind,
            "totals": {m.key: _plain(result.total.get(m.key)) for m in table.measures},
            "computed_at": result.computed_at.isoformat() if result.computed_at else ""}


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def _overdue_cases(actor, today: dt.date) -> dict:
    from sunshine.cases import selectors as cases

    rows = []
    qs = cases.case_list_visible_to(actor=actor, today=today, overdue_only=True, include_closed=False)
    for c in qs[:OVERDUE_LISTED]:
        deadline = c.deadlines.filter(met_at__isnull=True, due_on__lt=today).order_by("due_on").first()
        rows.append([c.number or str(c.pk), c.handling_unit.name, c.get_status_display(),
                     deadline.get_kind_display() if deadline else "", str(deadline.due_on) if deadline else "",
                     str((today - deadline.due_on).days) if deadline else ""])
    return {"title": "超期未办案件", "headers": ["案件编号", "承办单位", "阶段", "时限", "应完成日期", "超期天数"],
            "rows": rows, "total": [], "count": qs.count()}


def _rectification(actor, today: dt.date) -> dict:
    """Cases in 问责整改 (the rectification stage): what is being put right, and by whom."""
    from sunshine.cases import selectors as cases
    from sunshine.cases.choices import CaseStatus

    qs = cases.case_list_visible_to(actor=actor, today=today, status=CaseStatus.ACCOUNTABILITY)
    rows = [[c.number or str(c.pk), c.handling_unit.name, str(c.received_on)] for c in qs[:OVERDUE_LISTED]]
    return {"title": "问责整改事项", "headers": ["案件编号", "承办单位", "收到日期"], "rows": rows, "total": [],
            "count": qs.count()}


def brief_figures(*, actor, start: dt.date, end: dt.date) -> dict:
    period = Params(date_from=start, date_to=end)
    sections = [
        _section(actor, "reports", period, ("cases", "overdue", "closed"), title="各乡镇举报受理情况", bar="cases"),
        _section(actor, "reports", Params(dim="unit", date_from=start, date_to=end), ("cases", "overdue", "closed"),
                 title="各承办单位办理情况", bar="overdue"),
        _section(actor, "deadlines", Params(dim="deadline", date_from=start, date_to=end),
                 ("deadlines", "on_time", "late", "overdue", "on_time_rate"), title="办理时限"),
        _section(actor, "recovery", period, ("recovered", "returned", "returned_on_time"), title="追缴与返还资金",
                 bar="recovered"),
        _section(actor, "disclosure", Params(), ("payments", "payments_share", "payments_overdue",
                                                 "projects_share", "transactions_share"),
                 title="各乡镇资金公开情况", bar="payments_share"),
        _section(actor, "money", Params(), ("allocated", "paid_households", "paid_projects", "idle_amount"),
                 title="资金到位与滞留情况", bar="idle_amount"),
        _overdue_cases(actor, end),
        _rectification(actor, end),
    ]
    # Behind now (not only among the period's reports): the most overdue cases by township and by handling unit.
    now_t = _section(actor, "reports", Params(), ("cases", "overdue"))
    now_u = _section(actor, "reports", Params(dim="unit"), ("cases", "overdue"))
    return {"start": start.isoformat(), "end": end.isoformat(), "sections": [s for s in sections if s],
            "behind": {"townships": now_t.get("behind", []), "units": now_u.get("behind", [])}}


def _default_text(kind: str, start: dt.date, end: dt.date, figures: dict) -> str:
    t = {s["title"]: s for s in figures["sections"]}
    reports = t.get("各乡镇举报受理情况", {}).get("totals", {})
    recovery = t.get("追缴与返还资金", {}).get("totals", {})
    deadlines = t.get("办理时限", {}).get("totals", {})
    overdue = t.get("超期未办案件", {}).get("count", 0)
    money = t.get("资金到位与滞留情况", {}).get("totals", {})
    label = "本周" if kind == BriefKind.WEEKLY else "本月"
    behind_t = figures.get("behind", {}).get("townships", [])
    behind_u = figures.get("behind", {}).get("units", [])
    lines = [
        f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日},全市扶贫领域腐败和作风问题专项治理工作情况如下。",
        f"一、举报受理。{label}共收到举报和问题线索 {reports.get('cases', 0)} 件,已办结 {reports.get('closed', 0)} 件,"
        f"超期未办 {overdue} 件;办理时限按时率 {_fmt(deadlines.get('on_time_rate'), PCT)}。"
        + (f"超期件较多的乡镇:{'、'.join(behind_t)}。" if behind_t else "")
        + (f"超期件较多的承办单位:{'、'.join(behind_u)}。" if behind_u else ""),
        f"二、资金追缴。{label}追缴资金 {_fmt(recovery.get('recovered'), MONEY)} 元,返还群众 "
        f"{_fmt(recovery.get('returned'), MONEY)} 元,其中及时返还 {_fmt(recovery.get('returned_on_time'), MONEY)} 元。",
        f"三、资金到位。滞留资金(下达后超过规定天数仍未使用)共 {money.get('idle_count', 0)} 笔、"
        f"{_fmt(money.get('idle_amount'), MONEY)} 元,请相关乡镇和部门督促使用。",
        "四、下步工作。(请市专项治理办填写)",
    ]
    return "\n\n".join(lines)


@transaction.atomic
def brief_draft(*, actor, kind: str, end: dt.date) -> Brief:
    require(actor, Capability.BRIEF)
    if kind not in BriefKind.values:
        raise ApplicationError("请选择周报或月报", code=StatsErrorCode.BRIEF_INVALID)
    if end > timezone.localdate():
        raise ApplicationError("截止日期不能晚于今天", code=StatsErrorCode.BRIEF_INVALID)
    start, end = period_for(kind, end)
    figures = brief_figures(actor=actor, start=start, end=end)
    label = BriefKind(kind).label
    brief = Brief.objects.create(
        kind=kind, year=end.year, number=0, period_start=start, period_end=end,
        title=f"扶贫领域专项治理工作{label}({start:%m月%d日}—{end:%m月%d日})", text=_default_text(kind, start, end, figures),
        figures=figures, created_by=actor)
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, obj=brief, detail={"action": "brief_draft"})
    return brief


def _editable(actor, brief: Brief) -> Brief:
    require(actor, Capability.BRIEF)
    brief = Brief.objects.select_for_update().get(pk=brief.pk)
    if brief.status != BriefStatus.DRAFT:
        raise ApplicationError("简报已印发,不能修改", code=StatsErrorCode.BRIEF_ISSUED)
    return brief


@transaction.atomic
def brief_update(*, actor, brief: Brief, title: str, text: str) -> Brief:
    brief = _editable(actor, brief)
    title, text = (title or "").strip(), (text or "").strip()
    if not title or len(title) > 120:
        raise ApplicationError("标题不能为空,且不超过120个字", code=StatsErrorCode.BRIEF_INVALID)
    if not text or len(text) > 20000:
        raise ApplicationError("正文不能为空,且不超过20000个字", code=StatsErrorCode.BRIEF_INVALID)
    brief.title, brief.text = title, text
    brief.save(update_fields=["title", "text", "updated_at"])
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, obj=brief, detail={"action": "brief_update"})
    return brief


@transaction.atomic
def brief_issue(*, actor, brief: Brief) -> Brief:
    """Number and issue the brief (期号: the next of its kind this year); afterwards it is kept as issued."""
    brief = _editable(actor, brief)
    last = (Brief.objects.filter(kind=brief.kind, year=brief.year, status=BriefStatus.ISSUED)
            .aggregate(n=Max("number"))["n"] or 0)
    brief.number = last + 1
    brief.status = BriefStatus.ISSUED
    brief.issued_by = actor
    brief.issued_at = timezone.now()
    brief.save(update_fields=["number", "status", "issued_by", "issued_at", "updated_at"])
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, obj=brief,
                 detail={"action": "brief_issue", "number": brief.number})
    return brief


def brief_list_for(*, actor):
    require(actor, Capability.BRIEF_READ)
    qs = Brief.objects.select_related("created_by", "issued_by")
    if not has_capability(actor, Capability.BRIEF):
        qs = qs.filter(status=BriefStatus.ISSUED)  # drafts are the office's own
    return qs.order_by("-period_end", "-id")


def brief_get_for(*, actor, pk: int) -> Brief:
    from sunshine.core.errors import NotFound

    try:
        return brief_list_for(actor=actor).get(pk=pk)
    except Brief.DoesNotExist:
        raise NotFound() from None


def heading(brief: Brief) -> str:
    if brief.status == BriefStatus.ISSUED:
        return f"{brief.year}年第{brief.number}期"
    return "(草稿)"


# ---- rendering ------------------------------------------------------------------------------------------------

def brief_docx(brief: Brief) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(12)
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run("扶贫领域腐败和作风问题专项治理\n工作简报")
    run.bold, run.font.size, run.font.color.rgb = True, Pt(22), RGBColor(0xC0, 0x10, 0x10)
    meta = doc.add_paragraph(f"{heading(brief)}    湘乡市专项治理办    "
                             f"{(brief.issued_at or timezone.now()).astimezone():%Y年%m月%d日}")
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_heading(brief.title, level=1)
    for para in brief.text.split("\n\n"):
        doc.add_paragraph(para.strip())
    doc.add_heading("附:统计数据", level=2)
    for section in brief.figures.get("sections", []):
        doc.add_heading(section["title"], level=3)
        if not section["rows"]:
            doc.add_paragraph("无")
            continue
        table = doc.add_table(rows=1, cols=len(section["headers"]))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, section["headers"], strict=False):
            cell.text = str(text)
        for row in section["rows"] + ([section["total"]] if section.get("total") else []):
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=False):
                cell.text = str(text)
    doc.add_paragraph(f"数据统计期间:{brief.figures.get('start')} 至 {brief.figures.get('end')};"
                      "数据由“阳光监督”平台根据业务记录自动计算。")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def brief_pdf(brief: Brief) -> bytes:
    from django.conf import settings
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("stats/brief_print.html", {"brief": brief, "heading": heading(brief),
                                                       "paragraphs": brief.text.split("\n\n"),
                                                       "font_family": "Noto Sans CJK SC"})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
