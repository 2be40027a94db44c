from django.db import migrations

# Payments keep no foreign-key check on their household (funds 0005: a million imported rows would each query and
# lock their household). This trigger holds the other end: a household that has payments cannot be deleted, even
# by SQL. On PostgreSQL it first takes a SHARE lock on the payments table, which waits for every transaction
# writing payments (they hold ROW EXCLUSIVE, and importers take it before they read the registry), so a payment
# being written cannot slip past the check.
PG_FORWARD = ["""
CREATE FUNCTION funds_household_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE funds_householdpayment IN SHARE MODE;
    IF EXISTS (SELECT 1 FROM funds_householdpayment WHERE household_id = OLD.id) THEN
        RAISE EXCEPTION 'household % has payments and cannot be deleted', OLD.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN OLD;
END
$$""", """
CREATE TRIGGER funds_household_delete_guard BEFORE DELETE ON org_household
    FOR EACH ROW EXECUTE FUNCTION funds_household_delete_guard()
"""]
PG_BACKWARD = ["DROP TRIGGER IF EXISTS funds_household_delete_guard ON org_household",
               "DROP FUNCTION IF EXISTS funds_household_delete_guard()"]
# SQLite has one writer at a time, so no lock is needed; RAISE(ABORT) is reported as an integrity error.
SQLITE_FORWARD = ["""
CREATE TRIGGER funds_household_delete_guard BEFORE DELETE ON org_household
WHEN EXISTS (SELECT 1 FROM funds_householdpayment WHERE household_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: household has payments and cannot be deleted');
END
"""]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS funds_household_delete_guard"]


def _run(schema_editor, postgresql: list[str], sqlite: list[str]) -> None:
    for statement in postgresql if schema_editor.connection.vendor == "postgresql" else sqlite:
        schema_editor.execute(statement, params=None)


def forwards(apps, schema_editor):
    _run(schema_editor, PG_FORWARD, SQLITE_FORWARD)


def backwards(apps, schema_editor):
    _run(schema_editor, PG_BACKWARD, SQLITE_BACKWARD)


class Migration(migrations.Migration):

    dependencies = [
        ('funds', '0005_payment_indexes_keyed_by_household'),
        ('org', '0004_drop_duplicate_region_path_index'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
