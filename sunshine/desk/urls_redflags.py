"""Staff pages of the data comparison (大数据比对): hits to review, the rules page, the registries."""
from django.urls import path

from . import views_redflags

urlpatterns = [
    path("redflags/", views_redflags.hit_list, name="redflags_hits"),
    path("redflags/hits/<int:hit_id>/", views_redflags.hit_detail, name="redflags_hit"),
    path("redflags/hits/<int:hit_id>/review/", views_redflags.hit_review_view, name="redflags_hit_review"),
    path("redflags/rules/", views_redflags.rule_list, name="redflags_rules"),
    path("redflags/rules/<str:code>/switch/", views_redflags.rule_switch, name="redflags_rule_switch"),
    path("redflags/rules/<str:code>/threshold/", views_redflags.rule_threshold, name="redflags_rule_threshold"),
    path("redflags/run/", views_redflags.run_start, name="redflags_run"),
    path("redflags/registries/", views_redflags.registries, name="redflags_registries"),
    path("redflags/registries/<str:kind>/template.xlsx", views_redflags.registry_template_download,
         name="redflags_registry_template"),
]
