"""Public report pages (三(三)1), included in the "portal" namespace by portal/urls.py."""
from django.urls import path

from . import views_cases as views

urlpatterns = [
    path("report/", views.report_new, name="report_new"),
    path("report/villages/", views.report_villages, name="report_villages"),
    # The receipt code is typed into a POST form here: it never appears in a URL.
    path("report/status/", views.report_status, name="report_status"),
    path("exposures/", views.exposure_list, name="exposure_list"),
    path("exposures/<int:pk>/", views.exposure_detail, name="exposure_detail"),
]
