"""Public disclosure pages (三(二)3): township → village browse, household self-check, notices and their check.

No login, nothing unpublished, personal data masked (all of it comes through sunshine.funds.public, which returns
masked dataclasses only). Anonymous GET pages may be cached for a minute; the self-check result never is.
"""
from __future__ import annotations

import functools

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sunshine.core import public_urls
from sunshine.core.errors import ApplicationError, NotFound
from sunshine.core.ratelimit import Limit, check, client_ip, hit
from sunshine.funds import household_codes, public
from sunshine.funds import household_page as household_pages
from sunshine.funds.errors import FundsErrorCode
from sunshine.funds.pageversions import village_page_keys
from sunshine.oversight.selectors.mechanisms import PUBLIC_MAX_LIMIT as MICRO_POWER_LIMIT
from sunshine.oversight.selectors.mechanisms import micro_powers_public

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
    context = {"village": village, "pages": pages, **public.village_disclosure(village=village, pages=pages),
               "micro_powers": micro_powers_public(village_id=village.id, limit=MICRO_POWER_LIMIT)}
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
        "last4": request.POST.get("last4", ""),
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


# One-time codes (funds.household_codes): asking is limited per requester (the household's own daily quota stops a
# phone being flooded), and wrong codes are counted per requester, never per name.
CODE_REQUESTS_PER_REQUESTER = Limit("funds_code_request", count=5, seconds=3600)
CODE_FAILURES_PER_REQUESTER = Limit("funds_code_fail", count=10, seconds=3600)
CODE_SENT_MESSAGE = _("如果填写的信息与登记一致,验证码已用短信发到该户登记的手机,%(minutes)s分钟内有效。"
                      "没有收到?请核对信息后再试,或拨打监督电话。")


def _session_key(request) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


@never_cache
@require_POST
def household_code_request(request):
    """Send a one-time code to the household's phone; the answer is the same whether a household matched or not."""
    context = {"hotline": settings.SUNSHINE["HOTLINE"], "codes_per_day": household_codes.CODES_PER_HOUSEHOLD_PER_DAY,
               "sent_message": CODE_SENT_MESSAGE % {"minutes": int(household_codes.CODE_TTL.total_seconds() // 60)}}
    status = 200
    try:
        hit(CODE_REQUESTS_PER_REQUESTER, client_ip(request))
        household = public.household_find(village_code=request.POST.get("village", ""),
                                          name=request.POST.get("name", ""), id_last4=request.POST.get("last4", ""))
        household_codes.household_code_send(household=household, session_key=_session_key(request))
        context["sent"] = True
    except ApplicationError as exc:
        context["error"] = exc
        status = exc.status
    return render(request, "portal/funds/check_code.html", context, status=status)


@never_cache
@require_POST
def household_code_verify(request):
    """A right code opens the household's page (its personal link); the owner is never locked out by others."""
    household = household_codes.household_code_verify(session_key=_session_key(request),
                                                      code=request.POST.get("code", ""))
    if household is not None:
        return redirect(public_urls.HOUSEHOLD_PATH.format(token=household_pages.household_current_token(household)))
    context = {"hotline": settings.SUNSHINE["HOTLINE"], "sent": True,
               "codes_per_day": household_codes.CODES_PER_HOUSEHOLD_PER_DAY}
    try:
        hit(CODE_FAILURES_PER_REQUESTER, client_ip(request))
        context["error"] = ApplicationError(gettext("验证码不正确或已过期。请核对短信,或重新获取验证码。"),
                                            code=FundsErrorCode.HOUSEHOLD_CODE_INVALID)
        status = 400
    except ApplicationError as exc:
        context["error"] = exc
        status = exc.status
    return render(request, "portal/funds/check_code.html", context, status=status)


# Wrong personal links counted per requester: guessing a 41-bit tag is hopeless anyway, this keeps the noise down.
# A right link is always served (the owner is never locked out by someone else's failures).
WRONG_LINKS_PER_REQUESTER = Limit("funds_household_link_fail", count=20, seconds=3600)


@never_cache
@require_GET
def household_page(request, token: str):
    """A household's own page, opened by the personal link in its payment SMS (三(二)3)."""
    household = household_pages.household_by_token(token)
    if household is None:
        requester = client_ip(request)
        check(WRONG_LINKS_PER_REQUESTER, requester)
        hit(WRONG_LINKS_PER_REQUESTER, requester)
        raise NotFound(gettext("这个链接已失效或不完整。请使用最新一条到账短信中的链接,或用“查我家”凭验证码查看。"),
                       code=FundsErrorCode.HOUSEHOLD_LINK_INVALID)
    page = household_pages.household_page(household=household)
    response = render(request, "portal/funds/household.html", {
        "page": page, "hotline": settings.SUNSHINE["HOTLINE"],
        "due_days": settings.SUNSHINE_PUBLICATION_DUE_DAYS,
    })
    # The link is the key to the page: no search engine, no Referer carrying it elsewhere.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


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
