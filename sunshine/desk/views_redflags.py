"""Staff pages of the data comparison: thin views; jurisdiction inside the selectors, capabilities checked here."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sunshine.core.errors import ApplicationError
from sunshine.core.plan import current_year
from sunshine.org.capabilities import has_capability, require
from sunshine.redflags import selectors, services
from sunshine.redflags.capabilities import Capability
from sunshine.redflags.choices import HitReview, RegistryKind
from sunshine.redflags.registries import SPECS, registry_template
from sunshine.redflags.rules import RULES, RULES_BY_CODE

PAGE_SIZE = 30


def _back(request, fallback: str):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@login_required
def hit_list(request):
    actor = request.user
    rule = request.GET.get("rule", "")
    review = request.GET.get("review", HitReview.PENDING)
    review = review if review in (*HitReview.values, "all") else HitReview.PENDING
    qs = selectors.hits_visible_to(actor=actor, rule_code=rule if rule in RULES_BY_CODE else "",
                                   review="" if review == "all" else review)
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


@login_required
def rule_list(request):
    actor = request.user
    year = current_year()
    return render(request, "desk/redflags/rules.html", {
        "figures": selectors.rule_figures(actor=actor, year=year), "year": year,
        "runs": selectors.runs_recent(actor=actor, limit=5),
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
        messages.success(request, _("比对已开始,完成后新的疑点会出现在这里和举报受理台"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("desk:redflags_rules")


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
