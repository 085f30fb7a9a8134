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
        op.execute(
            f"CREATE INDEX IF NOT EXISTS ix_site_knn ON site USING gist ({SITE_POINT}) "
            "WHERE lat IS NOT NULL AND lon IS NOT NULL"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_site_knn")
    op.drop_table("content_version")
