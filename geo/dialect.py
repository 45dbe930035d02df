"""Glue that lets the same spatial code run on SpatiaLite and PostGIS."""
import importlib
import sqlite3

from sqlalchemy import event, func, literal_column, select, text

SRID = 4326


def sqlite_module():
    """Return a DB-API sqlite module that can load extensions (stdlib if it can, else pysqlite3)."""
    if hasattr(sqlite3.Connection, "enable_load_extension"):
        return sqlite3
    return importlib.import_module("pysqlite3.dbapi2")


def engine_options(url: str) -> dict:
    """Engine options for a database URL: the GeoAlchemy2 plugin, and an extension-capable SQLite."""
    if url.startswith("sqlite"):
        return {
            "module": sqlite_module(),
            "connect_args": {"timeout": 30, "check_same_thread": False},
        }
    return {"plugins": ["geoalchemy2"], "pool_pre_ping": True}


def prepare_engine(engine, spatialite_path: str = "mod_spatialite") -> None:
    """Attach per-connection setup on SQLite: SpatiaLite, its metadata, foreign keys, busy timeout."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.enable_load_extension(True)
        dbapi_conn.load_extension(spatialite_path)
        dbapi_conn.enable_load_extension(False)
        dbapi_conn.execute("PRAGMA foreign_keys = ON")
        dbapi_conn.execute("PRAGMA busy_timeout = 30000")
        if dbapi_conn.execute("SELECT CheckSpatialMetaData()").fetchone()[0] < 1:
            dbapi_conn.execute("SELECT InitSpatialMetaData(1, 'WGS84')")


def is_sqlite(bind) -> bool:
    """True when the bind (engine, connection or session) talks to SQLite."""
    return bind.dialect.name == "sqlite"


def envelope(bind, bbox):
    """A rectangle geometry expression for (minlon, minlat, maxlon, maxlat) in WGS84."""
    minx, miny, maxx, maxy = (float(v) for v in bbox)
    if is_sqlite(bind):
        return func.BuildMbr(minx, miny, maxx, maxy, SRID)
    return func.ST_MakeEnvelope(minx, miny, maxx, maxy, SRID)


def point(bind, lon: float, lat: float):
    """A WGS84 point geometry expression."""
    if is_sqlite(bind):
        return func.MakePoint(float(lon), float(lat), SRID)
    return func.ST_SetSRID(func.ST_MakePoint(float(lon), float(lat)), SRID)


def index_filter(bind, table, frame, column: str = "geom"):
    """A WHERE clause keeping rows of `table` whose `column` box meets `frame`, via the spatial index."""
    if is_sqlite(bind):
        # SpatiaLite uses its R*Tree only when queried through the SpatialIndex virtual table.
        ids = (
            select(literal_column("ROWID"))
            .select_from(text("SpatialIndex"))
            .where(literal_column("f_table_name") == table.name)
            .where(literal_column("f_geometry_column") == column)
            .where(literal_column("search_frame") == frame)
        )
        return table.c.id.in_(ids)
    return table.c[column].op("&&")(frame)
