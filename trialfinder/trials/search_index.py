"""The full-text index of trials: SQLite FTS5 or a PostgreSQL tsvector with a GIN index.

The table is created by migration 0002, outside the models, because each database spells it
differently. The importer keeps it in step with the trial table, in the same transaction.
On SQLite the FTS5 rowid is the number of the NCT id, so that a search never reads the
index's stored text (reading it back made a search of 10,000 trials four times slower).

On PostgreSQL each row also holds a copy of what the finder filters and sorts on (title, ages,
sex, status; migration 0008), so that a word search is answered from this table alone: the
matches' count and the first page by title in one pass over the index's rows, where joining
thousands of matches to the wide trial rows, twice, cost 200 ms at 100,000 trials. The words'
positions are stripped (no search uses them): at 100,000 trials the table fell from 111 to
68 MB, and a bitmap scan of the GIN index then beats reading it whole, in the planner's eyes too.
"""

from collections.abc import Iterable

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    String,
    Text,
    bindparam,
    column,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR, to_tsquery
from sqlalchemy.sql.selectable import TextualSelect

from trialfinder.trials import words

TABLE = "trial_search"
CHUNK = 500  # ids per DELETE, well under every database's limit on parameters
# How closely the rows' order must follow the titles' (PostgreSQL's correlation, 1 in order):
# 10 % of the rows written at random after the rest brings it to about 0.8.
ORDERED = 0.9
# PostgreSQL: the trial's columns copied into the index, under the trial table's names.
COPIED = ("brief_title", "min_age_years", "max_age_years", "sex", "status")
COPIED_TYPES = {"brief_title": "TEXT", "min_age_years": "FLOAT", "max_age_years": "FLOAT"}
COPIED_TYPES |= {"sex": "VARCHAR(10)", "status": "VARCHAR(40)"}
# The PostgreSQL table as the finder queries it (SQLite's FTS5 table has no such columns).
INDEXED = table(
    TABLE,
    column("nct_id", String),
    column("body", TSVECTOR),
    *(column(name, Float if name.endswith("years") else Text) for name in COPIED),
)
COLUMNS = ", ".join(COPIED)

SQL = {
    "sqlite": {
        "create": [f"CREATE VIRTUAL TABLE {TABLE} USING fts5(body, tokenize='unicode61')"],
        "delete": f"DELETE FROM {TABLE} WHERE rowid IN :keys",
        "insert": f"INSERT INTO {TABLE} (rowid, body) VALUES (:key, :body)",
        "match": f"SELECT printf('NCT%08d', rowid) AS nct_id FROM {TABLE} WHERE {TABLE} MATCH :q",
    },
    "postgresql": {
        "create": [
            f"CREATE TABLE {TABLE} (nct_id VARCHAR(11) PRIMARY KEY "
            "REFERENCES trial (nct_id) ON DELETE CASCADE, body TSVECTOR NOT NULL, "
            + ", ".join(f"{name} {COPIED_TYPES[name]}" for name in COPIED)
            + ")",
            f"CREATE INDEX ix_{TABLE}_body ON {TABLE} USING GIN (body)",
            # The first titles, in order: where a word search with many matches looks first.
            f"CREATE INDEX ix_{TABLE}_title ON {TABLE} (brief_title, nct_id) "
            "WHERE brief_title IS NOT NULL",
            # The order the rows are kept in (keep_in_title_order; migration 0010 says why).
            f"CREATE INDEX ix_{TABLE}_order ON {TABLE} ((brief_title || ''), nct_id)",
        ],
        "delete": f"DELETE FROM {TABLE} WHERE nct_id IN :keys",
        # The trial's row is written first (services.store_all): its columns are copied here.
        "insert": f"INSERT INTO {TABLE} (nct_id, body, {COLUMNS}) "
        f"SELECT nct_id, strip(to_tsvector('simple', :body)), {COLUMNS} FROM trial "
        "WHERE nct_id = :key",
        "match": f"SELECT nct_id FROM {TABLE} WHERE body @@ to_tsquery('simple', :q)",
    },
}


def key(dialect: str, nct_id: str) -> str | int:
    """Return the index's key for a trial: the NCT number on SQLite, the NCT id elsewhere."""
    return int(nct_id.removeprefix("NCT")) if dialect == "sqlite" else nct_id


def create(connection: Connection) -> None:
    """Create the index table for this database."""
    for statement in SQL[connection.dialect.name]["create"]:
        connection.execute(text(statement))


def drop(connection: Connection) -> None:
    """Drop the index table."""
    connection.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))


def _insert(connection: Connection, documents: Iterable[tuple[str, str]]) -> int:
    dialect = connection.dialect.name
    rows = [{"key": key(dialect, nct_id), "body": body} for nct_id, body in documents]
    if rows:
        connection.execute(text(SQL[dialect]["insert"]), rows)
    return len(rows)


def replace(connection: Connection, documents: dict[str, str]) -> None:
    """Index these trials' texts, replacing what was indexed for them before."""
    dialect = connection.dialect.name
    delete = text(SQL[dialect]["delete"]).bindparams(bindparam("keys", expanding=True))
    keys = [key(dialect, nct_id) for nct_id in documents]
    for start in range(0, len(keys), CHUNK):
        connection.execute(delete, {"keys": keys[start : start + CHUNK]})
    _insert(connection, documents.items())


def rebuild(connection: Connection, documents: Iterable[tuple[str, str]]) -> int:
    """Empty the index and fill it again; return how many trials it holds."""
    connection.execute(text(f"DELETE FROM {TABLE}"))
    return _insert(connection, documents)


def analyze(connection: Connection) -> None:
    """Refresh the planner's statistics, so that it picks the finder's indexes.

    PostgreSQL also vacuums the three tables (outside a transaction: `connection` must be in
    autocommit): a count by age reads only its index once the rows written are marked visible
    to all, where right after an import it read each row too (age p95 at 100,000 trials: 95 ms
    before autovacuum had passed, 21 ms after).
    """
    if connection.dialect.name == "sqlite":
        connection.execute(text("ANALYZE"))
    else:
        connection.execute(text(f"VACUUM (ANALYZE) trial, site, {TABLE}"))


def keep_in_title_order(connection: Connection) -> bool:
    """PostgreSQL: put the rows back in title order when imports have scattered them.

    A word's matches then lie on fewer pages (their titles share the word): 'vaccine' at
    100,000 trials read 6,180 pages where they lay as imported. Rows written since the last
    time go at the end, so their order drifts from the titles'; below ORDERED (the planner's
    statistics: `analyze` first) the table is rewritten in order, its indexes rebuilt, in a
    few seconds at 100,000 trials, during which searches wait. Return whether it was.
    `connection` must be in autocommit.
    """
    if connection.dialect.name != "postgresql":
        return False
    # A sample of the rows: under a second at 100,000 trials.
    connection.execute(text(f"ANALYZE {TABLE}"))
    correlation = connection.scalar(
        text(
            "SELECT correlation FROM pg_stats WHERE schemaname = current_schema() "
            "AND tablename = :table AND attname = 'brief_title'"
        ),
        {"table": TABLE},
    )
    if correlation is None or correlation >= ORDERED:
        return False
    connection.execute(text(f"CLUSTER {TABLE} USING ix_{TABLE}_order"))
    connection.execute(text(f"ANALYZE {TABLE}"))
    return True


def matching(dialect: str, query_words: list[str]) -> TextualSelect:
    """Return a SELECT of the NCT ids whose indexed text has every word (as a prefix)."""
    query = words.tsquery(query_words) if dialect == "postgresql" else words.fts5_query(query_words)
    return text(SQL[dialect]["match"]).bindparams(q=query).columns(nct_id=String)


def has_words(query_words: list[str]) -> ColumnElement[bool]:
    """Return the PostgreSQL condition on INDEXED: the indexed text has every word (as a prefix)."""
    query = bindparam("words", words.tsquery(query_words), type_=String)  # finder.indexed_values
    return INDEXED.c.body.bool_op("@@")(to_tsquery("simple", query))
