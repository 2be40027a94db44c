"""`sunshine redflags run` (the rule set, on the database or on Spark) and `sunshine redflags export DIR` (Parquet).

    sunshine redflags run                      # incremental, in the database
    sunshine redflags run --full               # every row again
    sunshine redflags run --engine spark --master spark://host:7077 --export /lake/city   # on a cluster
    sunshine redflags export /lake/city        # the tables the rules read, as Parquet partitioned by city
"""
from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "数据比对：运行比对规则（数据库或Spark），或导出Parquet供Spark集群使用。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="run the rules and turn new hits into clues")
        run.add_argument("--engine", choices=("db", "spark"), default="db")
        run.add_argument("--full", action="store_true", help="every row, not only what arrived since the last run")
        run.add_argument("--rules", default="", help="comma-separated rule codes (default: every enabled rule)")
        run.add_argument("--master", default=None,
                         help="Spark master URL (spark://host:7077, yarn, local[4]; default local[2])")
        run.add_argument("--export", dest="export_dir", default=None,
                         help="Spark: the Parquet export to read (default: export this database to a temp dir)")
        run.add_argument("--no-clues", action="store_true", help="record the hits without making clues")
        export = sub.add_parser("export", help="write the tables the rules read as Parquet, partitioned by city")
        export.add_argument("directory")

    def handle(self, *args, **options):
        if options["action"] == "export":
            return self._export(options["directory"])
        return self._run(options)

    def _export(self, directory: str) -> None:
        from sunshine.redflags.export import export
        from sunshine.redflags.services import (
            payment_slots_refresh,
            person_keys_refresh,
            registry_keys_refresh,
        )

        started = time.perf_counter()
        person_keys_refresh()  # the beneficiaries' keys as the rules need them
        payment_slots_refresh()  # and the payment slots R08 and R09 read
        registry_keys_refresh()  # and the person keys a registry lists
        tables = export(directory, progress=lambda t: self.stdout.write(
            f"  {t.logical:<12} {t.rows:>12,} rows  ({t.db_table}{'' if t.regional else ', registry'})"))
        total = sum(t.rows for t in tables)
        self.stdout.write(f"exported {len(tables)} tables, {total:,} rows to {directory} "
                          f"in {time.perf_counter() - started:.1f} s")

    def _run(self, options) -> None:
        from sunshine.redflags.engine import run_rules
        from sunshine.redflags.rules import RULES_BY_CODE

        codes = [c.strip().upper() for c in options["rules"].split(",") if c.strip()] or None
        unknown = [c for c in codes or [] if c not in RULES_BY_CODE]
        if unknown:
            raise CommandError(f"unknown rule code(s): {', '.join(unknown)}")
        from tqdm import tqdm

        from sunshine.redflags.services import rules_enabled

        started = time.perf_counter()
        # One step per rule run (the enabled ones among those asked for); tqdm draws the bar on a terminal.
        bar = tqdm(total=len(rules_enabled(codes)), unit="rule", desc="大数据比对", file=sys.stderr,
                   disable=None if sys.stderr.isatty() else True)

        done: list[str] = []

        def progress(code: str) -> None:
            done.append(code)
            bar.set_postfix_str(code)
            bar.update(1)
            if bar.disable:
                self.stdout.write(f"  {code} done ({len(done)}/{bar.total}, {time.perf_counter() - started:.1f} s)")

        kwargs = {"engine": options["engine"], "full": options["full"], "codes": codes, "progress": progress,
                  "make_clues": not options["no_clues"]}
        if options["engine"] == "spark":
            from sunshine.redflags.engines import spark

            run = spark.run_rules(full=options["full"], codes=codes, progress=progress, master=options["master"],
                                  export_dir=options["export_dir"], make_clues=not options["no_clues"])
        else:
            if options["master"] or options["export_dir"]:
                raise CommandError("--master and --export are for --engine spark")
            run = run_rules(**kwargs)
        bar.close()
        counts = run.counts or {}
        self.stdout.write(f"run #{run.pk} ({run.engine}, {'full' if run.full else 'incremental'}) {run.status} "
                          f"in {time.perf_counter() - started:.1f} s")
        for code, figures in sorted(counts.items()):
            self.stdout.write(f"  {code}: {figures}")
        for registry in (run.inputs or {}).get("registries", []):
            self.stdout.write(f"  registry {registry['kind']}: {registry['source']} ({registry['data_date']}, "
                              f"{registry['rows']} rows)")
