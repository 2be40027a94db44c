"""Reads of the data comparison, always with the actor: hits in their jurisdiction, each rule's figures."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from sunshine.core.plan import current_year, plan_value
from sunshine.org.capabilities import require
from sunshine.org.jurisdiction import get_visible, visible

from .capabilities import Capability
from .choices import HitReview
from .models import Hit, RegistryBatch, RuleSetting, Run
from .rules import RULES, Rule


def hits_visible_to(*, actor, rule_code: str = "", review: str = "") -> QuerySet[Hit]:
    require(actor, Capability.VIEW)
    qs = visible(Hit.objects.select_related("village", "village__parent", "reviewed_by", "report"), actor=actor)
    if rule_code:
        qs = qs.filter(rule_code=rule_code)
    if review:
        qs = qs.filter(review=review)
    return qs.order_by("-id")


def hit_get_for(*, actor, pk: int) -> Hit:
    require(actor, Capability.VIEW)
    return get_visible(Hit.objects.select_related("village", "reviewed_by", "report"), actor=actor, pk=pk)


@dataclass
class RuleFigures:
    rule: Rule
    enabled: bool
    hits: int
    confirmed: int
    false_positive: int
    pending: int
    thresholds: list[dict]
    changed_by: str
    changed_at: object

    @property
    def reviewed(self) -> int:
        return self.confirmed + self.false_positive

    @property
    def precision(self) -> Decimal | None:
        """Confirmed among reviewed hits, in percent (None before the first review)."""
        if not self.reviewed:
            return None
        return (Decimal(self.confirmed) * 100 / self.reviewed).quantize(Decimal("0.1"))


def rule_figures(*, actor, year: int | None = None) -> list[RuleFigures]:
    """Every rule with its hits, confirmations, false positives and precision (over the actor's hits), its switch
    and its thresholds for the year."""
    require(actor, Capability.VIEW)
    year = year or current_year()
    counts = {row["rule_code"]: row for row in visible(Hit.objects.all(), actor=actor).order_by().values("rule_code")
              .annotate(total=Count("id"), confirmed=Count("id", filter=Q(review=HitReview.CONFIRMED)),
                        false=Count("id", filter=Q(review=HitReview.FALSE_POSITIVE)),
                        pending=Count("id", filter=Q(review=HitReview.PENDING)))}
    settings = {s.code: s for s in RuleSetting.objects.select_related("changed_by")}
    out = []
    for rule in RULES:
        row = counts.get(rule.code, {})
        setting = settings.get(rule.code)
        out.append(RuleFigures(
            rule=rule, enabled=setting.enabled if setting else True, hits=row.get("total", 0),
            confirmed=row.get("confirmed", 0), false_positive=row.get("false", 0), pending=row.get("pending", 0),
            thresholds=[{"name": name, "key": p.key, "label": str(p.label), "unit": str(p.unit), "clause": p.clause,
                         "value": plan_value(p, year=year)} for name, p in rule.params.items()],
            changed_by=(setting.changed_by.get_username() if setting and setting.changed_by else ""),
            changed_at=setting.changed_at if setting else None))
    return out


def runs_recent(*, actor, limit: int | None = 10) -> list[Run]:
    require(actor, Capability.VIEW)
    return list(Run.objects.select_related("started_by").order_by("-id")[:limit])


def registry_batches(*, actor, limit: int | None = 50) -> list[RegistryBatch]:
    require(actor, Capability.VIEW)
    return list(RegistryBatch.objects.select_related("created_by").order_by("-id")[:limit])
