"""Verify the audit chain: every record's hash and its link to the one before (exit status 1 when broken)."""
from django.core.management.base import BaseCommand, CommandError

from sunshine.core.audit import audit_verify


class Command(BaseCommand):
    help = "Verify the hash chain of the security audit records."

    def handle(self, *args, **options):
        result = audit_verify()
        if not result.ok:
            raise CommandError(f"audit chain BROKEN at record {result.first_bad_id} after {result.checked} good "
                               f"records: {result.reason}")
        self.stdout.write(f"audit chain OK: {result.checked} records")
