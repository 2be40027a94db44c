"""`sunshine import_transactions FILE [--dry-run] --user NAME`: 导入村级银行账户收支明细(每笔短信告知村级监督员)."""
from sunshine.funds.importers import TransactionImporter
from sunshine.funds.importers.command import ImportCommand


class Command(ImportCommand):
    help = "导入村级银行账户收支明细（每笔短信告知村级监督员）"
    importer_class = TransactionImporter

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--account", help="文件没有“账号”列时，所有行记入该村级账户（账号）")

    def importer_options(self, options) -> dict:
        return {"account": options.get("account")}
