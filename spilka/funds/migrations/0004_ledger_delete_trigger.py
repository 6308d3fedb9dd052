"""PostgreSQL also refuses to delete a posted ledger entry.

Only PostgreSQL (the production database): Django flushes SQLite test databases with
``DELETE FROM`` (in no fixed order), which a delete trigger would abort, while PostgreSQL
flushes with ``TRUNCATE``, which row triggers do not see. On SQLite deletion is refused by
the model, its queryset and its base manager (see ``Transaction``).
"""

from django.db import migrations

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION funds_transaction_undeletable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'funds_transaction rows are never deleted: post a reversal';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS funds_transaction_undeletable ON funds_transaction;
CREATE TRIGGER funds_transaction_undeletable BEFORE DELETE ON funds_transaction
    FOR EACH ROW EXECUTE FUNCTION funds_transaction_undeletable();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS funds_transaction_undeletable ON funds_transaction;
DROP FUNCTION IF EXISTS funds_transaction_undeletable();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("funds", "0003_expense_convoy")]

    operations = [migrations.RunPython(create, drop)]
