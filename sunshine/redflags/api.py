"""Staff JSON endpoints of the data comparison (/api/v1/redflags/): hits, reviews, rules, runs, registries."""

from ninja import Query, Router
from ninja.pagination import paginate

from sunshine.core.pagination import Pagination
from sunshine.core.schemas import ErrorOut

from . import selectors, services
from .choices import RegistryKind
from .rules import RULES_BY_CODE
from .schemas import (
    BatchOut,
    HitDetailOut,
    HitFilter,
    HitOut,
    QueuedOut,
    ReviewIn,
    RuleOut,
    RuleSwitchIn,
    RunIn,
    RunOut,
    ThresholdIn,
)

router = Router(tags=["redflags"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def hit_out(hit, *, detail: bool = False) -> dict:
    rule = RULES_BY_CODE.get(hit.rule_code)
    out = {
        "id": hit.pk, "rule_code": hit.rule_code, "rule_title": rule.title if rule else hit.rule_code,
        "subject_key": hit.subject_key, "region_name": hit.village.name if hit.village_id else "",
        "amount": hit.amount, "event_date": hit.event_date, "note": hit.note, "review": hit.review,
        "review_reason": hit.review_reason,
        "reviewed_by": hit.reviewed_by.get_username() if hit.reviewed_by_id else "", "reviewed_at": hit.reviewed_at,
        "case_number": _case_number(hit), "created_at": hit.created_at,
    }
    if detail:
        out |= {"explanation": rule.explanation if rule else "", "evidence": hit.evidence}
    return out


def _case_number(hit) -> str:
    if not hit.report_id:
        return ""
    case = hit.report.cases.order_by("-pk").first()
    return case.number if case else ""


def rule_out(figures) -> dict:
    rule = figures.rule
    return {"code": rule.code, "title": rule.title, "explanation": rule.explanation,
            "problem_type": rule.problem_type, "enabled": figures.enabled, "incremental": rule.incremental,
            "hits": figures.hits, "confirmed": figures.confirmed, "false_positive": figures.false_positive,
            "pending": figures.pending, "precision": figures.precision, "thresholds": figures.thresholds,
            "changed_by": figures.changed_by, "changed_at": figures.changed_at}


@router.get("/hits", response={200: list[HitOut], **ERRORS})
@paginate(Pagination)
def list_hits(request, filters: Query[HitFilter]):
    hits = selectors.hits_visible_to(actor=request.user, rule_code=filters.rule, review=filters.review)
    return [hit_out(h) for h in hits.prefetch_related("report__cases")]


@router.get("/hits/{hit_id}", response={200: HitDetailOut, **ERRORS})
def get_hit(request, hit_id: int):
    return hit_out(selectors.hit_get_for(actor=request.user, pk=hit_id), detail=True)


@router.post("/hits/{hit_id}/review", response={200: HitDetailOut, **ERRORS})
def review_hit(request, hit_id: int, payload: ReviewIn):
    hit = selectors.hit_get_for(actor=request.user, pk=hit_id)
    services.hit_review(hit=hit, actor=request.user, verdict=payload.verdict, reason=payload.reason)
    return hit_out(selectors.hit_get_for(actor=request.user, pk=hit_id), detail=True)


@router.get("/rules", response={200: list[RuleOut], **ERRORS})
def list_rules(request, year: int | None = None):
    return [rule_out(f) for f in selectors.rule_figures(actor=request.user, year=year)]


def _one_rule(request, code: str) -> dict:
    for figures in selectors.rule_figures(actor=request.user):
        if figures.rule.code == code:
            return rule_out(figures)
    raise AssertionError(code)  # pragma: no cover - the service refused unknown codes


@router.post("/rules/{code}/switch", response={200: RuleOut, **ERRORS})
def switch_rule(request, code: str, payload: RuleSwitchIn):
    services.rule_set_enabled(actor=request.user, code=code, enabled=payload.enabled)
    return _one_rule(request, code)


@router.post("/rules/{code}/threshold", response={200: RuleOut, **ERRORS})
def set_threshold(request, code: str, payload: ThresholdIn):
    services.rule_set_threshold(actor=request.user, code=code, year=payload.year, name=payload.name,
                                value=payload.value)
    return _one_rule(request, code)


@router.get("/runs", response={200: list[RunOut], **ERRORS})
def list_runs(request):
    return selectors.runs_recent(actor=request.user)


@router.post("/runs", response={202: QueuedOut, **ERRORS})
def start_run(request, payload: RunIn):
    services.run_async(actor=request.user, full=payload.full)
    return 202, {"detail": "比对已开始,完成后新的疑点会出现在举报受理台"}


@router.get("/registries", response={200: list[BatchOut], **ERRORS})
def list_registries(request):
    return [{"id": b.pk, "kind": b.kind, "kind_label": str(RegistryKind(b.kind).label), "source": b.source,
             "data_date": b.data_date, "rows": b.rows, "created_at": b.created_at}
            for b in selectors.registry_batches(actor=request.user)]
