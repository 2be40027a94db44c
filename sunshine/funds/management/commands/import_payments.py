"""`sunshine import_payments FILE [--dry-run] --user NAME`: 导入扶贫明白卡到户资金发放清单(每笔生成一条短信)."""
from sunshine.funds.importers import PaymentImporter
from sunshine.funds.importers.command import ImportCommand


class Command(ImportCommand):
    help = "导入扶贫明白卡到户资金发放清单（每笔生成一条短信）"
    importer_class = PaymentImporter
