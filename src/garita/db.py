"""Engine and session factories for SQLite (embedded) and PostgreSQL (production).

SQLite runs in WAL mode with a busy timeout; its writers are serialised by
SQLite itself (``BEGIN IMMEDIATE``), which avoids the lock-upgrade deadlocks of
deferred transactions. PostgreSQL uses a connection pool, plus an asyncpg pool for
the hot request route (``open_async_pool``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import (
    DateTime,
    MetaData,
    Select,
    String,
    TypeDecorator,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def make_engine(url: str, pool_size: int = 10) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _sqlite_pragmas(engine)
        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


async def open_async_pool(url: str, size: int = 10) -> asyncpg.Pool | None:
    """PostgreSQL only: an asyncpg pool for the hot request route; None for SQLite,
    whose writes go through the engine's one-writer path.

    asyncpg rather than psycopg's async driver: on the intake route psycopg cost
    ~0.5 ms of CPU per statement in Python, asyncpg (Cython protocol, prepared
    statements cached per connection) a fraction of it (docs/benchmarks.md)."""
    if url.startswith("sqlite"):
        return None
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    # A fresh plan for every statement: a cached generic plan is made once per
    # connection and kept until the tables are next analysed, so one made while the
    # day's requests were few (a sequential scan and a hash join) went on scanning the
    # whole growing table for every batch (measured: 4x the server CPU per request).
    # Planning the intake statement costs ~0.5 ms, shared by the batch. No JIT either:
    # compiling costs more than these statements run.
    settings = {"plan_cache_mode": "force_custom_plan", "jit": "off"}
    return await asyncpg.create_pool(dsn, min_size=size, max_size=size, init=_json_codecs,
                                     reset=_keep_session, server_settings=settings)


async def _keep_session(_conn: asyncpg.Connection) -> None:
    """Skip asyncpg's reset query on release (a whole round trip per request): the hot
    route runs single statements in autocommit and leaves no session state behind
    (no SET, LISTEN, temporary table or advisory lock)."""


async def _json_codecs(conn: asyncpg.Connection) -> None:
    for kind in ("json", "jsonb"):
        await conn.set_type_codec(kind, encoder=json.dumps, decoder=json.loads,
                                  schema="pg_catalog")


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session


class UtcDateTime(TypeDecorator):
    """An aware UTC datetime on every backend (SQLite keeps no zone; PostgreSQL converts).

    Naive datetimes are refused on the way in, so a local time can never be
    stored as if it were UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware datetime (UTC)")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def paged(session: Session, query: Select, order: Sequence[Any], *, limit: int,
          offset: int) -> tuple[list[Any], int]:
    """One page of ``query`` in ``order`` and how many rows match in all (for the
    ``X-Total-Count`` header of every list route). End ``order`` with a unique column so
    pages never overlap or skip. A select of one entity gives the objects; of several
    columns, the rows."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    result = session.execute(query.order_by(*order).limit(limit).offset(offset))
    rows = result.scalars().all() if len(query.column_descriptions) == 1 else result.all()
    return list(rows), int(total or 0)


def declared_for(dialect: str) -> Callable[..., bool]:
    """Alembic's ``include_object`` for a database of ``dialect``: leaves out what the
    models declare for another database only (``Index(...).ddl_if(dialect=...)``, e.g.
    PostgreSQL's trigram index), which autogenerate would otherwise report as missing.
    Reads SQLAlchemy's ``_ddl_if`` (Alembic does not honour it)."""
    def include(obj: Any, name: str | None, type_: str, reflected: bool,
                compare_to: Any) -> bool:
        condition = getattr(obj, "_ddl_if", None)
        return condition is None or condition.dialect in (None, dialect)
    return include


def compare_type(context: Any, inspected_column: Any, metadata_column: Any,
                 inspected_type: Any, metadata_type: Any) -> bool | None:
    """Alembic's ``compare_type``: on SQLite a VARCHAR's length is not a difference, since
    SQLite never enforces it, and changing it there would copy the table (migration 0020
    widens ``account.totp_secret`` on PostgreSQL only). None: Alembic's own comparison."""
    if (context.dialect.name == "sqlite" and isinstance(inspected_type, String)
            and isinstance(metadata_type, String)):
        return False
    return None
