"""Alembic's environment: the store hands it an open connection (see bot.store.migrate)."""

from alembic import context

context.configure(connection=context.config.attributes["connection"], target_metadata=None)
with context.begin_transaction():
    context.run_migrations()
