"""Alembic environment. Uses the connection handed over by bot.storage.db.upgrade when there is one
(the normal case); otherwise (``alembic upgrade head`` by hand) the URL from the settings."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from bot.storage.models import Base

config = context.config
target_metadata = Base.metadata


def run_with(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    from bot.settings import get_settings
    from bot.storage.db import _create, normalise_url

    engine = _create(normalise_url(get_settings().database_url))
    with engine.begin() as conn:
        run_with(conn)
    engine.dispose()


def run_migrations_offline() -> None:
    from bot.settings import get_settings

    context.configure(
        url=get_settings().database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
