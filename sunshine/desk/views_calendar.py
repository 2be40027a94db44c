"""工作日历: the years the working-day calendar knows, their holidays and 调休 days, and the office's form for a year
the chinesecalendar package does not know yet."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sunshine.core.errors import ApplicationError
from sunshine.core.models import CalendarYear
from sunshine.org.calendar import calendar_year_enter, next_year_missing
from sunshine.org.capabilities import Capability, has_capability, require


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request):
    require(request.user, Capability.VIEW_ORG)
    today = timezone.localdate()
    can_edit = has_capability(request.user, Capability.MANAGE_CALENDAR)
    year_text = request.POST.get("year") or request.GET.get("year") or ""
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else today.year
    error = None
    form = {"holidays": "", "workdays": "", "document": ""}
    if request.method == "POST":
        require(request.user, Capability.MANAGE_CALENDAR)
        form = {k: request.POST.get(k, "") for k in form}
        try:
            calendar_year_enter(actor=request.user, year=year, **form)
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, _("已录入 %(year)s 年的节假日安排，跨入该年的办理期限此后按正式日历计算。") % {"year": year})
            return redirect(f"{request.path}?year={year}")
    entry = CalendarYear.objects.filter(year=year).select_related("entered_by").first()
    years = list(CalendarYear.objects.filter(year__gte=today.year - 2).order_by("-year"))
    return render(request, "desk/calendar.html", {
        "year": year, "entry": entry, "days": entry.days.all() if entry else [], "years": years,
        "missing": next_year_missing(today), "next_year": today.year + 1, "can_edit": can_edit,
        "editable": can_edit and (entry is None or entry.source == CalendarYear.Source.OFFICE),
        "form": form, "error": error,
    }, status=400 if error else 200)
