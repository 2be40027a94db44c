"""`sunshine punctuation [--fix] [--catalogue]`: half-width punctuation in Chinese text (GB/T 15834), listed or fixed.

Run with --fix --catalogue after merging branches and before `make messages`: the catalogue's msgids are changed
the same way, so the English translations stay attached to their (now full-width) Chinese source strings.
"""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sunshine.core import punctuation


class Command(BaseCommand):
    help = "List (or fix with --fix) half-width punctuation in Chinese text of templates and strings."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="rewrite the files in place")
        parser.add_argument("--catalogue", action="store_true", help="also the msgids of locale/*/django.po")

    def handle(self, *args, fix: bool, catalogue: bool, **options):
        root = Path(settings.BASE_DIR)
        total = 0
        for path in punctuation.project_files(root, catalogue=catalogue):
            if fix:
                changed = punctuation.fix(path)
                if changed:
                    total += changed
                    self.stdout.write(f"{path.relative_to(root)}: {changed}")
            else:
                for spot in punctuation.scan(path):
                    total += 1
                    self.stdout.write(f"{Path(spot.path).relative_to(root)}:{spot.line}: {spot.text}")
        self.stdout.write(f"{'fixed' if fix else 'found'} {total}")
        if total and not fix:
            raise CommandError("half-width punctuation in Chinese text: run `sunshine punctuation --fix`")
