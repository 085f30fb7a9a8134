"""Each site carries its trial's ages; PostgreSQL's nearest-site index holds them too.

A search by words, age and place walks the sites nearest first (0005's index) and looks up
the trial of each site it reads: 'type 2 diabetes' at 5 near A Coruna read 8,840 sites for
200 trials at 100,000 studies, half of them of trials that take no child of 5. The index
now holds each site as a 4-D `cube`: its point on the unit sphere, and the span of ages its
trial takes (`youngest` to `oldest`, in years; 0 and 1000 where the record sets none). The
walk asks it for the sites whose span meets the age (`&&`) and orders them by `<->` to the
place at that age, which for those sites is the distance of their points alone.

`cube` is already there (0005); btree_gist would do the same in a second extension, 70 ms to
create in every database and test schema. SQLite keeps its bounding-box search: the columns
only. Created only when missing, like 0006, so that a database made with create_all is
adopted. The copies are written with the sites, which an import always rewrites with its trial.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 23:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Keep in step with trialfinder/trials/finder.py (site_box) and models.py (AGES_UNSET).
POINT = (
    "cos(radians(lat)) * cos(radians(lon)), cos(radians(lat)) * sin(radians(lon)), "
    "sin(radians(lat))"
)
SITE_BOX = f"cube(array[{POINT}, youngest], array[{POINT}, oldest])"
SITE_POINT = f"cube(array[{POINT}])"  # 0005's index, for a downgrade
PLACED = "WHERE lat IS NOT NULL AND lon IS NOT NULL"


COLUMNS = (
    sa.Column("youngest", sa.Float(), server_default="0", nullable=False),
    sa.Column("oldest", sa.Float(), server_default="1000", nullable=False),
)


def upgrade():
    present = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("site")}
    for column in COLUMNS:
        if column.name not in present:  # a database made with create_all has them
            op.add_column("site", column)
    op.execute(
        "UPDATE site SET "
        "youngest = COALESCE((SELECT min_age_years FROM trial WHERE nct_id = trial_id), 0), "
        "oldest = COALESCE((SELECT max_age_years FROM trial WHERE nct_id = trial_id), 1000)"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE INDEX IF NOT EXISTS ix_site_knn_ages ON site USING gist ({SITE_BOX}) {PLACED}"
        )
        op.execute("DROP INDEX IF EXISTS ix_site_knn")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE INDEX IF NOT EXISTS ix_site_knn ON site USING gist ({SITE_POINT}) {PLACED}"
        )
        op.execute("DROP INDEX IF EXISTS ix_site_knn_ages")
    with op.batch_alter_table("site") as batch:
        batch.drop_column("oldest")
        batch.drop_column("youngest")
