"""The LangGraph checkpointer: a SQLite file in the data dir by default, PostgreSQL when the store
is PostgreSQL. Either way a thread survives a process restart (and a crash mid-turn: the graph
runs with durability "sync", so each finished step is on disk before the next starts)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def open_checkpointer(database_url: str, data_dir: Path) -> tuple[Any, Callable[[], None]]:
    """(checkpointer, close) for the store URL; tables are created on first use."""
    if database_url.startswith("postgresql"):
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        conninfo = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
        pool = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=8,
            kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
            open=True,
        )
        saver = PostgresSaver(pool)  # type: ignore[arg-type]
        saver.setup()
        log.info("checkpointer: postgres")
        return saver, pool.close
    from langgraph.checkpoint.sqlite import SqliteSaver

    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "checkpoints.sqlite"
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL: a committed step survives a killed process (what resuming needs); only a power
    # loss can drop the last steps. FULL would fsync every step of every turn.
    conn.execute("PRAGMA synchronous=NORMAL")
    sqlite_saver = SqliteSaver(conn)
    sqlite_saver.setup()
    log.info("checkpointer: sqlite", extra={"path": str(path)})
    return sqlite_saver, conn.close
