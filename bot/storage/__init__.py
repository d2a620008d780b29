"""Our own tables: the database connection (db.py) and the SQLAlchemy models (models.py); the
schema is made by the Alembic migrations in migrations/.
"""
