"""Staff pages of the data comparison: thin views; jurisdiction inside the selectors, capabilities checked here."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from sunshine.core.errors import ApplicationError
from sunshine.core.plan import current_year
from sunshine.org.capabilities import has_capability, require
from sunshine.redflags import selectors, services
from sunshine.redflags.capabilities import Capability
from sunshine.redflags.choices import HitReview, RegistryKind
from sunshine.redflags.registries import SPECS, registry_template
from sunshine.redflags.rules import RULES, RULES_BY_CODE

from .exports import Listing, col, desk_list, shown, yes

PAGE_SIZE = 30


def _back(request, fallback: str):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def _hit_filters(g) -> tuple[str, str]:
    rule = g.get("rule", "")
    review = g.get("review", HitReview.PENDING)
    return rule, review if review in (*HitReview.values, "all") else HitReview.PENDING


def _evidence(hit) -> str:
    return "；".join(f"{e.get('label', '')}：{e.get('value', '')}" for e in (hit.evidence or []) if isinstance(e, dict))


@desk_list("redflag-hits", title=_lazy("比对疑点"), page="desk:redflags_hits", columns=[
    col(_lazy("规则"), "rule_code"), col(_lazy("规则名称"), lambda h: getattr(RULES_BY_CODE.get(h.rule_code), "title", "")),
    col(_lazy("核实结果"), "get_review_display"), col(_lazy("乡镇"), "village.parent.name"),
    col(_lazy("村"), "village.name"), col(_lazy("金额（元）"), "amount"), col(_lazy("发生日期"), "event_date"),
    col(_lazy("发现日期"), "created_at"), col(_lazy("依据"), _evidence, "text"),
    col(_lazy("核实理由"), "review_reason", "text"), col(_lazy("核实人"), "reviewed_by.display_name"),
    col(_lazy("核实时间"), "reviewed_at")])
def hits_query(actor, g) -> Listing:
    rule, review = _hit_filters(g)
    rule = rule if rule in RULES_BY_CODE else ""
    qs = selectors.hits_visible_to(actor=actor, rule_code=rule, review="" if review == "all" else review)
    return Listing(qs, shown([(_("规则"), rule), (_("核实结果"), _("全部") if review == "all"
                                                  else HitReview(review).label)]))


@login_required
def hit_list(request):
    actor = request.user
    rule, review = _hit_filters(request.GET)
    qs = hits_query(actor, request.GET).rows
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for hit in page.object_list:
        hit.rule = RULES_BY_CODE.get(hit.rule_code)
    return render(request, "desk/redflags/hits.html", {
        "page": page, "rule": rule, "review": review, "rules": RULES, "reviews": HitReview.choices,
        "can_review": has_capability(actor, Capability.REVIEW),
    })


@login_required
def hit_detail(request, hit_id: int):
    hit = selectors.hit_get_for(actor=request.user, pk=hit_id)
    hit.rule = RULES_BY_CODE.get(hit.rule_code)
    case = hit.report.cases.order_by("-pk").first() if hit.report_id else None
    return render(request, "desk/redflags/hit.html", {
        "hit": hit, "case": case, "can_review": has_capability(request.user, Capability.REVIEW)})


@login_required
@require_POST
def hit_review_view(request, hit_id: int):
    hit = selectors.hit_get_for(actor=request.user, pk=hit_id)
    try:
        services.hit_review(hit=hit, actor=request.user, verdict=request.POST.get("verdict", ""),
                            reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        label = HitReview(request.POST["verdict"]).label
        messages.success(request, _("疑点 %(key)s 已标记为“%(label)s”") % {"key": hit.rule_code, "label": label})
    return _back(request, "desk:redflags_hits")


@desk_list("redflag-rules", title=_lazy("比对规则"), page="desk:redflags_rules", columns=[
    col(_lazy("规则"), "rule.code"), col(_lazy("规则名称"), "rule.title"),
    col(_lazy("启用"), lambda f: yes(f.enabled)), col(_lazy("疑点"), "hits"), col(_lazy("属实"), "confirmed"),
    col(_lazy("误报"), "false_positive"), col(_lazy("待核实"), "pending"), col(_lazy("准确率（%）"), "precision"),
    col(_lazy("阈值"), lambda f: "；".join(f"{t['label']}：{t['value']}{t.get('unit', '')}" for t in f.thresholds))])
def rules_query(actor, g) -> Listing:
    year = current_year()
    return Listing(selectors.rule_figures(actor=actor, year=year), [(_("年度"), str(year))])


@desk_list("redflag-runs", title=_lazy("比对运行记录"), page="desk:redflags_rules", columns=[
    col(_lazy("开始时间"), "created_at"), col(_lazy("结束时间"), "finished_at"), col(_lazy("状态"), "get_status_display"),
    col(_lazy("全量"), lambda r: yes(r.full)), col(_lazy("发起人"), "started_by.display_name"),
    col(_lazy("说明"), "message")])
def runs_query(actor, g) -> Listing:
    return Listing(selectors.runs_recent(actor=actor, limit=None))


RECENT_RUNS = 5  # the rules page names the last few; the export lists them all


@login_required
def rule_list(request):
    actor = request.user
    year = current_year()
    return render(request, "desk/redflags/rules.html", {
        "figures": rules_query(actor, request.GET).rows, "year": year,
        "runs": selectors.runs_recent(actor=actor, limit=RECENT_RUNS),
        "can_configure": has_capability(actor, Capability.CONFIGURE), "can_run": has_capability(actor, Capability.RUN),
    })


@login_required
@require_POST
def rule_switch(request, code: str):
    try:
        services.rule_set_enabled(actor=request.user, code=code, enabled=request.POST.get("enabled") == "1")
        messages.success(request, _("规则 %(code)s 已更新") % {"code": code})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("desk:redflags_rules")


@login_required
@require_POST
def rule_threshold(request, code: str):
    try:
        services.rule_set_threshold(actor=request.user, code=code, year=int(request.POST.get("year") or 0),
                                    name=request.POST.get("name", ""), value=request.POST.get("value", ""))
        messages.success(request, _("规则 %(code)s 的阈值已更新") % {"code": code})
    except (ApplicationError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", _("年度无效")))
    return redirect("desk:redflags_rules")


@login_required
@require_POST
def run_start(request):
    try:
        services.run_async(actor=request.user, full=request.POST.get("full") == "1")
        messages.success(request, _("比对已开始，完成后新的疑点会出现在这里和举报受理台"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("desk:redflags_rules")


@desk_list("redflag-registries", title=_lazy("已导入的比对名册"), page="desk:redflags_registries", columns=[
    col(_lazy("名册"), "get_kind_display"), col(_lazy("行数"), "rows"), col(_lazy("数据来源"), "source"),
    col(_lazy("数据日期"), "data_date"), col(_lazy("文件名"), "filename"), col(_lazy("导入时间"), "created_at"),
    col(_lazy("导入人"), "created_by.display_name")])
def registries_query(actor, g) -> Listing:
    return Listing(selectors.registry_batches(actor=actor, limit=None))


@login_required
def registries(request):
    actor = request.user
    error = ""
    if request.method == "POST":
        require(actor, Capability.IMPORT)
        try:
            job = services.registry_import_start(
                actor=actor, kind=request.POST.get("kind", ""), uploaded=request.FILES.get("file"),
                source=request.POST.get("source", ""), data_date=request.POST.get("data_date", ""))
            return redirect("desk:import_job", job.pk)
        except ApplicationError as exc:
            error = exc.message
    return render(request, "desk/redflags/registries.html", {
        "kinds": [(k, RegistryKind(k).label) for k in SPECS], "batches": selectors.registry_batches(actor=actor),
        "error": error, "can_import": has_capability(actor, Capability.IMPORT), "form": request.POST,
    }, status=400 if error else 200)


@login_required
def registry_template_download(request, kind: str):
    selectors.registry_batches(actor=request.user, limit=1)  # the view capability
    try:
        content = registry_template(kind)
    except ApplicationError as exc:
        return HttpResponse(exc.message, status=404)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="redflags-{kind}-template.xlsx"'
    return response
