"""Rows a transaction writes at its end: one ``INSERT`` per table instead of one per row.

A group commit of sends (:func:`messaging.actions.send_messages`) writes, for each
masked message, its original and moderation's violation, strike and fingerprints. Each
``create`` is a round trip on the process's single database thread; held here, they go
out as one ``bulk_create`` per table when the transaction ends, or earlier when
something is about to read those tables (:meth:`UnitOfWork.flush`). Both databases
return the new ids from ``bulk_create``, so rows that point at a held row (a strike at
its violation) are inserted after it, in the order their tables were first used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import transaction
from django.db.models import Model


class UnitOfWork:
    """Held inserts and steps registered with :meth:`on_flush`, run by :meth:`flush`."""

    def __init__(self) -> None:
        self._rows: dict[type[Model], list[Model]] = {}
        self._steps: list[Callable[[], None]] = []

    def insert(self, row: Model) -> None:
        """Hold ``row`` for the next flush; its id is set then."""
        self._rows.setdefault(type(row), []).append(row)

    def on_flush(self, step: Callable[[], None]) -> None:
        """Run ``step`` at every flush, before the held rows are written: it sees the
        tables as they were without them."""
        self._steps.append(step)

    def flush(self) -> None:
        """Run the steps, then write the held rows, one statement per table."""
        for step in self._steps:
            step()
        rows, self._rows = self._rows, {}
        for model, held in rows.items():
            model._default_manager.bulk_create(held)


def update_rows(rows: Sequence[Model], fields: Sequence[str]) -> None:
    """One ``UPDATE`` of ``fields`` for several rows of one model, each to its own values.

    Written out because ``bulk_update`` spends more CPU building its ``CASE`` expressions
    than the database spends running them.
    """
    db = transaction.get_connection()  # not the proxy: it is read for every value
    meta, ops = rows[0]._meta, db.ops
    cast = db.features.requires_casted_case_in_updates  # PostgreSQL, for a CASE of NULLs
    pk = ops.quote_name(meta.pk.column)
    whens = " ".join(f"WHEN {int(row.pk)} THEN %s" for row in rows)
    assignments, params = [], []
    for name in fields:
        field = meta.get_field(name)
        value = f"CASE {pk} {whens} END"
        if cast:
            value = f"CAST({value} AS {field.cast_db_type(db)})"
        assignments.append(f"{ops.quote_name(field.column)} = {value}")
        params += [field.get_db_prep_save(getattr(row, field.attname), db) for row in rows]
    ids = ", ".join(str(int(row.pk)) for row in rows)
    with db.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ops.quote_name(meta.db_table)} SET {', '.join(assignments)} "
            f"WHERE {pk} IN ({ids})",
            params,
        )
