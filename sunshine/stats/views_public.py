"""阳光监督 in numbers: the public statistics page (no login; counts below 3 shown as "<3")."""
from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .public import public_stats


def _chart(stats) -> dict:
    def num(v):
        return v if isinstance(v, int) else None  # a suppressed count is not drawn

    return {"type": "bar", "title": "各乡镇收到举报",
            "categories": [t.name for t in stats.townships],
            "series": [{"name": "举报件数", "data": [num(t.reports) for t in stats.townships]},
                       {"name": "按时答复", "data": [num(t.replied_on_time) for t in stats.townships]}]}


@require_GET
def numbers(request):
    stats = public_stats()
    return render(request, "stats/public.html", {"stats": stats, "chart": _chart(stats)})
