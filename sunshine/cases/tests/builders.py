"""Builders for the report-desk tests: reports submitted through the real service, cases walked along."""
from __future__ import annotations

from sunshine.cases import services
from sunshine.cases.choices import CaseStatus, Finding

REAL_NAME = {"name": "王小明", "phone": "13912345678", "id_number": "430381199001011234"}


def submit(city, *, village: int = 0, text: str = "村里的低保名单有问题，有人优亲厚友", **kwargs):
    kwargs.setdefault("channel", "online")
    kwargs.setdefault("region", city.villages[village])
    report, code = services.report_submit(text=text, **kwargs)
    return report, report.cases.get(), code


def walk(case, actor, *to: str, **data):
    """Move `case` through each status in `to`, supplying the data each edge needs."""
    defaults = {
        CaseStatus.CONCLUDED: {"finding": Finding.SUBSTANTIATED, "conclusion": "经核查，反映问题属实"},
        CaseStatus.REPLY: {"result": "您反映的问题经核查属实，已作处理。感谢您的监督。"},
    }
    for status in to:
        payload = {**defaults.get(status, {}), **data.get(status, {})}
        case = services.case_transition(case=case, to=status, actor=actor, reason="", **payload)
    return case


def to_concluded(case, actor, finding: str = Finding.SUBSTANTIATED):
    return walk(case, actor, CaseStatus.SCREENING, CaseStatus.PRELIMINARY, CaseStatus.CONCLUDED,
                **{CaseStatus.CONCLUDED: {"finding": finding, "conclusion": "核查完毕"}})
