"""The compliance and feedback facts planted in the demo history hold, computed with SQL.

Each check runs on the SQLite demo copy; `test_all_facts_on_both_backends` runs every check on
SQLite and PostgreSQL after a fresh load.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.seed.loader import load_demo
from knowledge.store.db import SessionFactory

D = Decimal
THRESHOLD = D(5_000_000)


def _rows(s: Session, sql: str, **params: object) -> list[tuple]:  # type: ignore[type-arg]
    return [tuple(r) for r in s.execute(text(sql), params).all()]


def _norm(name: str) -> str:
    return "".join(name.split()).casefold()


def _gift_pct(s: Session) -> dict[str, tuple[D, D]]:
    rows = _rows(
        s,
        "SELECT c.id, c.total_amount, SUM(g.value) FROM contracts c "
        "JOIN contract_gifts g ON g.contract_id = c.id GROUP BY c.id, c.total_amount",
    )
    return {cid: (D(total), D(gifts)) for cid, total, gifts in rows}


def check_gift_cap(s: Session) -> None:
    over = {cid for cid, (total, gifts) in _gift_pct(s).items() if gifts * 100 > total * 3}
    assert over == {"C-2026-0311"}
    assert _rows(s, "SELECT customer_id, total_amount FROM contracts WHERE id = 'C-2026-0311'") == [
        ("H-GD-001", D(1_000_000))
    ]
    assert _gift_pct(s)["C-2026-0311"] == (D(1_000_000), D(40_000))
    total, gifts = _gift_pct(s)["C-2026-0606"]
    assert gifts * 100 == total * 3  # the clean boundary case: exactly 3% passes


def check_gift_catalogue(s: Session) -> None:
    names = {_norm(n) for row in _rows(s, "SELECT id, name_zh, name_en FROM gift_catalogue") for n in row}
    unknown = _rows(s, "SELECT contract_id, name FROM contract_gifts")
    bad = {(cid, name) for cid, name in unknown if _norm(name) not in names}
    assert bad == {("C-2026-0412", "高端按摩椅 luxury massage chair")}
    assert _rows(s, "SELECT customer_id FROM contracts WHERE id = 'C-2026-0412'") == [("H-SD-002",)]


def check_declarations(s: Session) -> None:
    missing = _rows(
        s,
        "SELECT c.id, c.customer_id FROM contracts c WHERE EXISTS "
        "(SELECT 1 FROM contract_gifts g WHERE g.contract_id = c.id) AND NOT EXISTS "
        "(SELECT 1 FROM contract_attachments a WHERE a.contract_id = c.id AND a.kind = 'compliance_declaration')",
    )
    assert missing == [("C-2026-0415", "H-ZJ-002")]


def check_clean_contract(s: Session) -> None:
    assert _rows(s, "SELECT customer_id FROM contracts WHERE id = 'C-2026-0501'") == [("H-ZJ-001",)]
    total, gifts = _gift_pct(s)["C-2026-0501"]
    assert gifts / total == D("0.015")
    kinds = {
        k for (k,) in _rows(s, "SELECT kind FROM contract_attachments WHERE contract_id = 'C-2026-0501'")
    }
    assert "compliance_declaration" in kinds


def check_contract_totals_and_caps(s: Session) -> None:
    rows = _rows(
        s,
        "SELECT c.id, c.total_amount, SUM(l.quantity * l.unit_price) FROM contracts c "
        "JOIN contract_lines l ON l.contract_id = c.id GROUP BY c.id, c.total_amount",
    )
    assert len(rows) == _rows(s, "SELECT COUNT(*) FROM contracts")[0][0] >= 200
    assert all(D(total) == D(lines) for _, total, lines in rows)
    over_cap = _rows(
        s,
        "SELECT l.contract_id FROM contract_lines l JOIN contracts c ON c.id = l.contract_id "
        "JOIN customers cu ON cu.id = c.customer_id WHERE (l.product_id = 'HMT-DES-01' AND l.unit_price > 798) "
        "OR (l.product_id = 'HMT-BC-03' AND cu.province = 'GD' AND l.unit_price > 1150)",
    )
    assert over_cap == []
    orders_over = _rows(
        s,
        "SELECT id FROM orders WHERE (product_id = 'HMT-DES-01' AND amount > 798 * quantity) "
        "OR (product_id = 'HMT-BC-03' AND province = 'GD' AND amount > 1150 * quantity)",
    )
    assert orders_over == []


def _sum(s: Session, sql: str) -> D:
    return D(_rows(s, sql)[0][0] or 0)


def check_rebate_cross_year_and_related_party(s: Session) -> None:
    own = _sum(
        s,
        "SELECT SUM(amount) FROM orders WHERE customer_id = 'H-ZJ-001' AND order_date BETWEEN '2026-01-01' AND '2026-12-31'",
    )
    related = _sum(
        s,
        "SELECT SUM(amount) FROM orders WHERE customer_id = 'H-ZJ-003' AND order_date BETWEEN '2026-01-01' AND '2026-12-31'",
    )
    cross = _rows(s, "SELECT customer_id, order_date, amount FROM orders WHERE id = 'O-2025-1229'")
    assert cross == [("H-ZJ-001", dt.date(2025, 12, 29), D(1_200_000))] or cross == [
        ("H-ZJ-001", "2025-12-29", D(1_200_000))
    ]
    z = D(1_200_000)
    assert own + z < THRESHOLD and own + related < THRESHOLD and own < THRESHOLD
    assert own + related + z >= THRESHOLD
    ((threshold, claimed, status),) = _rows(
        s,
        "SELECT threshold_amount, claimed_amount, status FROM rebate_programmes WHERE customer_id = 'H-ZJ-001' AND year = 2026",
    )
    assert D(threshold) == THRESHOLD and D(claimed) == own + related + z and status == "claimed"
    group = _rows(s, "SELECT medical_group_id FROM customers WHERE id IN ('H-ZJ-001', 'H-ZJ-003')")
    assert group[0] == group[1] and group[0][0] is not None


def check_other_rebates_honest(s: Session) -> None:
    import json

    for pid, cust, year, threshold, claimed, ids, status in _rows(
        s,
        "SELECT id, customer_id, year, threshold_amount, claimed_amount, claimed_order_ids, status FROM rebate_programmes WHERE customer_id <> 'H-ZJ-001'",
    ):
        ids = json.loads(ids) if isinstance(ids, str) else ids
        own = _rows(
            s,
            "SELECT id, amount FROM orders WHERE customer_id = :c AND order_date BETWEEN :a AND :b",
            c=cust,
            a=dt.date(year, 1, 1),
            b=dt.date(year, 12, 31),
        )
        total = sum((D(a) for _, a in own), D(0))
        if status == "claimed":
            assert set(ids) == {i for i, _ in own} and D(claimed) == total >= D(threshold), pid
        else:
            assert ids == [] and claimed is None and total < D(threshold), pid


def _quarter_last10(day: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    first_month = (day.month - 1) // 3 * 3 + 1
    start = dt.date(day.year, first_month, 1)
    nxt = dt.date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    end = nxt - dt.timedelta(days=1)
    return start, end - dt.timedelta(days=9), end


def check_prepayment_cluster(s: Session) -> None:
    per: dict[tuple[str, dt.date], list[dt.date]] = defaultdict(list)
    for prov, paid in _rows(s, "SELECT province, paid_on FROM prepayments"):
        day = paid if isinstance(paid, dt.date) else dt.date.fromisoformat(paid)
        per[(prov, _quarter_last10(day)[0])].append(day)
    clusters = []
    for (prov, q_start), days in per.items():
        _, lo, hi = _quarter_last10(q_start)
        tail = sum(lo <= d <= hi for d in days)
        rest = len(days) - tail
        baseline = rest / ((lo - q_start).days / 10)  # per 10 days
        if tail >= 3 and tail >= 3 * max(baseline, 0.5):
            clusters.append((prov, q_start, tail, round(baseline, 2)))
        else:
            assert tail <= 1, (prov, q_start, tail)
    assert len(clusters) == 1
    prov, q_start, tail, baseline = clusters[0]
    assert (prov, q_start, tail) == ("GD", dt.date(2026, 7, 1), 9) and 0.7 <= baseline <= 1.3


def _answers(s: Session) -> list[tuple]:  # type: ignore[type-arg]
    return _rows(
        s,
        "SELECT id, province, question_id, option_id, theme, team, owner_id, rep_id, answered_at "
        "FROM feedback_answers ORDER BY answered_at, id",
    )


def check_feedback_pattern(s: Session) -> None:
    answers = _answers(s)
    sd_contract = [a for a in answers if a[1] == "SD" and a[2] == "Q-CONTRACT"]
    last5 = sd_contract[-5:]
    assert len(last5) == 5
    assert all(
        a[3:8] == ("Q-CONTRACT-A", "contract_template_flexibility", "legal_compliance", "P-SL", "P-WQ")
        for a in last5
    )
    assert sd_contract[-6][3] != "Q-CONTRACT-A"
    assert {a[0] for a in answers if a[3] == "Q-CONTRACT-A"} == {a[0] for a in last5}
    items = _rows(
        s,
        "SELECT workbench, owner_id, dedupe_key, title, body, status FROM work_items WHERE kind = 'escalation'",
    )
    assert len(items) == 1
    workbench, owner, key, title, body, status = items[0]
    import json

    body = json.loads(body) if isinstance(body, str) else body
    assert (workbench, owner, status) == ("legal_compliance", "P-SL", "open")
    assert key == f"escalation:SD:contract_template_flexibility:{last5[0][0]}"
    assert body["answer_ids"] == [a[0] for a in last5] and "review the standard contract terms" in title


def check_no_accidental_feedback_patterns(s: Session) -> None:
    """Run length 5 or 8-in-30-days of one routed theme, per region and overall: only the planted run."""
    answers = _answers(s)
    planted = {a[0] for a in answers if a[3] == "Q-CONTRACT-A"}
    scopes: dict[str, list[tuple]] = defaultdict(list)  # type: ignore[type-arg]
    for a in answers:
        scopes[a[1]].append(a)
        scopes["all"].append(a)
    for scope, seq in scopes.items():
        runs: dict[str, tuple[str, list[int]]] = {}
        for a in seq:
            theme, ids = runs.get(a[2], ("", []))
            runs[a[2]] = (a[4], [*ids, a[0]]) if theme == a[4] else (a[4], [a[0]])
            if a[5] is not None and len(runs[a[2]][1]) >= 5:
                assert set(runs[a[2]][1]) <= planted, (scope, a)
        by_theme: dict[str, list[dt.datetime]] = defaultdict(list)
        for a in seq:
            if a[5] is None or a[0] in planted:
                continue
            at = a[8] if isinstance(a[8], dt.datetime) else dt.datetime.fromisoformat(a[8])
            by_theme[a[4]].append(at)
            recent = [t for t in by_theme[a[4]] if at - t <= dt.timedelta(days=30)]
            assert len(recent) < 8, (scope, a[4])


def check_history_volume_and_metrics(s: Session) -> None:
    assert _rows(s, "SELECT COUNT(*) FROM customers")[0][0] >= 20
    assert _rows(s, "SELECT COUNT(*) FROM visits")[0][0] >= 100
    months = {str(d)[:7] for (d,) in _rows(s, "SELECT order_date FROM orders")}
    expected = {"2025-12"} | {f"2026-{m:02d}" for m in range(1, 12)}
    assert expected <= months
    judged = dict(
        _rows(
            s,
            "SELECT judgement, COUNT(*) FROM recommendations WHERE judgement IS NOT NULL GROUP BY judgement",
        )
    )
    assert set(judged) == {"adopted", "rejected", "invalid"} and all(n >= 3 for n in judged.values())
    assert (
        _rows(
            s,
            "SELECT COUNT(*) FROM recommendations WHERE judgement IN ('rejected', 'invalid') AND reason IS NULL",
        )[0][0]
        == 0
    )
    statuses = dict(_rows(s, "SELECT status, COUNT(*) FROM work_items GROUP BY status"))
    assert (
        statuses.get("closed", 0) > 20 and statuses.get("acknowledged", 0) > 5 and statuses.get("open", 0) > 3
    )
    assert (
        _rows(
            s,
            "SELECT COUNT(*) FROM work_items WHERE status = 'closed' AND (closed_at IS NULL OR acknowledged_at IS NULL OR closed_at < acknowledged_at OR acknowledged_at < created_at)",
        )[0][0]
        == 0
    )


CHECKS: list[Callable[[Session], None]] = [
    check_gift_cap,
    check_gift_catalogue,
    check_declarations,
    check_clean_contract,
    check_contract_totals_and_caps,
    check_rebate_cross_year_and_related_party,
    check_other_rebates_honest,
    check_prepayment_cluster,
    check_feedback_pattern,
    check_no_accidental_feedback_patterns,
    check_history_volume_and_metrics,
]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_fact(check: Callable[[Session], None], demo_factory: SessionFactory) -> None:
    with demo_factory() as s:
        check(s)


def test_all_facts_on_both_backends(session_factory: SessionFactory) -> None:
    load_demo(session_factory)
    with session_factory() as s:
        for check in CHECKS:
            check(s)
