"""Hold the database lock a new report needs, so a request filing one waits in its commit."""
import contextlib

from sqlalchemy import text

from geo.dialect import sqlite_module
from webapp.extensions import db


@contextlib.contextmanager
def reports_write_lock():
    """While inside, INSERTs into `reports` block (SQLite: the write lock; PostgreSQL: a table lock); reads go on."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        # A connection of its own, outside the pool, through the app's SQLite library: two copies of the library
        # in one process do not see each other's locks. BEGIN IMMEDIATE takes the file's RESERVED lock.
        conn = sqlite_module().connect(engine.url.database, isolation_level=None, timeout=30)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    with engine.connect() as conn:
        # EXCLUSIVE conflicts with the ROW EXCLUSIVE lock of an INSERT, not with the ACCESS SHARE of a SELECT.
        conn.execute(text("LOCK TABLE reports IN EXCLUSIVE MODE"))
        try:
            yield
        finally:
            conn.rollback()
