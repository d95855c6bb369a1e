"""Work items (feedback routes, the planted escalation) and judged recommendations of the history.

Items carry acknowledged/closed timestamps so the manager metrics (closure rate, response time,
adoption rate) have real history to compute over. Shapes follow tools/feedback (routing.py and
patterns.py): kind, title, body keys and dedupe keys are the ones that service writes.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from knowledge.seed.gen_activity import NOW, PLANTED, Activity
from knowledge.seed.gen_texts import CLOSE_NOTES, OPTION_TEXT, QUESTION_TEXT, REASONS, RECOMMENDATIONS

ESCALATION_TITLE = (
    "模式升级:山东连续5次反馈「客户质疑我方合同模板的灵活性」,请复核标准合同条款 / "
    "Escalation: Shandong, 5 times in a row: the customer questioned the flexibility of our "
    "contract template; review the standard contract terms"
)


def _lifecycle(rng: random.Random, item: dict[str, Any], created: dt.datetime) -> None:
    """Older items are mostly closed; recent ones are a mix of open, acknowledged and closed."""
    age = NOW - created
    roll = rng.random()
    closed_p, ack_p = (0.8, 0.95) if age > dt.timedelta(days=14) else (0.3, 0.65)
    status = "closed" if roll < closed_p else "acknowledged" if roll < ack_p else "open"
    ack = created + dt.timedelta(hours=rng.uniform(0.5, 36))
    close = ack + dt.timedelta(hours=rng.uniform(4, 200))
    if status == "closed" and close > NOW:
        status = "acknowledged"
    if status == "acknowledged" and ack > NOW:
        status = "open"
    item["status"] = status
    if status in {"acknowledged", "closed"}:
        item["acknowledged_at"] = ack.isoformat()
        item["acknowledged_by"] = item["owner_id"]
        item["updated_at"] = ack.isoformat()
    if status == "closed":
        item["closed_at"] = close.isoformat()
        item["closed_by"] = item["owner_id"]
        item["close_note"] = rng.choice(CLOSE_NOTES)
        item["updated_at"] = close.isoformat()


def _empty_item(item_id: int) -> dict[str, Any]:
    return {
        "id": item_id,
        "acknowledged_at": None,
        "acknowledged_by": None,
        "closed_at": None,
        "closed_by": None,
        "close_note": None,
    }


def build_work_items(rng: random.Random, act: Activity) -> None:
    item_id = 0
    for ans in act.answers:
        if not ans["team"]:
            continue
        item_id += 1
        cust = ans["_customer"]
        created = dt.datetime.fromisoformat(ans["answered_at"])
        zh, en = OPTION_TEXT[ans["option_id"]]
        qzh, qen = QUESTION_TEXT[ans["question_id"]]
        item = _empty_item(item_id) | {
            "workbench": ans["team"],
            "kind": "feedback_route",
            "title": f"[{cust['name_zh']}] {zh} / [{cust['name_en']}] {en}"[:256],
            "body": {
                "visit_id": ans["visit_id"],
                "answer_id": ans["id"],
                "question_id": ans["question_id"],
                "question": {"zh": qzh, "en": qen},
                "option_id": ans["option_id"],
                "answer": {"zh": zh, "en": en},
                "theme": ans["theme"],
                "customer_id": cust["id"],
                "rep_id": ans["rep_id"],
                "visit_date": ans["_day"].isoformat(),
            },
            "owner_id": ans["owner_id"],
            "province": ans["province"],
            "source_type": "feedback_answer",
            "source_id": str(ans["id"]),
            "dedupe_key": f"feedback_route:{ans['idempotency_key']}",
            "sla_due": (created + dt.timedelta(hours=ans["_sla"])).isoformat(),
            "created_at": created.isoformat(),
            "updated_at": created.isoformat(),
        }
        _lifecycle(rng, item, created)
        act.work_items.append(item)
    planted = [a for a in act.answers if a["province"] == "SD" and a["option_id"] == PLANTED[1]]
    assert len(planted) == 5, len(planted)
    first, last = planted[0], planted[-1]
    created = dt.datetime.fromisoformat(last["answered_at"]) + dt.timedelta(seconds=30)
    act.work_items.append(
        _empty_item(item_id + 1)
        | {
            "workbench": "legal_compliance",
            "kind": "escalation",
            "title": ESCALATION_TITLE,
            "body": {
                "theme": "contract_template_flexibility",
                "rule": "run",
                "scope": "region",
                "scope_value": "SD",
                "count": 5,
                "answer_ids": [a["id"] for a in planted],
                "visit_ids": [a["visit_id"] for a in planted],
                "rep_ids": ["P-WQ"],
                "provinces": ["SD"],
                "first_answered_at": first["answered_at"],
                "last_answered_at": last["answered_at"],
                "action": "review the standard contract terms / 复核标准合同条款",
            },
            "owner_id": "P-SL",
            "province": "SD",
            "source_type": "feedback_pattern",
            "source_id": str(first["id"]),
            "dedupe_key": f"escalation:SD:contract_template_flexibility:{first['id']}",
            "status": "open",
            "sla_due": (created + dt.timedelta(hours=48)).isoformat(),
            "created_at": created.isoformat(),
            "updated_at": created.isoformat(),
        }
    )


def build_recommendations(
    rng: random.Random, act: Activity, customers: list[dict[str, Any]], products: dict[str, Any]
) -> None:
    """About five suggestions a month, most judged by the rep within a few days."""
    rivals = {
        "HMT-DES-01": "康维Pro支架",
        "HMT-DCB-02": "博越紫杉醇球囊",
        "HMT-BC-03": "康维球囊",
        "HMT-GW-04": "Medix SilkWire",
        "HMT-IVUS-05": "Medix VisionIVUS",
        "HMT-FFR-06": "Medix PressureWire X",
    }
    n = 0
    day = dt.date(2025, 12, 3)
    while day <= NOW.date():
        cust = rng.choice(customers)
        pid = rng.choice(sorted(products))
        kind = rng.choice(sorted(RECOMMENDATIONS))
        created = dt.datetime.combine(day, dt.time(2 + rng.randint(0, 8), rng.randint(0, 59)), tzinfo=dt.UTC)
        n += 1
        judged_at = created + dt.timedelta(hours=rng.uniform(3, 120))
        roll = rng.random()
        judgement = (
            None
            if roll < 0.12 or judged_at > NOW
            else "adopted"
            if roll < 0.62
            else "rejected"
            if roll < 0.87
            else "invalid"
        )
        act.recommendations.append(
            {
                "id": f"REC-{day:%Y%m%d}-{n:03d}",
                "kind": kind,
                "source_type": "battle_pack",
                "source_id": f"BP-{cust['id']}-{pid}-{day:%Y%m%d}",
                "text": rng.choice(RECOMMENDATIONS[kind]).format(
                    product=products[pid]["name_zh"], competitor=rivals[pid]
                ),
                "province": cust["province"],
                "rep_id": cust["rep_id"],
                "created_at": created.isoformat(),
                "judgement": judgement or "",
                "reason": (rng.choice(REASONS[judgement]) or "") if judgement else "",
                "judged_by": cust["rep_id"] if judgement else "",
                "judged_at": judged_at.isoformat() if judgement else "",
            }
        )
        day += dt.timedelta(days=rng.randint(3, 9))
