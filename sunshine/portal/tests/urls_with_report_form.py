"""A URLconf in which the report desk's public form exists, to test the objection link's preferred target."""
from django.http import HttpResponse
from django.urls import include, path

from sunshine.portal import urls as portal_urls


def _report_form(request):
    return HttpResponse("report form")


urlpatterns = [
    path("", include(([path("report/new/", _report_form, name="report_new"), *portal_urls.urlpatterns],
                      "portal"))),
]
