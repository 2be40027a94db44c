"""File imports of the funds record types (see base.py for the pipeline)."""
from __future__ import annotations

from .allocations import AllocationImporter
from .base import Importer, ImportResult, import_job_run, run_import
from .payments import PaymentImporter
from .projects import ProjectImporter
from .spending import SpendingImporter
from .transactions import TransactionImporter

# Record type (also the URL slug and the command's noun) → importer; ImportJob.kind is the importer's `kind`.
IMPORTERS: dict[str, type[Importer]] = {
    "payment": PaymentImporter,
    "transaction": TransactionImporter,
    "allocation": AllocationImporter,
    "project": ProjectImporter,
    "spending": SpendingImporter,  # 三(二)3 资金使用情况: project payments (issue 14)
}
BY_JOB_KIND = {cls.kind: cls for cls in IMPORTERS.values()}

__all__ = ["IMPORTERS", "BY_JOB_KIND", "ImportResult", "Importer", "import_job_run", "run_import"]
