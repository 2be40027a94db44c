"""Staff pages of funds disclosure (三(二)3), included in the "desk" namespace by desk/urls.py."""
from django.urls import path

from . import views_funds as views
from . import views_publishing

urlpatterns = [
    path("funds/", views.funds_home, name="funds_home"),
    path("funds/allocations/", views.allocation_list, name="funds_allocations"),
    path("funds/allocations/new/", views.allocation_new, name="funds_allocation_new"),
    path("funds/projects/", views.project_list, name="funds_projects"),
    path("funds/projects/new/", views.project_new, name="funds_project_new"),
    path("funds/projects/<int:pk>/transition/", views.project_transition_view, name="funds_project_transition"),
    path("funds/payments/", views.payment_list, name="funds_payments"),
    path("funds/payments/new/", views.payment_new, name="funds_payment_new"),
    path("funds/accounts/", views.account_list, name="funds_accounts"),
    path("funds/accounts/new/", views.account_new, name="funds_account_new"),
    path("funds/transactions/", views.transaction_list, name="funds_transactions"),
    path("funds/transactions/new/", views.transaction_new, name="funds_transaction_new"),
    path("funds/imports/<str:record_type>/", views.import_upload, name="funds_import"),
    path("funds/imports/<str:record_type>/template.xlsx", views.import_template, name="funds_import_template"),
    path("funds/projects/<int:pk>/spending/", views.project_spending_new, name="funds_project_spending_new"),
    path("funds/notices/", views.notice_list, name="funds_notices"),
    path("funds/waiting/", views_publishing.payments_waiting, name="funds_waiting"),
    path("funds/waiting/<int:village_id>/draft/", views_publishing.payments_waiting_draft, name="funds_waiting_draft"),
    path("funds/notices/new/", views.notice_new, name="funds_notice_new"),
    path("funds/notices/records/", views.notice_records, name="funds_notice_records"),
    path("funds/notices/<int:pk>/", views.notice_detail, name="funds_notice"),
    path("funds/notices/<int:pk>/publish/", views.notice_publish_view, name="funds_notice_publish"),
    path("funds/notices/<int:pk>/delete/", views.notice_delete_view, name="funds_notice_delete"),
    path("funds/notices/<int:pk>/pdf/", views.notice_pdf_view, name="funds_notice_pdf"),
    path("funds/ledger/verify/", views.ledger_verify_view, name="funds_ledger_verify"),
    # Record pages for the four types (record_type: allocation, project, payment, transaction); kept last so the
    # fixed paths above win.
    path("funds/<str:record_type>/<int:pk>/", views.record_detail, name="funds_record"),
    path("funds/<str:record_type>/<int:pk>/edit/", views.record_edit, name="funds_record_edit"),
    path("funds/<str:record_type>/<int:pk>/correct/", views.record_correct_view, name="funds_record_correct"),
]
