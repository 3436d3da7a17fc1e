"""uploads in the database: every app server reads them, one backup holds everything

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 16:45:00

The files under the uploads folder (``PORTAL_UPLOAD_FOLDER``, else ``instance/uploads``) are
read into ``upload_data``; the folder is left as it was (delete it once the upgrade is checked).
Downgrading writes them back there.
"""
import logging
from pathlib import Path

from alembic import op
import sqlalchemy as sa
from flask import current_app


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def _folder() -> Path:
    configured = current_app.config.get("UPLOAD_FOLDER")
    return Path(configured) if configured else Path(current_app.instance_path) / "uploads"


def _thumbnail(stored_name: str) -> str:
    return stored_name.rsplit(".", 1)[0] + ".thumb.jpg"


def upgrade():
    table = op.create_table(
        'upload_data',
        sa.Column('upload_id', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('thumbnail', sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(['upload_id'], ['upload.id'], name=op.f('fk_upload_data_upload_id_upload'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('upload_id', name=op.f('pk_upload_data')),
    )
    connection = op.get_bind()
    folder, missing = _folder(), 0
    for upload_id, stored_name in connection.execute(sa.text("SELECT id, stored_name FROM upload")):
        path, preview = folder / stored_name, folder / _thumbnail(stored_name)
        if not path.is_file():
            missing += 1
            continue
        connection.execute(table.insert().values(
            upload_id=upload_id,
            data=path.read_bytes(),
            thumbnail=preview.read_bytes() if preview.is_file() else None,
        ))
    if missing:
        log.warning("%s uploads had no file under %s (their pages answer 404)", missing, folder)


def downgrade():
    connection = op.get_bind()
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    rows = connection.execute(sa.text(
        "SELECT upload.stored_name, upload_data.data, upload_data.thumbnail "
        "FROM upload JOIN upload_data ON upload_data.upload_id = upload.id"
    ))
    for stored_name, data, thumbnail in rows:
        (folder / stored_name).write_bytes(data)
        if thumbnail is not None:
            (folder / _thumbnail(stored_name)).write_bytes(thumbnail)
    op.drop_table('upload_data')
