"""A URLconf without the report desk's public form, to test the objection link's fallback page."""
from django.urls import include, path
from django.views.i18n import set_language

from sunshine.portal import urls_funds, views

urlpatterns = [
    path("", include(([path("", views.home, name="home"), *urls_funds.urlpatterns], "portal"))),
    path("i18n/setlang/", set_language, name="set_language"),
]
