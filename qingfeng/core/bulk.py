"""Writing many rows at once without model instances: PostgreSQL's COPY, executemany elsewhere. For the scan's
reminders and notices and the scale-data generator, where bulk_create spent most of its time building and
preparing a model instance per row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def columns_of(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    """The database columns of field names or attnames (`task` or `task_id`)."""
    meta = model._meta
    by_attname = {f.attname: f.column for f in meta.concrete_fields}
    return [by_attname.get(name) or meta.get_field(name).column for name in fields]


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """Insert `rows` (tuples in the order of `fields`, values already as the database takes them). Every NOT NULL
    column without a database default must be among `fields`. Returns the number of rows."""
    if not rows:
        return 0
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(c) for c in columns_of(model, fields))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # the psycopg cursor
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608 - no input
    return len(rows)


def next_ids(model: type[models.Model], n: int) -> list[int] | None:
    """`n` ids drawn from the table's sequence on PostgreSQL (so that rows written by COPY can be named after);
    None elsewhere."""
    if connection.vendor != "postgresql" or n <= 0:
        return None
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, n],
        )
        return [row[0] for row in cursor.fetchall()]
