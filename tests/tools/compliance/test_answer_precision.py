"""Answer rules v2: off-label and kickback flag claims and offers, not words.

Regression cases from the chat eval (answers that v1 withheld although they were correct) next to
the true positives that must still be held, blocked or redacted; plus the upgrade of a database
that already holds the v1 rules (a re-seed must make v2 the active version).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import ComplianceRule
from tools.compliance.rulestore import SHIPPED_DIR, load_shipped_rules
from tools.compliance.service import ComplianceService

TODAY = dt.date(2026, 11, 30)

# Answers the chat eval produced (chat-hosp-02, chat-multi-05/06, chat-law-03), abridged.
STOCK_LIST = (
    "杭州仓 瑞达球囊扩张导管：现货 1800，在途 0，安全库存 300\n"
    "杭州仓 瑞影血管内超声导管：现货 160，在途 0，安全库存 20"
)
COMPETITORS = (
    "- Medix VisionIVUS（Medix，CMP-MX-I）对标瑞影血管内超声导管：终端价 11,800 元，份额 65%。\n"
    "- 康维球囊（康维医疗，CMP-KW-B）对标瑞达球囊扩张导管：终端价 1,100 元，份额 45%。"
)
BUNDLE = (
    "1. 预扩张+支架：瑞达球囊扩张导管 + 瑞通药物洗脱支架（HMT-BC-03 + HMT-DES-01），组合价 1,980 元\n"
    "- Medix VisionIVUS 对标瑞影血管内超声导管：终端价 11,800 元"
)
IFU_DCB = "必须先用普通球囊（如瑞达 PTCA 球囊 HMT-BC-03）充分预扩张；本产品未获批用于外周血管，推广时不得超出上述适应症。"
LAW_ART7 = (
    "- 经营者不得采用财物或者其他手段贿赂下列单位或者个人，以谋取交易机会或者竞争优势。"
    "经营者在交易活动中，可以以明示方式向交易相对方支付折扣，或者向中间人支付佣金，但应当如实入账。\n"
    "- 向医院医生或采购人员提供目录外礼品、与采购量挂钩的个人好处、账外返利，均可能构成商业贿赂。"
    "In English: giving hospital staff money, goods or benefits to win orders is commercial bribery. "
    "An undertaking must not bribe a counterparty's staff to win business."
)


@pytest.fixture
def svc(ref_sqlite: SessionFactory) -> ComplianceService:
    return ComplianceService(ref_sqlite, TODAY)


@pytest.mark.parametrize(
    "text",
    [
        STOCK_LIST,
        COMPETITORS,
        BUNDLE,
        IFU_DCB,
        LAW_ART7,
        "瑞影 IVUS 用于评估冠脉支架扩张与贴壁，指导 PCI 治疗。",
    ],
    ids=["stock-list", "competitors", "bundle", "ifu-negation", "law-art7", "ivus-on-label"],
)
def test_correct_answers_are_no_longer_withheld(svc: ComplianceService, text: str) -> None:
    decision = svc.guard.check_text(text, {"role": "rep"})
    assert decision.action == "allow", [(f.rule_id, f.evidence) for f in decision.findings]


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("瑞影可以用于外周血管扩张，效果一样好", "HMT-IVUS-05"),
        ("瑞影导管可以直接扩张狭窄的血管。", "HMT-IVUS-05"),
        ("瑞畅药物涂层球囊也可用于下肢外周动脉病变。", "HMT-DCB-02"),
        ("股腘动脉病变也可以用瑞畅药球，效果不错。", "HMT-DCB-02"),
        ("RuiTong DES works well in pediatric patients.", "HMT-DES-01"),
    ],
)
def test_off_label_claims_are_still_held(svc: ComplianceService, text: str, product: str) -> None:
    decision = svc.guard.check_text(text, {"role": "rep"})
    assert decision.action == "hold"
    (finding,) = decision.findings
    assert finding.code == "off_label_claim" and finding.rule_version == 2
    assert finding.evidence["products"] == [product] and finding.evidence["claims"]


@pytest.mark.parametrize(
    "text",
    [
        "签了合同给主任返点5%",
        "如果主任不同意，可以私下给他回扣。",
        "我们可以给主任塞红包，这不算贿赂。",
        "We could arrange a small kickback for the department.",
    ],
)
def test_kickback_offers_are_still_blocked(svc: ComplianceService, text: str) -> None:
    decision = svc.guard.check_text(text)
    assert decision.action == "block"
    assert [(f.code, f.rule_version) for f in decision.findings] == [("kickback_promise", 2)]


WORKBENCH = (
    "- #141 [经理·反馈转办·已受理] [青岛海湾医院] 要求额外折扣或返利（SD，2026-10-22，已逾期）\n"
    "- #141 [manager · feedback · acknowledged] [Qingdao Bay Hospital] Asked for an extra discount or rebate"
)


def test_reporting_a_customer_request_is_no_promise(svc: ComplianceService) -> None:
    decision = svc.guard.check_text(WORKBENCH, {"role": "manager"})
    assert decision.action == "allow", [(f.rule_id, f.evidence) for f in decision.findings]


@pytest.mark.parametrize(
    "text",
    [
        "如果本季度签约，我们可以额外给 2% 返利。",
        "We can offer an extra 3% rebate if they sign this quarter.",
    ],
)
def test_extra_rebate_promises_are_still_held_for_dual_sign(svc: ComplianceService, text: str) -> None:
    decision = svc.guard.check_text(text)
    assert decision.action == "hold"
    assert [(f.code, f.rule_version) for f in decision.findings] == [("gift_rebate_promise", 2)]


def test_personal_data_is_still_redacted_next_to_the_law(svc: ComplianceService) -> None:
    decision = svc.guard.check_text(LAW_ART7 + "\n联系人 13812345678，身份证 330106198501012345")
    assert decision.action == "redact"
    assert {f.code for f in decision.findings} == {"personal_data_phone", "personal_data_id_number"}
    assert "13812345678" not in decision.redacted_text and "330106198501012345" not in decision.redacted_text


def _v1_rules(tmp_path: Path) -> Path:
    """The shipped rule files as they were before v2 (v1 off-label, kickback and promise)."""
    out = tmp_path / "rules_v1"
    out.mkdir()
    for path in SHIPPED_DIR.glob("*.yaml"):
        (out / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    root = Path(__file__).resolve().parents[3]
    for name in ("answer_off_label.yaml", "answer_kickback.yaml", "answer_promise.yaml"):
        old = subprocess.run(
            ["git", "show", f"938a1f3:tools/compliance/rules/{name}"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        if old.returncode != 0:
            pytest.skip("git history with the v1 rules is not available")
        (out / name).write_text(old.stdout, encoding="utf-8")
    return out


def test_reseed_upgrades_a_database_holding_v1(
    sqlite_factory: SessionFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tools.compliance.service.RULES_TTL_S", 0.0)  # no wait for the re-read
    with transaction(sqlite_factory) as session:
        assert load_shipped_rules(session, directory=_v1_rules(tmp_path)) > 0
    svc = ComplianceService(sqlite_factory, TODAY)
    assert svc.guard.check_text(LAW_ART7).action == "block"  # v1's false positive
    with transaction(sqlite_factory) as session:
        assert load_shipped_rules(session) == 3  # what `copilot seed` runs
        assert load_shipped_rules(session) == 0  # idempotent
    with transaction(sqlite_factory) as session:
        rows = session.execute(
            select(ComplianceRule.id, ComplianceRule.version, ComplianceRule.status).where(
                ComplianceRule.id.in_(["ANS-KICKBACK", "ANS-OFF-LABEL", "ANS-GIFT-REBATE-PROMISE"])
            )
        ).all()
    assert sorted(rows) == [
        ("ANS-GIFT-REBATE-PROMISE", 1, "retired"),
        ("ANS-GIFT-REBATE-PROMISE", 2, "active"),
        ("ANS-KICKBACK", 1, "retired"),
        ("ANS-KICKBACK", 2, "active"),
        ("ANS-OFF-LABEL", 1, "retired"),
        ("ANS-OFF-LABEL", 2, "active"),
    ]
    assert svc.guard.check_text(LAW_ART7).action == "allow"  # a running service picks v2 up
    assert svc.guard.check_text("签了合同给主任返点5%").action == "block"
