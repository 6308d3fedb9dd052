"""Build the 100x network for ``bench/scale.py``, on PostgreSQL, in a few statements.

The demo is loaded once through its services. It is then replicated server-side: every
row of every Spilka table is copied ``factor - 1`` times with ``INSERT ... SELECT ...
CROSS JOIN generate_series``. Copy ``g`` of a row gets ``id + g * stride`` (the stride is
the table's largest id), and every foreign key to a replicated table is shifted by that
table's stride, so each copy is a whole, consistent island of the demo (its organisations,
campaigns, petitions, events, needs, pledges, convoys, ledgers, publications, users and
roles). Unique text columns get a ``-r<g>`` suffix; generic relations (translation tasks)
are shifted by the stride of the model they point at. Global tables (exchange rates, the
aid catalogue, publishing tags, the glossary, task and worker bookkeeping) are not copied.

Then the volumes the bench is about are topped up in the demo's own big organisation
(the Ukraine Solidarity Campaign) and across the copies: supporters, signatures,
registrations and ledger entries, each from template rows and ``generate_series``.
Foreign-key triggers are off during the inserts (``session_replication_role = replica``):
the rows are consistent by construction, and the checks would double the time.
"""

from __future__ import annotations

import time

BIG_ORG = "ukraine-solidarity-campaign"
BIG_EVENT = "another-ukraine-is-possible"

# Tables that hold no organisation's data: copies would break their unique keys or mean
# nothing. Rows of replicated tables that point at these keep pointing at the originals.
GLOBAL = {
    "funds_exchangerate",
    "aid_item",
    "publishing_tag",
    "publishing_glossaryterm",
    "lib_outboxmessage",
    "lib_workerheartbeat",
    "lib_taskmailsent",
}

# Totals the brief asks for, at factor 100.
TOTALS = {
    "outreach_supporter": 1_000_000,
    "campaigns_signature": 1_000_000,
    "events_registration": 100_000,
    "funds_transaction": 1_000_000,
}


def _tables():
    from django.apps import apps

    models = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m.__module__.startswith("spilka")
        and m._meta.db_table not in GLOBAL
        # Copies shift integer ids; a table keyed by UUIDs (webhook deliveries) is not copied.
        and m._meta.pk.get_internal_type() in ("AutoField", "BigAutoField")
    ]
    return models


def _string_unique_columns(model) -> set[str]:
    """Text columns that must differ between copies: unique alone, or unique together
    only with columns that copying does not change."""
    from django.db import models as m

    replicated = {t._meta.db_table for t in _tables()}

    def shifted(field) -> bool:
        return field.is_relation and field.related_model._meta.db_table in replicated

    out: set[str] = set()
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key and isinstance(field, m.CharField):
            out.add(field.column)
    groups = [c.fields for c in model._meta.constraints if isinstance(c, m.UniqueConstraint)]
    groups += list(model._meta.unique_together)
    for group in groups:
        fields = [model._meta.get_field(name) for name in group]
        if not any(shifted(f) or f.primary_key for f in fields):
            out |= {f.column for f in fields if isinstance(f, m.CharField)}
    return out


def _replicate_sql(model, strides: dict[str, int], copies: int, ct_strides: dict[int, int]):
    from django.db import models as m

    table = model._meta.db_table
    unique = _string_unique_columns(model)
    columns, exprs = [], []
    for field in model._meta.concrete_fields:
        col = f'"{field.column}"'
        columns.append(col)
        target = field.related_model._meta.db_table if field.is_relation else None
        if field.primary_key and not field.is_relation:
            exprs.append(f"t.{col} + g * {strides[table]}")
        elif target in strides:
            exprs.append(f"t.{col} + g * {strides[target]}")
        elif field.column in unique and isinstance(field, m.EmailField):
            exprs.append(
                f"CASE WHEN t.{col} = '' THEN t.{col} ELSE split_part(t.{col}, '@', 1)"
                f" || '+r' || g || '@' || split_part(t.{col}, '@', 2) END"
            )
        elif field.column in unique:
            keep = field.max_length - 6
            exprs.append(
                f"CASE WHEN t.{col} = '' THEN t.{col} ELSE left(t.{col}, {keep}) || '-r' || g END"
            )
        elif field.name == "object_id" and ct_strides and table == "publishing_translationtask":
            cases = " ".join(
                f"WHEN {ct} THEN t.{col} + g * {stride}" for ct, stride in ct_strides.items()
            )
            exprs.append(f"CASE t.content_type_id {cases} ELSE t.{col} END")
        else:
            exprs.append(f"t.{col}")
    return (
        f'INSERT INTO "{table}" ({", ".join(columns)}) SELECT {", ".join(exprs)} '
        f'FROM "{table}" t CROSS JOIN generate_series(1, {copies}) g'
    )


def _timed(label: str, fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    print(f"  {label:<44} {time.perf_counter() - started:7.1f} s", flush=True)
    return result


def replicate(factor: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    models = _tables()
    with connection.cursor() as cur:
        strides: dict[str, int] = {}
        for model in models:
            cur.execute(f'SELECT coalesce(max(id), 0) FROM "{model._meta.db_table}"')
            strides[model._meta.db_table] = cur.fetchone()[0] or 1
        ct_strides = {
            ContentType.objects.get_for_model(model).pk: strides[model._meta.db_table]
            for model in models
            if not model._meta.auto_created
        }
        for model in models:
            sql = _replicate_sql(model, strides, factor - 1, ct_strides)
            _timed(f"x{factor} {model._meta.db_table}", cur.execute, sql)


def _top_up(cur, table: str, sql: str) -> None:
    cur.execute(f'SELECT count(*) FROM "{table}"')
    have = cur.fetchone()[0]
    missing = TOTALS[table] - have
    if missing > 0:
        _timed(f"+{missing:,} {table}", cur.execute, sql.format(missing=missing))


def _columns(cur, table: str, replace: dict[str, str]) -> tuple[str, str]:
    cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND column_name <> 'id' ORDER BY ordinal_position",
        [table],
    )
    cols = [row[0] for row in cur.fetchall()]
    return ", ".join(f'"{c}"' for c in cols), ", ".join(replace.get(c, f't."{c}"') for c in cols)


def _email(n: str) -> str:
    return f"split_part(t.email, '@', 1) || '+s' || {n} || '@' || split_part(t.email, '@', 2)"


def top_up() -> None:
    """Bring the four big tables to TOTALS, most of it in the big organisation."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT id FROM network_organisation WHERE slug = %s", [BIG_ORG])
        org = cur.fetchone()[0]

        cols, vals = _columns(cur, "outreach_supporter", {"email": _email("n"), "phone": "''"})
        _top_up(
            cur,
            "outreach_supporter",
            f"INSERT INTO outreach_supporter ({cols}) SELECT {vals} FROM ("
            f" SELECT *, row_number() OVER (ORDER BY id) AS k FROM outreach_supporter"
            f" WHERE organisation_id = {org}) t"
            " CROSS JOIN generate_series(1, {missing}) n"
            f" WHERE n % (SELECT count(*) FROM outreach_supporter"
            f" WHERE organisation_id = {org}) = t.k - 1",
        )
        cur.execute(
            "SELECT p.id FROM campaigns_petition p JOIN campaigns_campaign c"
            " ON c.id = p.campaign_id WHERE c.lead_organisation_id = %s ORDER BY p.id LIMIT 1",
            [org],
        )
        petition = cur.fetchone()[0]
        cols, vals = _columns(cur, "campaigns_signature", {"email": _email("n")})
        _top_up(
            cur,
            "campaigns_signature",
            f"INSERT INTO campaigns_signature ({cols}) SELECT {vals} FROM ("
            f" SELECT *, row_number() OVER (ORDER BY id) AS k FROM campaigns_signature"
            f" WHERE petition_id = {petition}) t"
            " CROSS JOIN generate_series(1, {missing}) n"
            f" WHERE n % (SELECT count(*) FROM campaigns_signature"
            f" WHERE petition_id = {petition}) = t.k - 1",
        )
        cur.execute(
            "UPDATE campaigns_petition p SET confirmed_count = (SELECT count(*) FROM"
            " campaigns_signature s WHERE s.petition_id = p.id AND s.status = 'confirmed')"
        )
        # Registrations: half on the big organisation's flagship event, half spread.
        cur.execute("SELECT id FROM events_event WHERE slug = %s", [BIG_EVENT])
        big_event = cur.fetchone()[0]
        cur.execute("SELECT min(id) FROM events_registration")
        template = cur.fetchone()[0]
        cols, vals = _columns(
            cur, "events_registration", {"email": _email("n"), "event_id": "e.id"}
        )
        _top_up(
            cur,
            "events_registration",
            f"INSERT INTO events_registration ({cols}) SELECT {vals} FROM events_registration t"
            f" CROSS JOIN (SELECT id FROM events_event WHERE id = {big_event}) e"
            " CROSS JOIN generate_series(1, {missing} / 2) n"
            f" WHERE t.id = {template}",
        )
        _top_up(
            cur,
            "events_registration",
            f"INSERT INTO events_registration ({cols}) SELECT {vals} FROM events_registration t"
            " CROSS JOIN (SELECT id, row_number() OVER (ORDER BY id) AS k FROM events_event"
            f" WHERE registration_enabled AND id <> {big_event}) e"
            " CROSS JOIN generate_series(1, {missing}) n"
            f" WHERE t.id = {template} AND n % (SELECT count(*) FROM events_event"
            f" WHERE registration_enabled AND id <> {big_event}) = e.k - 1",
        )
        cur.execute(
            "SELECT f.id FROM funds_fund f WHERE f.organisation_id = %s ORDER BY f.id LIMIT 1",
            [org],
        )
        fund = cur.fetchone()[0]
        cols, vals = _columns(
            cur,
            "funds_transaction",
            {
                "reverses_id": "NULL",
                "expense_id": "NULL",
                "import_batch_id": "NULL",
                "occurred_on": "t.occurred_on - (n % 3000)",
                "rate_date": "t.rate_date - (n % 3000)",
            },
        )
        _top_up(
            cur,
            "funds_transaction",
            f"INSERT INTO funds_transaction ({cols}) SELECT {vals} FROM ("
            f" SELECT *, row_number() OVER (ORDER BY id) AS k FROM funds_transaction"
            f" WHERE fund_id = {fund} AND reverses_id IS NULL AND expense_id IS NULL) t"
            " CROSS JOIN generate_series(1, {missing}) n"
            f" WHERE n % (SELECT count(*) FROM funds_transaction WHERE fund_id = {fund}"
            " AND reverses_id IS NULL AND expense_id IS NULL) = t.k - 1",
        )


def _reset_sequences() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        for model in _tables():
            table = model._meta.db_table
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                f' (SELECT coalesce(max(id), 1) FROM "{table}"))'
            )


def _template_registration() -> None:
    """The demo has no registrations: one through the service on an open event, to copy
    (the big organisation's own events are past, so its copies are inserted directly)."""
    from spilka.events.models import Event, Registration
    from spilka.events.services.registrations import event_register, registration_refusal

    if Registration.objects.exists():
        return
    events = Event.objects.filter(registration_enabled=True).order_by("pk")
    event = next(e for e in events if registration_refusal(e) is None)
    event_register(event=event, full_name="Olena Scale", email="olena.scale@example.org")


def build(factor: int) -> float:
    """Flush, load the demo, replicate it ``factor`` times, top up. Returns seconds."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from spilka.demo import load_all

    started = time.perf_counter()
    _timed("flush", call_command, "flush", "--no-input", "-v0")
    _timed("load the demo (services)", load_all)
    _timed("template registration", _template_registration)
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SET LOCAL session_replication_role = replica")
        replicate(factor)
        _reset_sequences()  # the top-ups take ids from the sequences
        if factor >= 100:
            top_up()
        _reset_sequences()
    from spilka.funds.models import Fund
    from spilka.funds.services.ledger import fund_summary_rebuild

    big_funds = Fund.objects.filter(organisation__slug=BIG_ORG)
    _timed("rebuild the big funds' summaries", lambda: [fund_summary_rebuild(f) for f in big_funds])
    from spilka.outreach.services.counts import supporter_counts_rebuild_all

    _timed("recount the supporters", supporter_counts_rebuild_all)
    with connection.cursor() as cur:
        _timed("ANALYZE", cur.execute, "ANALYZE")
    return time.perf_counter() - started


def counts() -> dict[str, int]:
    from django.db import connection

    tables = [
        "network_organisation",
        "outreach_supporter",
        "campaigns_signature",
        "events_registration",
        "funds_transaction",
        "campaigns_campaign",
        "campaigns_petition",
        "events_event",
        "aid_need",
        "aid_pledge",
        "aid_convoy",
        "publishing_publication",
        "lib_auditentry",
    ]
    out = {}
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(f'SELECT count(*) FROM "{table}"')
            out[table] = cur.fetchone()[0]
    return out
