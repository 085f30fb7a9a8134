"""The full-text index of trials: SQLite FTS5 or a PostgreSQL tsvector with a GIN index.

The table is created by migration 0002, outside the models, because each database spells it
differently. The importer keeps it in step with the trial table (same transaction).
"""

from collections.abc import Iterable

from sqlalchemy import Connection, Select, column, select, table, text

from . import words

TABLE = "trial_search"
index_table = table(TABLE, column("nct_id"))

CREATE = {
    "sqlite": [
        f"CREATE VIRTUAL TABLE {TABLE} USING fts5(nct_id UNINDEXED, body, tokenize='unicode61')"
    ],
    "postgresql": [
        f"CREATE TABLE {TABLE} (nct_id VARCHAR(11) PRIMARY KEY "
        "REFERENCES trial (nct_id) ON DELETE CASCADE, body TSVECTOR NOT NULL)",
        f"CREATE INDEX ix_{TABLE}_body ON {TABLE} USING GIN (body)",
    ],
}
INSERT = {
    "sqlite": f"INSERT INTO {TABLE} (nct_id, body) VALUES (:nct_id, :body)",
    "postgresql": (
        f"INSERT INTO {TABLE} (nct_id, body) VALUES (:nct_id, to_tsvector('simple', :body))"
    ),
}
CHUNK = 500  # ids per DELETE, well under every database's limit on parameters


def create(connection: Connection) -> None:
    """Create the index table for this database."""
    for statement in CREATE[connection.dialect.name]:
        connection.execute(text(statement))


def drop(connection: Connection) -> None:
    """Drop the index table."""
    connection.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))


def replace(connection: Connection, documents: dict[str, str]) -> None:
    """Index these trials' texts, replacing what was indexed for them before."""
    ids = list(documents)
    for start in range(0, len(ids), CHUNK):
        connection.execute(
            index_table.delete().where(index_table.c.nct_id.in_(ids[start : start + CHUNK]))
        )
    rows = [{"nct_id": nct_id, "body": body} for nct_id, body in documents.items()]
    if rows:
        connection.execute(text(INSERT[connection.dialect.name]), rows)


def rebuild(connection: Connection, documents: Iterable[tuple[str, str]]) -> int:
    """Empty the index and fill it again; return how many trials it holds."""
    connection.execute(index_table.delete())
    rows = [{"nct_id": nct_id, "body": body} for nct_id, body in documents]
    if rows:
        connection.execute(text(INSERT[connection.dialect.name]), rows)
    return len(rows)


def matching(dialect: str, query_words: list[str]) -> Select:
    """Return a SELECT of the NCT ids whose indexed text has every word (as a prefix)."""
    if dialect == "postgresql":
        condition = text(f"{TABLE}.body @@ to_tsquery('simple', :tsquery)").bindparams(
            tsquery=words.tsquery(query_words)
        )
    else:
        condition = text(f"{TABLE} MATCH :fts").bindparams(fts=words.fts5_query(query_words))
    return select(index_table.c.nct_id).where(condition)
