from django.urls import path

from . import views_imports

urlpatterns = [
    path("imports/households/", views_imports.household_import, name="household_import"),
    path("imports/<int:job_id>/", views_imports.import_job, name="import_job"),
    path("imports/<int:job_id>/retry/", views_imports.import_job_retry_view, name="import_job_retry"),
]
