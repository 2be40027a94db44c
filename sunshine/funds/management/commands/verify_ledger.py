"""`sunshine verify_ledger`: re-compute the ledger's hash chain and re-hash every published record from the live
tables; exit non-zero naming the first record changed behind the platform's back (e.g. by an SQL UPDATE)."""
from django.core.management.base import BaseCommand, CommandError

from sunshine.funds.verification import ledger_verify

PROBLEMS_PRINTED = 20


class Command(BaseCommand):
    help = "核验公示账本：重算哈希链，并用现有数据重算每条已公示记录的摘要"

    def handle(self, *args, **options):
        report = ledger_verify()
        if report.ok:
            self.stdout.write(f"账本完好：{report.entries_checked} 条账本记录，{report.records_checked} 条已公示记录均与公示时一致。")
            return
        for problem in report.problems[:PROBLEMS_PRINTED]:
            self.stderr.write(str(problem))
        if len(report.problems) > PROBLEMS_PRINTED:
            self.stderr.write(f"……另有 {len(report.problems) - PROBLEMS_PRINTED} 处不一致")
        raise CommandError(f"账本核验未通过：{report.first_problem}")
