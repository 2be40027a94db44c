"""Public portal pages: no login, personal data masked, light enough for a cheap phone on a slow network."""
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from sunshine.org.selectors import member_units, problem_types

from .caching import LARGE_TYPE_COOKIE, public_cache

LARGE_TYPE_COOKIE_AGE = 365 * 24 * 60 * 60


@public_cache
def home(request):
    return render(request, "portal/home.html", {"problem_groups": _grouped(problem_types()),
                                                "member_units": list(member_units()),
                                                "report_url": _report_url()})


def _report_url() -> str:
    # The report form (issue 4) may not be installed yet: fall back to the page that gives the hotline.
    try:
        return reverse("portal:report_new")
    except NoReverseMatch:
        return reverse("portal:objection_fallback")


def _grouped(types):
    groups: dict = {}
    for t in types:
        groups.setdefault(t.group, []).append(t)
    return groups.items()


@require_POST
def large_type(request):
    """The 大字版 switch: remembered in a cookie for a year, honoured by every page (base.html reads it)."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("portal:home")
    response = HttpResponseRedirect(target)
    if request.POST.get("large") == "1":
        response.set_cookie(LARGE_TYPE_COOKIE, "1", max_age=LARGE_TYPE_COOKIE_AGE, samesite="Lax",
                            secure=request.is_secure())
    else:
        response.delete_cookie(LARGE_TYPE_COOKIE, samesite="Lax")
    return response
