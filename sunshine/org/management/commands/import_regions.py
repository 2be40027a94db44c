"""`sunshine import_regions FILE --user NAME [--dry-run]`: the statistics bureau's division list (统计用区划代码,
城乡分类代码, 名称; CSV or XLSX) into the registry's regions, idempotent, recorded as an import job."""
from sunshine.core.importcommand import ImportJobCommand
from sunshine.org.regions_import import KIND, regions_import


class Command(ImportJobCommand):
    help = "Import the national division list （统计用区划代码， 城乡分类代码， 名称） of the city's townships and villages."
    kind = KIND

    def check_actor(self, actor) -> None:
        from sunshine.org.capabilities import Capability, require

        require(actor, Capability.IMPORT_REGIONS)

    def work(self, job, *, actor, dry_run, progress, options):
        return regions_import(path=job.stored_path, filename=job.filename, actor=actor, dry_run=dry_run,
                              progress=progress)
