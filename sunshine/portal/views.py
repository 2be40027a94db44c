"""Public portal pages: no login, personal data masked, light enough for a cheap phone on a slow network."""
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from sunshine.org.selectors import member_units, problem_types

from .caching import public_cache


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
