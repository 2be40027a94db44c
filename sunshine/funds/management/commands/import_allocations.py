"""`sunshine import_allocations FILE [--dry-run] --user NAME`: 导入各级扶贫资金分配结果."""
from sunshine.funds.importers import AllocationImporter
from sunshine.funds.importers.command import ImportCommand


class Command(ImportCommand):
    help = "导入各级扶贫资金分配结果"
    importer_class = AllocationImporter
