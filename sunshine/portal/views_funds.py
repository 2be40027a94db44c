"""Public disclosure pages (三(二)3): township → village browse, household self-check, notices and their check.

No login, nothing unpublished, personal data masked (all of it comes through sunshine.funds.public, which returns
masked dataclasses only). Anonymous GET pages may be cached for a minute; the self-check result never is.
"""
from __future__ import annotations

import functools

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from sunshine.core.errors import ApplicationError
from sunshine.core.ratelimit import client_ip
from sunshine.funds import public
from sunshine.funds.pageversions import village_page_keys

from .caching import cached_page, page_cache_key, public_cache


def _page_number(request, key: str) -> int:
    value = request.GET.get(key, "1")
    return int(value) if value.isdigit() and 0 < int(value) < 100_000 else 1


@require_GET
@public_cache
def township_index(request):
    return render(request, "portal/funds/townships.html", {"townships": public.township_list()})


@require_GET
@public_cache
def township_detail(request, code: str):
    township = public.township_get(code=code)
    return render(request, "portal/funds/township.html", {
        "township": township,
        "villages": public.village_list(township_code=code),
        "allocations": public.allocation_page(region_id=township.id, page=_page_number(request, "allocations"),
                                              limit=public.SECTION_PAGE_SIZE),
        "notices": public.notice_page(region_ids=[township.id], page=_page_number(request, "notices"),
                                      limit=public.SECTION_PAGE_SIZE),
    })


@require_GET
@public_cache
def village_detail(request, code: str):
    village = public.village_get(code=code)
    key = page_cache_key(request, name=f"village:{village.id}", version_keys=village_page_keys(
        village_id=village.id, township_id=village.parent_id))
    return cached_page(request, key, functools.partial(_render_village, request, village))


def _render_village(request, village, csrf_token: str | None):
    pages = {section: _page_number(request, section) for section in public.VILLAGE_SECTIONS}
    context = {"village": village, "pages": pages, **public.village_disclosure(village=village, pages=pages)}
    if csrf_token is not None:
        context["csrf_token"] = csrf_token  # a placeholder: each visitor's own token goes in when it is served
    target = request.htmx.target if request.htmx else None
    if target in public.VILLAGE_SECTIONS:
        # HTMX paging swaps one section; without JavaScript the same link loads the whole page.
        return render(request, f"portal/funds/partials/village_{target}.html", context)
    return render(request, "portal/funds/village.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def household_check(request):
    context = {
        # Evaluated by the template only when the form is shown (not beside a result).
        "townships": public.village_choices,
        "village_code": request.POST.get("village") or request.GET.get("village", ""),
        "name": request.POST.get("name", ""),
        "hotline": settings.SUNSHINE["HOTLINE"],
    }
    status = 200
    if request.method == "POST":
        try:
            context["result"] = public.household_check(
                client_ip=client_ip(request), village_code=context["village_code"],
                name=context["name"], id_last4=request.POST.get("last4", ""),
            )
        except ApplicationError as exc:
            context["error"] = exc
            status = exc.status
    return render(request, "portal/funds/check.html", context, status=status)


@require_GET
@public_cache
def notice_detail(request, code: str):
    notice = public.notice_get(code=code)
    return render(request, "portal/funds/notice.html", {
        "notice": notice,
        "records": public.notice_records(notice=notice, page=_page_number(request, "page")),
        "verification": public.notice_verify(notice=notice),
    })


@require_GET
@public_cache
def notice_verify(request):
    code = public.normalize_notice_code(request.GET.get("code", ""))
    context: dict = {"code": code}
    if code:
        context["result"] = public.notice_check_code(code=code)
    return render(request, "portal/funds/verify.html", context)


@require_GET
@public_cache
def objection_fallback(request):
    return render(request, "portal/funds/objection.html", {
        "hotline": settings.SUNSHINE["HOTLINE"],
        "about": public.describe_record(about_type=request.GET.get("about_type", ""),
                                        about_id=request.GET.get("about_id", "")),
    })
