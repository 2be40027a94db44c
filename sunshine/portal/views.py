"""Public portal pages: no login, personal data masked, light enough for a cheap phone on a slow network."""
from django.shortcuts import render

from sunshine.org.selectors import member_units, problem_types


def home(request):
    return render(request, "portal/home.html", {"problem_groups": _grouped(problem_types()),
                                                "member_units": member_units()})


def _grouped(types):
    groups: dict = {}
    for t in types:
        groups.setdefault(t.group, []).append(t)
    return groups.items()
