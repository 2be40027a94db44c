"""Public pages: the declared exception to login-required (see docs/architecture.md)."""
from django.urls import path

from sunshine.core.urlhooks import optional_patterns

from . import open311, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("large-type/", views.large_type, name="large_type"),
    # Open311 GeoReport v2 (JSON): civic-reporting clients file reports with a key from the governance office.
    path("open311/v2/services.json", open311.services_list, name="open311_services"),
    path("open311/v2/requests.json", open311.requests_create, name="open311_requests"),
]

# Each domain's public pages live in portal/urls_<domain>.py and portal/views_<domain>.py.
urlpatterns += optional_patterns("sunshine.portal", ["funds", "cases"])
