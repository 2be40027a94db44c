"""Retrain the problem-type classifier on the seed set plus every staff confirmation and correction."""
from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "用标注样本和工作人员确认/更正的问题类型重新训练举报分类模型"

    def add_arguments(self, parser):
        parser.add_argument("--if-due", action="store_true",
                            help="只在自上次训练以来新增的人工标注达到阈值时训练（适合定时运行）")
        parser.add_argument("--after", type=int, default=None, help="--if-due 的阈值（默认 20 条）")

    def handle(self, *args, if_due=False, after=None, **options):
        from sunshine.cases import classifier

        if if_due:
            threshold = after if after is not None else classifier.RETRAIN_AFTER_LABELS
            if not classifier.retrain_if_due(after=threshold):
                self.stdout.write(f"新增人工标注不足 {threshold} 条，未重新训练")
                return
            model = classifier.current_model()
        else:
            model = classifier.retrain()
        meta = model.meta
        self.stdout.write(
            f"已训练：种子样本 {meta.get('seed_examples')} 条，人工标注 {meta.get('staff_examples')} 条，"
            f"模型文件 {classifier.model_path()}"
        )
