"""`sunshine import_households FILE --user NAME [--dry-run]`: import 建档立卡 households from XLSX/CSV, all or
nothing, recorded as an import job with an audit row naming the account."""
from sunshine.core.importcommand import ImportJobCommand
from sunshine.org.importers import KIND, households_import


class Command(ImportJobCommand):
    help = "Import households of the 建档立卡 registry from an XLSX or CSV (UTF-8/GBK) export."
    kind = KIND

    def check_actor(self, actor) -> None:
        from sunshine.org.capabilities import Capability, require

        require(actor, Capability.IMPORT_HOUSEHOLDS)

    def work(self, job, *, actor, dry_run, progress, options):
        return households_import(path=job.stored_path, filename=job.filename, actor=actor, dry_run=dry_run, job_id=job.pk,
                                 progress=progress)
