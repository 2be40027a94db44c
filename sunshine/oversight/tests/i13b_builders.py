"""Builders for i13b's tests: accounts of inspection and audit, projects at a chosen stage on chosen dates."""
from __future__ import annotations

import datetime as dt

from sunshine.org.choices import Role, UnitKind


def inspection_account(city, *, kind: str = UnitKind.INSPECTION, role: str = Role.INSPECTION, name: str = "市委巡察办"):
    from sunshine.org import services
    from sunshine.org.testing import make_account

    unit = services.unit_create(actor=None, name=name, kind=kind, territory=city.city)
    return make_account(f"acct-{kind}", role, unit)


def project(city, actor, *, village: int = 0, name: str = "道路硬化", budget: str = "100000", applied: dt.date,
            approved: dt.date | None = None, filed: dt.date | None = None, code: str = ""):
    from sunshine.funds.services.projects import project_transition
    from sunshine.funds.services.records import project_create

    p = project_create(actor=actor, village=city.villages[village], name=name, project_type="基础设施",
                       budget=budget, code=code, on_date=applied)
    if approved:
        p = project_transition(actor=actor, project=p, to_status="approved", on_date=approved,
                               facts={"approval_document": f"湘乡发改〔{approved.year}〕{p.pk}号"})
    if filed:
        p = project_transition(actor=actor, project=p, to_status="filed", on_date=filed)
    return p
