"""Public pages: the declared exception to login-required (see docs/architecture.md)."""
from django.urls import path

from sunshine.core.urlhooks import optional_patterns

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("large-type/", views.large_type, name="large_type"),
]

# Each domain's public pages live in portal/urls_<domain>.py and portal/views_<domain>.py.
urlpatterns += optional_patterns("sunshine.portal", ["funds", "cases"])
