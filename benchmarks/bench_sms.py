"""Billed SMS segments per payment (三(二)3: every household told of every payment): the demo's payment SMS.

Seeds the demo city (funds included) into a throw-away SQLite database in a child process, then averages the
segment count the outbox recorded for each payment SMS: the signature (an 8-character one, such as 【湘乡阳光监督】)
and the personal link at the demo's public address counted. The reference is the text the payment SMS had before
issue 11 ("您家的…可在…/check/查询,如有疑问请拨打监督电话…"), counted the same way for the same payments.

Target: 1.0. BENCH_SMS_HOUSEHOLDS (default 3,000) sets the demo's size; the items and amounts are the demo's at
any size.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

HOUSEHOLDS = int(os.environ.get("BENCH_SMS_HOUSEHOLDS", "3000"))
RESULT_PREFIX = "BENCH_SMS_RESULT "
TARGET = 1.0
OLD_PAYMENT_TEXT = ("您家的{item}{amount}元已于{date}发放到扶贫明白卡({village})。可在{check_url}查询,"
                    "如有疑问请拨打监督电话{hotline}。")


def run() -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-sms-") as var_dir:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sunshine.settings.local", "SUNSHINE_VAR_DIR": var_dir,
               "SUNSHINE_PUBLIC_BASE_URL": "http://127.0.0.1:8000", "SMS_SIGN_NAME": "", "DEBUG": "0",
               "LOG_LEVEL": "WARNING"}
        env.pop("DATABASE_URL", None)
        result = subprocess.run([sys.executable, "-m", "benchmarks.bench_sms", "--child"], env=env,
                                capture_output=True, text=True, timeout=1800)
        lines = [line for line in result.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
        if result.returncode != 0 or not lines:
            raise RuntimeError(f"bench_sms child failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
        figures = json.loads(lines[-1][len(RESULT_PREFIX):])
    return {
        "sms_segments_per_payment": (figures["segments"], f"target {TARGET:.1f}; the text before issue 11: "
                                                           f"{figures['old_segments']:.2f}"),
        "sms_payment_messages": (figures["messages"], f"demo of {HOUSEHOLDS:,} households"),
        "sms_payment_longest_chars": (figures["longest"], "signature and personal link included; one segment is 70"),
    }


def _child() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db.models import Avg, Count

    from sunshine.core import public_urls
    from sunshine.funds.models import HouseholdPayment
    from sunshine.funds.services.sms import sms_date
    from sunshine.notify.models import SmsMessage
    from sunshine.notify.services.links import PERSONAL_LINK, signature_length, sms_segments
    from sunshine.notify.services.templates import compile_body

    call_command("migrate", verbosity=0)
    call_command("seed_demo", households=HOUSEHOLDS, townships=4, villages=40, apps="org,funds", verbosity=0,
                 stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed with the process
    payments = SmsMessage.objects.filter(template_code="payment_notice")
    summary = payments.aggregate(n=Count("id"), avg=Avg("body__segments"))
    old = compile_body("payment_notice", OLD_PAYMENT_TEXT)
    check_url, hotline = public_urls.check_url(), settings.SUNSHINE["HOTLINE"]
    old_total = 0
    # The old text (amounts as "1200.00元" then), counted for the same payments (grouped: a few hundred distinct texts).
    for item, amount, paid_on, village, count in (
            HouseholdPayment.objects.values_list("fund_item", "amount", "paid_on", "village__name")
            .annotate(n=Count("id")).values_list("fund_item", "amount", "paid_on", "village__name", "n")):
        old_text, _ = old.render({"item": item, "amount": f"{amount:.2f}", "date": sms_date(paid_on),
                                  "village": village, "check_url": check_url, "hotline": hotline})
        old_total += sms_segments(old_text) * count
    link = "x" * public_urls.personal_link_length()
    longest = max((len(text.replace(PERSONAL_LINK, link)) + signature_length()
                   for text in payments.values_list("body__text", flat=True).distinct()), default=0)
    n = summary["n"] or 1
    print(RESULT_PREFIX + json.dumps({"segments": float(summary["avg"] or 0), "old_segments": old_total / n,
                                      "messages": summary["n"], "longest": longest}), flush=True)


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child()
    else:
        from benchmarks.__main__ import _print_figures

        _print_figures(run())
