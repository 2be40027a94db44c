"""`{% export_link "payments" %}`: the list's "导出 Excel" link with the page's query string, and for a list with
personal numbers a reason field for a reader who may export them in full."""
from __future__ import annotations

from django import template
from django.urls import reverse

from sunshine.org.capabilities import has_capability
from sunshine.stats.capabilities import Capability

from ..exports import REGISTRY

register = template.Library()


@register.inclusion_tag("desk/partials/export_link.html", takes_context=True)
def export_link(context, name: str, label: str = "", **path_args):
    """`path_args` carry what the page's path names (the session of a sign-in list, the client of a case list)."""
    request = context["request"]
    entry = REGISTRY[name]
    actor = request.user
    query = request.GET.copy()
    for key in ("page", "reason"):
        query.pop(key, None)
    for key, value in path_args.items():
        query[key] = str(value)
    return {
        "can_export": has_capability(actor, Capability.EXPORT),
        "can_unmask": bool(entry.sensitive) and has_capability(actor, Capability.UNMASK),
        "masked": bool(entry.sensitive),
        "url": reverse("desk:list_export", args=[name]), "query": query.urlencode(),
        "hidden": [(k, v) for k, values in query.lists() for v in values], "label": label, "name": name,
    }
