"""Staff pages of oversight's field work (i13a); included in the "desk" namespace."""
from django.urls import path

from . import views_oversight_field as v

urlpatterns = [
    path("oversight/visits/", v.visit_list, name="oversight_visits"),
    path("oversight/visits/new/", v.visit_new, name="oversight_visit_new"),
    path("oversight/quotas/", v.quotas, name="oversight_quotas"),
    path("oversight/petitions/", v.petitions, name="oversight_petitions"),
    path("oversight/petitions/assign/", v.petition_assign, name="oversight_petition_assign"),
    path("oversight/petitions/<int:assignment_id>/", v.petition_detail, name="oversight_petition"),
    path("oversight/petitions/<int:assignment_id>/instruct/", v.petition_instruct, name="oversight_petition_instruct"),
    path("oversight/petitions/<int:assignment_id>/meeting/", v.petition_meeting, name="oversight_petition_meeting"),
    path("oversight/rectifications/", v.rectifications, name="oversight_rectifications"),
    path("oversight/rectifications/new/", v.rectification_new, name="oversight_rectification_new"),
    path("oversight/rectifications/<int:item_id>/", v.rectification_detail, name="oversight_rectification"),
    path("oversight/rectifications/<int:item_id>/done/", v.rectification_done, name="oversight_rectification_done"),
    path("oversight/rectifications/<int:item_id>/follow-up/", v.rectification_follow_up,
         name="oversight_rectification_follow_up"),
    path("oversight/presence/", v.presence, name="oversight_presence"),
    path("oversight/presence/new/", v.presence_new, name="oversight_presence_new"),
    path("oversight/presence/recall/<int:case_id>/", v.presence_recall, name="oversight_presence_recall"),
    path("oversight/interviews/", v.interviews, name="oversight_interviews"),
    path("oversight/interviews/new/", v.interview_new, name="oversight_interview_new"),
    path("oversight/leading-group/", v.leading_group, name="oversight_leading_group"),
    path("oversight/leading-group/add/", v.leading_group_add, name="oversight_leading_group_add"),
    path("oversight/leading-group/<int:member_id>/end/", v.leading_group_end, name="oversight_leading_group_end"),
    path("oversight/plan/", v.plan_values, name="oversight_plan"),
    path("oversight/cards/", v.cards, name="oversight_cards"),
    path("oversight/cards/<int:village_id>.pdf", v.cards_pdf, name="oversight_cards_pdf"),
]
