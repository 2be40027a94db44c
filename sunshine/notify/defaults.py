"""The SMS template codes other apps rely on; their default texts are in migration 0002."""
from __future__ import annotations

PAYMENT_NOTICE = "payment_notice"
ACCOUNT_TRANSACTION = "account_transaction"
REPORT_ACCEPTED = "report_accepted"
REPORT_CLOSED = "report_closed"
FUNDS_RETURNED = "funds_returned"
DEADLINE_REMINDER = "deadline_reminder"
HOUSEHOLD_CODE = "household_code"
RECTIFICATION_OVERDUE = "rectification_overdue"
REQUIRED_CODES = (PAYMENT_NOTICE, ACCOUNT_TRANSACTION, REPORT_ACCEPTED, REPORT_CLOSED, FUNDS_RETURNED,
                  DEADLINE_REMINDER, HOUSEHOLD_CODE, RECTIFICATION_OVERDUE)
