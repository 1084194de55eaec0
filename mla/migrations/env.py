"""Alembic environment: batch mode for SQLite, foreign keys off while tables are rebuilt."""
from alembic import context
from sqlalchemy import create_engine, pool

from mla.migrations import include_name
from mla.models import Base

config = context.config


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("no sqlalchemy.url: run the migrations through mla.migrations.alembic_config")
    engine = create_engine(url, poolclass=pool.NullPool)
    is_sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if is_sqlite:
            # Batch mode copies tables; with foreign keys on, ON DELETE CASCADE would empty
            # the children (TECH-NOTES §5). The pragma only works outside a transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()  # close the autobegun transaction so Alembic's own one commits
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=is_sqlite,
            compare_type=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
        if is_sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"foreign key check failed after migration: {broken[:5]}")


run_migrations()
