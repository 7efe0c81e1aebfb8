"""The database: SQLAlchemy models, queries and Alembic migrations; see DESIGN.md."""
