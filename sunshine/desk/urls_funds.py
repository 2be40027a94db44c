"""Staff pages of funds disclosure (三(二)3), included in the "desk" namespace by desk/urls.py."""
from django.urls import path

from . import views_funds as lists
from . import views_funds_entry as entry
from . import views_funds_imports as imports
from . import views_funds_notices as notices
from . import views_funds_records as records
from . import views_publishing

urlpatterns = [
    path("funds/", lists.funds_home, name="funds_home"),
    path("funds/allocations/", lists.allocation_list, name="funds_allocations"),
    path("funds/allocations/new/", entry.allocation_new, name="funds_allocation_new"),
    path("funds/projects/", lists.project_list, name="funds_projects"),
    path("funds/projects/new/", entry.project_new, name="funds_project_new"),
    path("funds/projects/<int:pk>/transition/", records.project_transition_view, name="funds_project_transition"),
    path("funds/payments/", lists.payment_list, name="funds_payments"),
    path("funds/payments/new/", entry.payment_new, name="funds_payment_new"),
    path("funds/accounts/", lists.account_list, name="funds_accounts"),
    path("funds/accounts/new/", entry.account_new, name="funds_account_new"),
    path("funds/transactions/", lists.transaction_list, name="funds_transactions"),
    path("funds/transactions/new/", entry.transaction_new, name="funds_transaction_new"),
    path("funds/imports/<str:record_type>/", imports.import_upload, name="funds_import"),
    path("funds/notices/", notices.notice_list, name="funds_notices"),
    path("funds/imports/<str:record_type>/template.xlsx", imports.import_template, name="funds_import_template"),
    path("funds/projects/<int:pk>/spending/", records.project_spending_new, name="funds_project_spending_new"),
    path("funds/waiting/", views_publishing.payments_waiting, name="funds_waiting"),
    path("funds/waiting/<int:village_id>/draft/", views_publishing.payments_waiting_draft, name="funds_waiting_draft"),
    path("funds/notices/new/", notices.notice_new, name="funds_notice_new"),
    path("funds/notices/records/", notices.notice_records, name="funds_notice_records"),
    path("funds/notices/<int:pk>/", notices.notice_detail, name="funds_notice"),
    path("funds/notices/<int:pk>/publish/", notices.notice_publish_view, name="funds_notice_publish"),
    path("funds/notices/<int:pk>/delete/", notices.notice_delete_view, name="funds_notice_delete"),
    path("funds/notices/<int:pk>/pdf/", notices.notice_pdf_view, name="funds_notice_pdf"),
    path("funds/ledger/verify/", notices.ledger_verify_view, name="funds_ledger_verify"),
    # Record pages for the four types (record_type: allocation, project, payment, transaction); kept last so the
    # fixed paths above win.
    path("funds/<str:record_type>/<int:pk>/", records.record_detail, name="funds_record"),
    path("funds/<str:record_type>/<int:pk>/edit/", records.record_edit, name="funds_record_edit"),
    path("funds/<str:record_type>/<int:pk>/correct/", records.record_correct_view, name="funds_record_correct"),
]
