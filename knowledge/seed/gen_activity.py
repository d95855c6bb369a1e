"""Visits, feedback answers, work items and recommendation judgements of the demo history.

Used once by generate.py. Question, option and theme ids are those of the feedback question bank
(tools/feedback/questions.yaml, a contract with this history). Answers are drawn so that no
routed theme forms a run of 3 or a cluster of 5 in 30 days in any scope, except the planted
pattern: the 5 most recent Shandong answers to Q-CONTRACT are Q-CONTRACT-A, which raised one
escalation to legal (孙磊).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import random
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from knowledge.seed.gen_commerce import END, START
from knowledge.seed.gen_texts import NOTE_OPENERS, OPTION_TEXT, PEOPLE_MET, THEME_NOTES

NOW = dt.datetime(2026, 11, 30, 4, 0, tzinfo=dt.UTC)  # 12:00 in Asia/Shanghai on the demo day
CST = dt.timezone(dt.timedelta(hours=8))
# question -> [(option, theme, team, owner, sla_hours)], mirroring tools/feedback/questions.yaml
BANK: dict[str, list[tuple[str, str, str | None, str | None, int]]] = {
    "Q-DELIVERY": [
        ("Q-DELIVERY-A", "delivery_lead_time", "manager", "P-CJ", 24),
        ("Q-DELIVERY-B", "price_focus", None, None, 0),
        ("Q-DELIVERY-C", "clinical_focus", None, None, 0),
        ("Q-DELIVERY-D", "no_signal", None, None, 0),
    ],
    "Q-COMPETITOR": [
        ("Q-COMPETITOR-A", "competitor_feature", "marketing", "P-LY", 72),
        ("Q-COMPETITOR-B", "competitor_price", "marketing", "P-LY", 72),
        ("Q-COMPETITOR-C", "competitor_evidence", "medical_affairs", "P-ZM", 72),
        ("Q-COMPETITOR-D", "no_signal", None, None, 0),
    ],
    "Q-SUPPORT": [
        ("Q-SUPPORT-A", "medical_support", "medical_affairs", "P-ZM", 48),
        ("Q-SUPPORT-B", "marketing_support", "marketing", "P-LY", 48),
        ("Q-SUPPORT-C", "legal_support", "legal_compliance", "P-SL", 48),
        ("Q-SUPPORT-D", "no_signal", None, None, 0),
    ],
    "Q-CONTRACT": [
        ("Q-CONTRACT-A", "contract_template_flexibility", "legal_compliance", "P-SL", 72),
        ("Q-CONTRACT-B", "payment_terms", "manager", "P-CJ", 72),
        ("Q-CONTRACT-C", "no_signal", None, None, 0),
        ("Q-CONTRACT-D", "no_signal", None, None, 0),
    ],
    "Q-VBP": [
        ("Q-VBP-A", "vbp_volume_shift", "manager", "P-CJ", 48),
        ("Q-VBP-B", "vbp_price_inquiry", "marketing", "P-LY", 72),
        ("Q-VBP-C", "no_signal", None, None, 0),
    ],
    "Q-CLINICAL": [
        ("Q-CLINICAL-A", "clinical_evidence_request", "medical_affairs", "P-ZM", 72),
        ("Q-CLINICAL-B", "adverse_event_signal", "medical_affairs", "P-ZM", 24),
        ("Q-CLINICAL-C", "no_signal", None, None, 0),
    ],
    "Q-SUBSTITUTE": [
        ("Q-SUBSTITUTE-A", "substitute_accepted", None, None, 0),
        ("Q-SUBSTITUTE-B", "substitute_rejected", "manager", "P-CJ", 24),
        ("Q-SUBSTITUTE-C", "no_signal", None, None, 0),
    ],
    "Q-PRICE": [
        ("Q-PRICE-A", "rebate_request", "manager", "P-CJ", 48),
        ("Q-PRICE-B", "gift_request", "legal_compliance", "P-SL", 24),
        ("Q-PRICE-C", "no_signal", None, None, 0),
    ],
}
QUESTION_WEIGHTS = {
    "Q-DELIVERY": 2,
    "Q-COMPETITOR": 3,
    "Q-SUPPORT": 3,
    "Q-CONTRACT": 1.5,
    "Q-VBP": 2,
    "Q-CLINICAL": 2,
    "Q-SUBSTITUTE": 1,
    "Q-PRICE": 1,
}
VISITS_PER_MONTH = {"P-ZW": 5, "P-LN": 3, "P-WQ": 3}
PLANTED_SD_DAYS = [
    dt.date(2026, 10, 13),
    dt.date(2026, 10, 22),
    dt.date(2026, 11, 3),
    dt.date(2026, 11, 12),
    dt.date(2026, 11, 24),
]
PLANTED = ("Q-CONTRACT", "Q-CONTRACT-A")
MAX_RUN = 2  # longest run of one routed theme per question and scope
MAX_WINDOW = 4  # most answers of one routed theme in any 30 days, all regions together


@dataclass
class Activity:
    visits: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    work_items: list[dict[str, Any]] = field(default_factory=list)
    recommendations: list[dict[str, Any]] = field(default_factory=list)


def visit_id(rep_id: str, customer_id: str, day: dt.date, people: list[str], note: str) -> str:
    """The id tools/feedback gives a recorded visit (same inputs, same id)."""
    raw = "|".join([rep_id, customer_id, day.isoformat(), ",".join(sorted(people)), note])
    return f"V-{day:%Y%m%d}-{hashlib.sha256(raw.encode('utf-8')).hexdigest()[:10]}"


class _Guard:
    """Tracks runs per (scope, question) and a 30-day window per theme to refuse accidental patterns."""

    def __init__(self) -> None:
        self.runs: dict[tuple[str, str], tuple[str, int]] = {}
        self.window: dict[str, deque[dt.datetime]] = defaultdict(deque)

    def allowed(self, scopes: list[str], qid: str, theme: str, at: dt.datetime) -> bool:
        for scope in scopes:
            last, length = self.runs.get((scope, qid), ("", 0))
            if last == theme and length >= MAX_RUN:
                return False
        recent = [t for t in self.window[theme] if at - t < dt.timedelta(days=30)]
        return len(recent) < MAX_WINDOW

    def record(self, scopes: list[str], qid: str, theme: str, team: str | None, at: dt.datetime) -> None:
        for scope in scopes:
            last, length = self.runs.get((scope, qid), ("", 0))
            self.runs[(scope, qid)] = (theme, length + 1 if last == theme else 1)
        if team is not None:
            self.window[theme].append(at)


def _weekday(rng: random.Random, month: dt.date) -> dt.date:
    while True:
        day = month + dt.timedelta(days=rng.randint(0, 27))
        if day.weekday() < 5 and day <= END:
            return day


def plan_visits(rng: random.Random, customers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """(day, rep, customer, product, questions) for every visit, planted ones included."""
    by_rep: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in customers:
        by_rep[c["rep_id"]].append(c)
    products = ["HMT-DES-01", "HMT-DCB-02", "HMT-BC-03", "HMT-GW-04", "HMT-IVUS-05", "HMT-FFR-06"]
    plans: list[dict[str, Any]] = []
    month = START
    while month <= END:
        for rep, n in VISITS_PER_MONTH.items():
            for _ in range(n):
                day = _weekday(rng, month)
                if rep == "P-WQ" and day >= PLANTED_SD_DAYS[0] - dt.timedelta(days=3):
                    continue  # Shandong's last visits are the planted ones
                cust = rng.choice(by_rep[rep])
                questions = _pick_questions(rng, exclude=set())
                product = rng.choice(products) if rng.random() < 0.9 else None
                plans.append(
                    {"day": day, "rep": rep, "customer": cust, "product": product, "questions": questions}
                )
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    sd = [c for c in customers if c["province"] == "SD"]
    for i, day in enumerate(PLANTED_SD_DAYS):
        questions = ["Q-CONTRACT", *_pick_questions(rng, exclude={"Q-CONTRACT"})[:2]]
        plans.append(
            {
                "day": day,
                "rep": "P-WQ",
                "customer": sd[i % len(sd)],
                "product": rng.choice(products),
                "questions": questions,
                "planted": True,
            }
        )
    plans.sort(key=lambda p: (p["day"], p["rep"], p["customer"]["id"]))
    # Other regions answer Q-CONTRACT between the planted answers, so the run exists only in Shandong.
    for lo, hi in itertools.pairwise(PLANTED_SD_DAYS):
        between = [p for p in plans if lo < p["day"] < hi and p["customer"]["province"] != "SD"]
        if between and "Q-CONTRACT" not in between[0]["questions"]:
            between[0]["questions"] = [*between[0]["questions"][:2], "Q-CONTRACT"]
        if between:
            between[0]["neutral_contract"] = True
    return plans


def _pick_questions(rng: random.Random, exclude: set[str]) -> list[str]:
    pool = [q for q in QUESTION_WEIGHTS if q not in exclude]
    chosen: list[str] = []
    while len(chosen) < 3:
        q = rng.choices(pool, weights=[QUESTION_WEIGHTS[p] for p in pool])[0]
        if q not in chosen:
            chosen.append(q)
    return chosen


def _choose_option(
    rng: random.Random, guard: _Guard, plan: dict[str, Any], qid: str, at: dt.datetime
) -> tuple[str, str, str | None, str | None, int]:
    options = BANK[qid]
    neutral = next(o for o in options if o[1] == "no_signal")
    if plan.get("planted") and qid == PLANTED[0]:
        return options[0]
    if qid == PLANTED[0] and plan.get("neutral_contract"):
        return neutral
    scopes = [plan["customer"]["province"], "team-sales"]
    if rng.random() < 0.5:
        return neutral
    candidates = [o for o in options if o[0] != PLANTED[1] and o[1] != "no_signal"]
    option = rng.choice(candidates)
    if option[2] is not None and not guard.allowed(scopes, qid, option[1], at):
        return neutral
    return option


def build_activity(rng: random.Random, customers: list[dict[str, Any]], products: dict[str, Any]) -> Activity:
    out = Activity()
    guard = _Guard()
    answer_id = 0
    for plan in plan_visits(rng, customers):
        cust, day = plan["customer"], plan["day"]
        at = dt.datetime.combine(day, dt.time(17, rng.randint(0, 59)), tzinfo=CST).astimezone(dt.UTC)
        chosen = [(qid, _choose_option(rng, guard, plan, qid, at)) for qid in plan["questions"]]
        people = rng.sample(PEOPLE_MET, k=rng.choice([1, 2, 2, 3]))
        note = _note(rng, plan, people, chosen, products)
        vid = visit_id(plan["rep"], cust["id"], day, people, note)
        out.visits.append(
            {
                "id": vid,
                "customer_id": cust["id"],
                "rep_id": plan["rep"],
                "visit_date": day.isoformat(),
                "product_id": plan["product"] or "",
                "people_met": people,
                "note": note,
                "question_ids": plan["questions"],
                "created_at": (at - dt.timedelta(minutes=3)).isoformat(),
            }
        )
        for k, (qid, (oid, theme, team, owner, sla)) in enumerate(chosen):
            answer_id += 1
            when = at + dt.timedelta(seconds=20 * k)
            guard.record([cust["province"], "team-sales"], qid, theme, team, when)
            out.answers.append(
                {
                    "id": answer_id,
                    "visit_id": vid,
                    "question_id": qid,
                    "option_id": oid,
                    "theme": theme,
                    "team": team or "",
                    "owner_id": owner or "",
                    "province": cust["province"],
                    "rep_id": plan["rep"],
                    "answered_at": when.isoformat(),
                    "idempotency_key": f"{vid}:{qid}",
                    "_sla": sla,
                    "_customer": cust,
                    "_day": day,
                }
            )
    return out


def _note(
    rng: random.Random,
    plan: dict[str, Any],
    people: list[str],
    chosen: list[tuple[str, tuple[str, str, str | None, str | None, int]]],
    products: dict[str, Any],
) -> str:
    product = products.get(plan["product"] or "")
    opener = rng.choice(NOTE_OPENERS).format(
        people="、".join(people), product=product["name_zh"] if product else "我司冠脉介入产品线"
    )
    extra = [rng.choice(THEME_NOTES[theme]) for _, (_, theme, *_rest) in chosen if theme in THEME_NOTES]
    return "".join([opener, *extra])


def option_text(option_id: str) -> tuple[str, str]:
    return OPTION_TEXT[option_id]
