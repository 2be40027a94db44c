"""File imports of the funds record types (see base.py for the pipeline)."""
from __future__ import annotations

from ..registry import RECORD_KINDS
from .allocations import AllocationImporter
from .base import Importer, ImportResult, import_job_run, run_import
from .payments import PaymentImporter
from .projects import ProjectImporter
from .spending import SpendingImporter
from .transactions import TransactionImporter

# Record type (also the URL slug and the command's noun) → importer, as funds.registry names it, plus the project
# spending ledger (三(二)3 资金使用情况), which is imported like them but is not a disclosed record type of its own;
# ImportJob.kind is the importer's `kind`.
IMPORTERS: dict[str, type[Importer]] = {kind.value: kind.importer for kind in RECORD_KINDS.values()}
IMPORTERS["spending"] = SpendingImporter
BY_JOB_KIND = {cls.kind: cls for cls in IMPORTERS.values()}

__all__ = ["AllocationImporter", "BY_JOB_KIND", "IMPORTERS", "ImportResult", "Importer", "PaymentImporter",
           "ProjectImporter", "TransactionImporter", "import_job_run", "run_import"]
