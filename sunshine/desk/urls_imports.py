from django.urls import path

from . import views_imports

urlpatterns = [
    path("imports/households/", views_imports.household_import, name="household_import"),
    path("imports/<int:job_id>/", views_imports.import_job, name="import_job"),
]
