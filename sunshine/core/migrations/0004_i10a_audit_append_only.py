from django.db import migrations

# The audit table is append-only whoever connects (sunshine.core.audit): UPDATE is always refused; DELETE only of
# records older than the legal minimum retention (180 days, 等保三级 / 网络安全法第二十一条), which the retention
# job (audit_prune) removes oldest first. The number is written here on purpose and not read from settings: a
# setting could be lowered, the trigger cannot without a migration.
PG_FORWARD = ["""
CREATE FUNCTION core_auditrecord_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit records are append-only: UPDATE refused' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.at > now() - interval '180 days' THEN
        RAISE EXCEPTION 'audit record % is younger than 180 days: DELETE refused', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END
$$""", """
CREATE TRIGGER core_auditrecord_append_only BEFORE UPDATE OR DELETE ON core_auditrecord
    FOR EACH ROW EXECUTE FUNCTION core_auditrecord_append_only()
"""]
PG_BACKWARD = ["DROP TRIGGER IF EXISTS core_auditrecord_append_only ON core_auditrecord",
               "DROP FUNCTION IF EXISTS core_auditrecord_append_only()"]
# SQLite (the embedded single-machine mode) refuses UPDATE too. Its DELETE stays open: the test runner empties
# tables with DELETE between transactional tests; the chain still shows any removal.
SQLITE_FORWARD = ["""
CREATE TRIGGER core_auditrecord_append_only BEFORE UPDATE ON core_auditrecord
BEGIN
    SELECT RAISE(ABORT, 'audit records are append-only: UPDATE refused');
END
"""]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS core_auditrecord_append_only"]


def _run(schema_editor, postgresql: list[str], sqlite: list[str]) -> None:
    for statement in postgresql if schema_editor.connection.vendor == "postgresql" else sqlite:
        schema_editor.execute(statement, params=None)


def forwards(apps, schema_editor):
    _run(schema_editor, PG_FORWARD, SQLITE_FORWARD)


def backwards(apps, schema_editor):
    _run(schema_editor, PG_BACKWARD, SQLITE_BACKWARD)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_i10a_audit_record'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
