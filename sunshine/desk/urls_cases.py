"""Staff pages of the report desk; included in the "desk" namespace."""
from django.urls import path

from . import views_api_clients as clients
from . import views_cases as v

urlpatterns = [
    path("cases/", v.case_queue, name="cases"),
    path("cases/new/", v.case_enter, name="case_enter"),
    path("cases/overdue/", v.overdue_list, name="cases_overdue"),
    path("cases/recoveries/", v.recovery_list, name="cases_recoveries"),
    path("cases/office/copies/", v.office_copies, name="cases_copies"),
    path("cases/office/identity-log/", v.office_identity_log, name="cases_identity_log"),
    path("cases/office/exposures/", v.exposure_reviews, name="cases_exposure_reviews"),
    path("cases/office/exposures/<int:exposure_id>/review/", v.exposure_review, name="case_exposure_review"),
    path("cases/office/api-clients/", clients.api_client_list, name="cases_api_clients"),
    path("cases/office/api-clients/<int:client_id>/revoke/", clients.api_client_revoke, name="cases_api_client_revoke"),
    path("cases/office/api-clients/<int:client_id>/", clients.api_client_cases, name="cases_api_client"),
    path("cases/attachments/<int:attachment_id>/", v.case_attachment, name="case_attachment"),
    path("cases/<int:case_id>/", v.case_detail, name="case"),
    path("cases/<int:case_id>/transition/", v.case_transition, name="case_transition"),
    path("cases/<int:case_id>/handler/", v.case_assign_handler, name="case_handler"),
    path("cases/<int:case_id>/urge/", v.case_urge, name="case_urge"),
    path("cases/<int:case_id>/ask/", v.case_ask, name="case_ask"),
    path("cases/<int:case_id>/type/", v.case_confirm_type, name="case_confirm_type"),
    path("cases/<int:case_id>/priority/", v.case_set_priority, name="case_priority"),
    path("cases/<int:case_id>/transfer/", v.case_transfer, name="case_transfer"),
    path("cases/<int:case_id>/suspected/", v.case_suspected, name="case_suspected"),
    path("cases/<int:case_id>/escalate/", v.case_escalate, name="case_escalate"),
    path("cases/<int:case_id>/duplicate/", v.case_duplicate, name="case_duplicate"),
    path("cases/<int:case_id>/accountability/", v.case_accountability, name="case_accountability"),
    path("cases/<int:case_id>/recovery/", v.case_recovery, name="case_recovery"),
    path("cases/<int:case_id>/recoveries/<int:recovery_id>/return/", v.case_fund_return, name="case_fund_return"),
    path("cases/<int:case_id>/recall/", v.case_recall, name="case_recall"),
    path("cases/<int:case_id>/dual/", v.case_dual, name="case_dual"),
    path("cases/<int:case_id>/exposure/", v.case_exposure, name="case_exposure"),
    path("cases/<int:case_id>/identity/", v.case_identity, name="case_identity"),
]
