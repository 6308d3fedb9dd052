"""The database itself refuses to change a posted ledger entry (the last layer of defence)."""

from django.db import migrations

SQLITE_CREATE = """
CREATE TRIGGER IF NOT EXISTS funds_transaction_immutable
BEFORE UPDATE ON funds_transaction
BEGIN
    SELECT RAISE(ABORT, 'funds_transaction rows are immutable: post a reversal');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS funds_transaction_immutable;"

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION funds_transaction_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'funds_transaction rows are immutable: post a reversal';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS funds_transaction_immutable ON funds_transaction;
CREATE TRIGGER funds_transaction_immutable BEFORE UPDATE ON funds_transaction
    FOR EACH ROW EXECUTE FUNCTION funds_transaction_immutable();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS funds_transaction_immutable ON funds_transaction;
DROP FUNCTION IF EXISTS funds_transaction_immutable();
"""


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
