"""The payments' partial indexes the data comparison (issue 15, app redflags) reads, kept with the table they index.

They were first made by redflags migrations 0002 and 0004; a table's indexes belong to its own app (review of
issue 15), so they are made here and those migrations no longer touch this table. A database migrated before has
them already (IF NOT EXISTS). Each names the rules that read it:
- funds_payment_slot (household, item, period, village, date, id, amount), current payments: R08 reads a household's
  payments of one item and period over it alone; redflags' slot refresh probes it for a new payment's twin.
- funds_payment_payee_slot (payee, item, period, village), current payments: R09 and its slot refresh (a payee paid
  one item for one period in two villages); R02, R07 and R09 also look up a payee's payments by it.
- funds_payment_item_amount (item, amount), current payments: R10 reads only the payments over their item's amount.
- funds_payment_disability_cover (payee, then what R07 reads), current disability-subsidy payments: R07 (a few in
  a city's millions) reads them over the index alone (on PostgreSQL the columns ride along as INCLUDE; SQLite has no
  INCLUDE and keys them). It replaces the narrower funds_payment_disability that redflags 0004 made.
- funds_payment_unpublished (village, item, period), current unpublished payments: R14.
All are partial (current payments only), so a correction's superseded version leaves them.
"""
from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS funds_payment_slot ON funds_householdpayment "
    "(household_id, fund_item, period, village_id, paid_on, id, amount) WHERE is_current",
    "CREATE INDEX IF NOT EXISTS funds_payment_payee_slot ON funds_householdpayment "
    "(payee_id_number, fund_item, period, village_id) WHERE is_current",
    "CREATE INDEX IF NOT EXISTS funds_payment_item_amount ON funds_householdpayment (fund_item, amount) "
    "WHERE is_current",
    "DROP INDEX IF EXISTS funds_payment_disability",
    "CREATE INDEX IF NOT EXISTS funds_payment_unpublished ON funds_householdpayment (village_id, fund_item, period) "
    "WHERE is_current AND published_at IS NULL",
    # Served by funds_payment_payee_slot (its leading column); made by redflags 0002 on older databases.
    "DROP INDEX IF EXISTS funds_payment_payee_current",
]
BACKWARD = [
    "DROP INDEX IF EXISTS funds_payment_slot",
    "DROP INDEX IF EXISTS funds_payment_payee_slot",
    "DROP INDEX IF EXISTS funds_payment_item_amount",
    "DROP INDEX IF EXISTS funds_payment_disability_cover",
    "DROP INDEX IF EXISTS funds_payment_unpublished",
]
DISABILITY = ("CREATE INDEX IF NOT EXISTS funds_payment_disability_cover ON funds_householdpayment {} "
              "WHERE is_current AND fund_item LIKE '%残疾%'")
DISABILITY_COLUMNS = {
    "postgresql": "(payee_id_number) INCLUDE (household_id, village_id, fund_item, amount, paid_on, id)",
    "sqlite": "(payee_id_number, household_id, village_id, fund_item, amount, paid_on, id)",
}


def disability_index(apps, schema_editor):
    columns = DISABILITY_COLUMNS.get(schema_editor.connection.vendor)
    if columns:
        schema_editor.execute(DISABILITY.format(columns), params=None)  # no parameters: its % are literal


class Migration(migrations.Migration):

    dependencies = [
        ("funds", "0013_full_width_labels"),
    ]

    operations = [migrations.RunSQL(sql=FORWARD, reverse_sql=BACKWARD),
                  migrations.RunPython(disability_index, migrations.RunPython.noop)]
