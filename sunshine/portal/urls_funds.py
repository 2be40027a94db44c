"""Public disclosure URLs (三(二)3), included in the "portal" namespace by portal/urls.py."""
from django.urls import path

from . import views_funds as views

urlpatterns = [
    path("funds/", views.township_index, name="funds_townships"),
    path("funds/township/<str:code>/", views.township_detail, name="funds_township"),
    path("funds/village/<str:code>/", views.village_detail, name="funds_village"),
    path("check/", views.household_check, name="funds_check"),
    path("check/code/", views.household_code_request, name="funds_check_code"),
    path("check/code/verify/", views.household_code_verify, name="funds_check_verify"),
    # The personal link in every payment SMS (sunshine.core.public_urls.HOUSEHOLD_PATH): keep this path stable.
    path("h/<str:token>", views.household_page, name="funds_household"),
    # The QR code printed on every PDF notice points here: keep this path stable.
    path("notices/<str:code>/", views.notice_detail, name="funds_notice"),
    path("verify/", views.notice_verify, name="funds_verify"),
    path("objection/", views.objection_fallback, name="objection_fallback"),
]
