"""The shared body of `sunshine import_payments|import_transactions|import_allocations|import_projects FILE
--user NAME`: the account's jurisdiction is what the file may write into, as for its upload on the desk."""
from __future__ import annotations

from sunshine.core.importcommand import ImportJobCommand
from sunshine.core.scoping import Scope

from .base import run_import


def scope_for_unit(unit) -> Scope | None:
    """What an import run for `unit` may write into: its territory (None: the whole city)."""
    if unit is None:
        return None
    territory = unit.territory
    if territory is not None and territory.parent_id is None:
        return None
    paths = (territory.path,) if territory is not None else ()
    return Scope(region_paths=paths, unit_ids=frozenset({unit.pk}))


class ImportCommand(ImportJobCommand):
    importer_class: type

    @property
    def kind(self) -> str:
        return self.importer_class.kind

    def importer_options(self, options) -> dict:
        return {}

    def check_actor(self, actor) -> None:
        from sunshine.org.capabilities import require

        from ..capabilities import Capability

        require(actor, Capability.IMPORT)

    def work(self, job, *, actor, dry_run, progress, options):
        from sunshine.org.jurisdiction import scope_for

        scope = scope_for(actor)
        importer = self.importer_class(scope=None if scope.whole_city else scope, actor=actor,
                                       unit=getattr(actor, "unit", None), job=job,
                                       options=self.importer_options(options))
        return run_import(importer, source=job.stored_path, filename=job.filename, dry_run=dry_run,
                          progress=lambda stage, done, total: progress(done, total))
