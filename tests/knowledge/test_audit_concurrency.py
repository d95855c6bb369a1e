"""Concurrent appenders (API worker threads, several workers) keep one chain and all succeed."""

from __future__ import annotations

import threading

from knowledge.store import audit
from knowledge.store.db import SessionFactory, transaction


def test_concurrent_appends_all_succeed_in_one_chain(session_factory: SessionFactory) -> None:
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        for j in range(25):
            try:
                with transaction(session_factory) as s:
                    if j % 2:
                        audit.append(s, actor="t", action="one", subject_type="s", subject_id=f"{i}-{j}")
                    else:
                        entries = [
                            {
                                "actor": "t",
                                "action": "many",
                                "subject_type": "s",
                                "subject_id": f"{i}-{j}-{k}",
                            }
                            for k in range(3)
                        ]
                        audit.append_many(s, entries)
            except BaseException as exc:  # collected: the assertion below shows them
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with session_factory() as s:
        report = audit.verify(s)
    assert report.ok and report.entries == 6 * (12 * 1 + 13 * 3)
