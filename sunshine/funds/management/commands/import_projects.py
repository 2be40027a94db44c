"""`sunshine import_projects FILE [--dry-run] --user NAME`: 导入扶贫项目库."""
from sunshine.funds.importers import ProjectImporter
from sunshine.funds.importers.command import ImportCommand


class Command(ImportCommand):
    help = "导入扶贫项目库"
    importer_class = ProjectImporter
