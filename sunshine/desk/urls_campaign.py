"""Staff pages of the campaign registers (i13b), included in the "desk" namespace by desk/urls.py."""
from django.urls import path

from . import views_campaign as views

urlpatterns = [
    path("oversight/registers/", views.campaign_home, name="campaign_home"),
    path("oversight/data-requests/", views.data_requests, name="campaign_data_requests"),
    path("oversight/documents/", views.documents, name="campaign_documents"),
    path("oversight/project-filing/", views.project_filing, name="campaign_project_filing"),
    path("oversight/trainings/", views.trainings, name="campaign_trainings"),
    path("oversight/trainings/<int:pk>/", views.training_session, name="campaign_training_session"),
    path("oversight/trainings/<int:pk>/sign-in-sheet/", views.training_sign_in_sheet,
         name="campaign_training_sign_in_sheet"),
    path("oversight/inspections/", views.inspections, name="campaign_inspections"),
    path("oversight/inspections/<int:pk>/", views.inspection_detail, name="campaign_inspection"),
    path("oversight/micro-powers/", views.micro_powers, name="campaign_micro_powers"),
    path("oversight/micro-powers/<int:village_id>/", views.micro_power_village, name="campaign_micro_power_village"),
    path("oversight/grids/", views.grids, name="campaign_grids"),
    path("oversight/weak-orgs/", views.weak_orgs, name="campaign_weak_orgs"),
    path("oversight/tasks/", views.tasks, name="campaign_tasks"),
    path("oversight/assessments/", views.assessments, name="campaign_assessments"),
    path("oversight/assessments/<int:unit_id>/", views.assessment_detail, name="campaign_assessment"),
    path("oversight/inspections/new/", views.inspection_new, name="campaign_inspection_new"),
    path("oversight/inspections/<int:pk>/findings/new/", views.inspection_finding_new,
         name="campaign_inspection_finding_new"),
    path("oversight/trainings/new/", views.training_session_new, name="campaign_training_session_new"),
    path("oversight/trainings/<int:pk>/sign-in/", views.training_sign_in_names, name="campaign_training_sign_in"),
    path("oversight/documents/new/", views.document_new, name="campaign_document_new"),
    path("oversight/tasks/new/", views.task_new, name="campaign_task_new"),
    path("oversight/tasks/<int:pk>/progress/", views.task_progress, name="campaign_task_progress"),
    path("oversight/micro-powers/<int:village_id>/new/", views.micro_power_new, name="campaign_micro_power_new"),
    path("oversight/weak-orgs/new/", views.weak_org_new, name="campaign_weak_org_new"),
    path("oversight/weak-orgs/<int:pk>/lift/", views.weak_org_lift, name="campaign_weak_org_lift"),
    path("oversight/trainings/plans/new/", views.training_plan_new, name="campaign_training_plan_new"),
    path("oversight/grids/new/", views.grid_new, name="campaign_grid_new"),
    path("oversight/village-assessments/new/", views.village_assessment_new, name="campaign_village_assessment_new"),
    path("oversight/commitments/<int:pk>/check/", views.commitment_check, name="campaign_commitment_check"),
]
