from django.urls import path

from . import views_imports

urlpatterns = [
    path("imports/households/", views_imports.household_import, name="household_import"),
    path("imports/regions/", views_imports.region_import, name="region_import"),
    path("imports/template/<slug:kind>.xlsx", views_imports.import_template, name="import_template"),
    path("households/export/", views_imports.household_export, name="household_export"),
    path("imports/<int:job_id>/", views_imports.import_job, name="import_job"),
    path("imports/<int:job_id>/retry/", views_imports.import_job_retry_view, name="import_job_retry"),
]
