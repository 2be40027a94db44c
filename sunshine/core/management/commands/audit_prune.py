"""Delete audit records older than AUDIT_RETENTION_DAYS (never fewer than 180 days); run daily from cron/beat."""
from django.core.management.base import BaseCommand

from sunshine.core.audit import audit_prune, retention_days


class Command(BaseCommand):
    help = "Delete security audit records past the retention period (at least 180 days)."

    def handle(self, *args, **options):
        deleted = audit_prune()
        self.stdout.write(f"deleted {deleted} audit records older than {retention_days()} days")
