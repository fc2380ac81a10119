"""The hot path's reads share the pool and, on PostgreSQL, run outside a transaction: one round
trip per read instead of BEGIN, the query and ROLLBACK."""

from sqlalchemy import text

from consult.db import make_engine, reader


def test_reads_share_the_pool_and_skip_the_transaction_on_postgresql(database_url):
    engine = make_engine(database_url)
    try:
        reads = reader(engine)
        assert reads.pool is engine.pool
        with reads.connect() as conn:
            assert conn.execute(text("select 1")).scalar() == 1
            autocommit = getattr(conn.connection.dbapi_connection, "autocommit", None)
            if engine.dialect.name == "postgresql":
                assert autocommit is True
        with engine.connect() as conn:  # the connection went back to the pool transactional
            conn.execute(text("select 1"))
            if engine.dialect.name == "postgresql":
                assert conn.connection.dbapi_connection.autocommit is False
    finally:
        engine.dispose()
