"""The content version of cached pages; on PostgreSQL, a nearest-site (KNN) index.

The content version is one row counting imports and reindexes (content_version.py). The KNN
index is a GiST index over each site's point on the unit sphere, a 3-D `cube`: the straight-line
distance between two such points grows with the distance along the Earth's surface, so the
index's `<->` order is exactly nearest first. `cube` is a trusted contrib extension shipped
with PostgreSQL; earthdistance (built on it) resolves `cube` through the search path at each
call and PostGIS is not part of PostgreSQL. SQLite keeps its bounding-box search: no index here.

Created only when missing, like 0001, so that a database made with create_all is adopted.

Revision ID: 0005
Revises: 0003 (the lead re-chains it after 0004)
Create Date: 2026-12-04 01:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Keep in step with trialfinder/trials/finder.py (SITE_POINT) and env.py (UNMODELLED_INDEXES).
SITE_POINT = (
    "cube(array[cos(radians(lat)) * cos(radians(lon)), "
    "cos(radians(lat)) * sin(radians(lon)), sin(radians(lat))])"
)


def upgrade():
    op.create_table(
        "content_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.execute(
        "INSERT INTO content_version (id, version) SELECT 1, 0 "
        "WHERE NOT EXISTS (SELECT 1 FROM content_version WHERE id = 1)"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS cube")
        require_visible_cube()
        op.execute(
            f"CREATE INDEX IF NOT EXISTS ix_site_knn ON site USING gist ({SITE_POINT}) "
            "WHERE lat IS NOT NULL AND lon IS NOT NULL"
        )


def require_visible_cube() -> None:
    """Stop with a clear message when `cube` lives in a schema this connection does not search.

    The index and the finder's queries call cube() and `<->` unqualified, as installed by
    default (in the first schema of the search path); an extension a DBA put elsewhere, or left
    in another application's schema, would fail later with "function cube does not exist".
    """
    bind = op.get_bind()
    if bind.scalar(sa.text("SELECT to_regprocedure('cube(double precision[])')")) is None:
        schema = bind.scalar(
            sa.text(
                "SELECT n.nspname FROM pg_extension e "
                "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'cube'"
            )
        )
        raise RuntimeError(
            f"PostgreSQL's cube extension is in schema {schema!r}, which is not on this "
            "connection's search_path: add that schema to the search_path of the site's "
            "database user (ALTER ROLE ... SET search_path), then migrate again."
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_site_knn")
    op.drop_table("content_version")
