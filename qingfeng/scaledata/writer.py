"""Bulk row writing without model instances: PostgreSQL's COPY, SQLite's executemany. Ids are allocated here
(after the table's current maximum), so rows can refer to each other before they are written."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

from qingfeng.core import bulk

# Every model a Table was made for: their sequences must be moved past the explicit ids afterwards.
TOUCHED: list[type[models.Model]] = []


class Table:
    """The rows of one model, given as tuples in the order of `columns` (attnames: `unit_id`, not `unit`)."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        if model not in TOUCHED:
            TOUCHED.append(model)
        self.columns = ["id", *columns]
        self.table = model._meta.db_table
        self.next_id = self._max_id() + 1
        self.written = 0

    def _max_id(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT MAX(id) FROM "{self.table}"')  # noqa: S608 - table name from the model
            value = cursor.fetchone()[0]
        return int(value or 0)

    def allocate(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def write(self, rows: Iterable[Sequence[Any]]) -> int:
        """Write rows (each starting with its id). Returns how many."""
        rows = list(rows)
        if connection.vendor != "postgresql":
            rows = [tuple(_sqlite(v) for v in row) for row in rows]
        self.written += bulk.insert_rows(self.model, self.columns, rows)
        return len(rows)


def _sqlite(value: Any) -> Any:
    """What Django's SQLite backend stores: UTC datetimes as naive text, dates as ISO text."""
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def json_value(value: Any) -> Any:
    """A JSON column's value as the writer takes it: text (COPY parses it as jsonb; SQLite stores it)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def reset_sequences() -> None:
    """After explicit ids, PostgreSQL's sequences must move past them (SQLite's AUTOINCREMENT already has), for
    every table written."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(TOUCHED)):
            cursor.execute(sql)


def analyze(tables: Sequence[str]) -> None:
    """Planner statistics, as autovacuum would have them long before a city's data reaches this size."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(f'"{t}"' for t in tables))
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
