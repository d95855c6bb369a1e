"""Page logic with Streamlit's AppTest against the real API served by the test (one stack per module).

Every test drives the app the way a person would (sign in, pick, type, click) and then checks
both what the page shows and what the API recorded, so a page that renders but sends the wrong
request fails.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.servers import ROOT, Stack, running_stack

pytestmark = pytest.mark.slow
APP = str(ROOT / "ui" / "app.py")


@pytest.fixture(scope="module")
def stack(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(seeded_template, tmp_path_factory.mktemp("ui-pages"), with_ui=False) as s:
        yield s


def _app(url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("COPILOT_API_URL", url)
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    return at


def _sign_in(at: AppTest, key: str) -> AppTest:
    at.text_input[0].input(key)
    at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    return at


def signed_in(stack: Stack, monkeypatch: pytest.MonkeyPatch, role: str, person: str | None) -> AppTest:
    return _sign_in(_app(stack.api_url, monkeypatch), stack.key(role, person))


def goto(at: AppTest, page: str) -> AppTest:
    at.sidebar.radio(key="page").set_value(page).run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for kind in (at.success, at.info, at.warning, at.error) for e in kind]
    return "\n".join(str(p) for p in parts)


def pick(at: AppTest, key: str, contains: str, run: bool = True) -> None:
    """Choose the option whose label contains `contains` (inside a form: no run until submit)."""
    box = at.selectbox(key=key)
    box.select_index(next(i for i, o in enumerate(box.options) if contains in o))
    if run:
        at.run()


def button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


# ------------------------------------------------------------------ sign-in, roles and failures
def test_role_decides_pages(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    rep = signed_in(stack, monkeypatch, "rep", "P-ZW")
    assert any("张伟" in m.value for m in rep.sidebar.markdown)
    assert rep.sidebar.radio(key="page").options == [
        ":material/forum: 对话",
        ":material/swords: 作战包",
        ":material/edit_note: 拜访反馈",
        ":material/inbox: 工作台",
        ":material/gavel: 合规",
    ]
    rep.sidebar.radio(key="lang-radio").set_value("English").run()
    assert rep.sidebar.radio(key="page").options[0] == ":material/forum: Chat"
    assert rep.header[0].value == "Chat" and rep.chat_input[0].placeholder.startswith("Ask")
    legal = signed_in(stack, monkeypatch, "legal_compliance", "P-SL")
    assert legal.sidebar.radio(key="page").value == "page_compliance"
    assert [t.label for t in legal.tabs] == ["检查合同", "规则", "预警", "合规热力图（省份 × 周）"]
    manager = signed_in(stack, monkeypatch, "manager", "P-CJ")
    assert manager.sidebar.radio(key="page").value == "page_dashboard"


def test_bad_key_down_or_slow_api_is_a_message_and_retry(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = _sign_in(_app(stack.api_url, monkeypatch), "cpk_000000000000_not-a-key")
    assert any("密钥无效" in e.value for e in bad.warning) and "me" not in bad.session_state

    down = _sign_in(_app("http://127.0.0.1:9", monkeypatch), "cpk_anything")
    assert any("服务暂时不可用" in e.value for e in down.error)
    assert any(b.label == "重试" for b in down.button)

    with socket.socket() as silent:  # accepts connections (backlog) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        monkeypatch.setenv("COPILOT_UI_TIMEOUT_S", "1")
        slow = _sign_in(_app(f"http://127.0.0.1:{silent.getsockname()[1]}", monkeypatch), "cpk_anything")
        assert any("响应太慢" in e.value for e in slow.error)
        monkeypatch.delenv("COPILOT_UI_TIMEOUT_S")

    # the API going away after sign-in: the page says so, offers a retry, and recovers
    at = signed_in(stack, monkeypatch, "manager", "P-CJ")
    monkeypatch.setenv("COPILOT_API_URL", "http://127.0.0.1:9")
    at.run()
    assert not at.exception and any("服务暂时不可用" in e.value for e in at.error)
    monkeypatch.setenv("COPILOT_API_URL", stack.api_url)
    button(at, "重试").click().run()
    assert not at.error and len(at.metric) == 6


# ------------------------------------------------------------------------------------- chat
def test_chat_streams_steps_sources_judgement_and_history(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = signed_in(stack, monkeypatch, "rep", "P-ZW")
    at.chat_input[0].set_value("杭州仓瑞畅DCB还有多少库存？").run()
    assert not at.exception, at.exception
    messages = at.session_state["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert "35" in messages[1]["content"] and "35" in texts(at)
    assert any("inventory" in step or "stock" in step for step in messages[1]["steps"])
    labels = [e.label for e in at.expander]
    assert any(label.startswith("处理步骤") for label in labels)
    assert any(label.startswith("来源") for label in labels)
    assert "stock:WH-HZ/HMT-DCB-02" in texts(at)

    thread_id = at.session_state["thread_id"]
    button(at, "采纳").click().run()
    assert "已记录" in texts(at)
    with stack.api("rep", "P-ZW") as api:
        recs = api.get("/v1/recommendations", params={"source_id": f"{thread_id}:1"}).json()["data"]
    assert [r["judgement"] for r in recs] == ["adopted"]

    # a new session reopens the thread from the sidebar, history and citations included
    again = signed_in(stack, monkeypatch, "rep", "P-ZW")
    next(b for b in again.sidebar.button if b.key == f"th-{thread_id}").click().run()
    assert not again.exception, again.exception
    history = again.session_state["messages"]
    assert [m["role"] for m in history] == ["user", "assistant"] and "35" in history[1]["content"]
    assert any(e.label.startswith("来源") for e in again.expander)


# ------------------------------------------------------------------------------ battle pack
def test_battle_pack_cards_charts_push_and_judgement(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    at = goto(signed_in(stack, monkeypatch, "rep", "P-ZW"), "page_pack")
    assert at.button(key="bp-build").disabled
    pick(at, "bp-customer", "H-ZJ-001")
    pick(at, "bp-product", "HMT-DCB-02")
    at.button(key="bp-build").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader] == ["① 形势", "② 谈判策略", "替代组合", "③ 临床价值对比"]
    shown = texts(at)
    assert "杭州仓：现有35件" in shown and "★ 供货仓: 杭州仓" in shown
    assert any("已推送至" in s.value and "销售工作台" in s.value for s in at.success)
    assert len(at.get("plotly_chart")) == 2  # price comparison, stock by warehouse
    assert len(at.get("download_button")) == 2

    pack_id = at.session_state["pack"]["meta"]["id"]
    at.button(key=f"bp-{pack_id}-S1-rejected").click().run()
    with stack.api("rep", "P-ZW") as api:
        recs = {
            r["id"]: r["judgement"]
            for r in api.get("/v1/recommendations", params={"source_id": pack_id}).json()["data"]
        }
    assert recs[f"{pack_id}-S1"] == "rejected"


# ------------------------------------------------------------------------------- compliance
def test_compliance_check_and_rule_lifecycle(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    at = signed_in(stack, monkeypatch, "legal_compliance", "P-SL")
    at.number_input[0].set_value(50000.0)  # the 2,000 CNY gift is then 4% of the total
    button(at, "检查合同").click().run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "`gift_ratio_exceeded`" in shown and "反不正当竞争法" in shown and "须采取的措施" in shown
    assert any("未通过" in e.value for e in at.error)

    # tabs render eagerly: the rules table, the open alerts (planted rebate finding) and the heat map
    assert any("REBATE-RELATED-PARTY" in d.value.to_string() for d in at.dataframe)
    assert len(at.get("plotly_chart")) == 1

    pick(at, "rule-pick", "GIFT-RATIO")
    at.text_area(key="re-GIFT-RATIO-1-sum").input("经营者不得以赠品变相行贿。 (edited in the UI test)").run()
    at.button(key="re-GIFT-RATIO-1-save").click().run()
    assert not at.exception, at.exception
    at.button(key="re-GIFT-RATIO-2-ex").click().run()
    assert any("运行示例: v2" in s.value for s in at.success)
    at.button(key="re-GIFT-RATIO-2-sim").click().run()
    assert any("历史模拟" in i.value for i in at.info)
    at.button(key="re-GIFT-RATIO-2-act").click().run()
    assert not at.exception, at.exception
    with stack.api("legal_compliance", "P-SL") as api:
        rule = api.get("/v1/compliance/rules/GIFT-RATIO").json()
    assert (rule["version"], rule["status"]) == (2, "active")
    assert "edited in the UI test" in rule["legal_basis"]["summary"]
    assert rule["params"] == {"max_ratio": 0.03} and len(rule["examples"]["flag"]) == 2


def test_decision_table_round_trips_through_the_editor(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    at = goto(signed_in(stack, monkeypatch, "admin", None), "page_compliance")
    pick(at, "rule-pick", "PRICE-VBP-CAP")
    at.button(key="re-PRICE-VBP-CAP-1-save").click().run()  # unchanged grid: a draft equal to v1
    assert not at.exception, at.exception
    with stack.api("admin") as api:
        v1 = api.get("/v1/compliance/rules/PRICE-VBP-CAP", params={"version": 1}).json()
        v2 = api.get("/v1/compliance/rules/PRICE-VBP-CAP").json()
        assert api.post("/v1/compliance/rules/PRICE-VBP-CAP/examples").json()["ok"]
    assert v2["version"] == 2 and v2["status"] == "draft"
    assert v2["condition"] == v1["condition"]


# ------------------------------------------------------------------------- visit & workbench
def test_visit_in_three_taps_routes_work(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    at = goto(signed_in(stack, monkeypatch, "rep", "P-ZW"), "page_visit")
    button(at, "下一步").click().run()
    assert any("请先选择客户" in w.value for w in at.warning)
    pick(at, "v-customer", "杭州滨江中心医院", run=False)
    pick(at, "v-product", "瑞畅药物涂层球囊", run=False)
    at.text_input(key="v-people").input("心内科 王主任")
    button(at, "下一步").click().run()
    assert not at.exception, at.exception
    visit = at.session_state["visit"]
    assert len(visit["questions"]) == 3 and len(at.main.radio) == 3
    assert at.button(key="answer-submit").disabled  # every question needs its one tap
    for q in visit["questions"]:
        at.radio(key=f"q-{visit['visit_id']}-{q['id']}").set_value(q["options"][0]["id"]).run()
    at.button(key="answer-submit").click().run()
    assert not at.exception, at.exception
    receipt = at.session_state["visit_receipt"]
    assert len(receipt["answers"]) == 3
    routed = [a for a in receipt["answers"] if a["work_item_id"]]
    assert routed and "已提交" in texts(at)
    with stack.api("manager", "P-CJ") as api:
        for a in routed:
            item = api.get(f"/v1/workbench/items/{a['work_item_id']}").json()
            assert item["source_id"] is not None and item["workbench"] == a["team"]


def test_workbench_acknowledge_and_close(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    with stack.api("legal_compliance", "P-SL") as api:
        item = api.get("/v1/workbench/items", params={"kind": "escalation", "status": "open"}).json()["data"][
            0
        ]
    assert "合同模板" in item["title"]
    at = goto(signed_in(stack, monkeypatch, "legal_compliance", "P-SL"), "page_workbench")
    assert f"#{item['id']}" in texts(at)
    at.button(key=f"ack-{item['id']}").click().run()
    assert not at.exception, at.exception
    at.button(key=f"close-{item['id']}").click().run()
    assert any("关闭前请填写处理结果" in w.value for w in at.warning)
    at.text_input(key=f"note-{item['id']}").input("已复核标准合同条款，下周发布新版模板")
    at.button(key=f"close-{item['id']}").click().run()
    assert not at.exception, at.exception
    with stack.api("legal_compliance", "P-SL") as api:
        done = api.get(f"/v1/workbench/items/{item['id']}").json()
    assert done["status"] == "closed" and done["acknowledged_at"] and "合同条款" in done["close_note"]


# ------------------------------------------------------------------------------- dashboard
def test_dashboard_numbers_trends_and_adhoc_question(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    at = signed_in(stack, monkeypatch, "manager", "P-CJ")
    with stack.api("manager", "P-CJ") as api:
        numbers = api.get("/v1/metrics", params={"period": "ytd"}).json()
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["AI 建议采纳率"] == f"{numbers['adoption_rate']:.1%}"
    assert tiles["协同任务闭环率"] == f"{numbers['closure_rate']:.1%}"
    assert tiles["未关闭升级"] == str(len(numbers["open_escalations"]))
    assert len(at.get("plotly_chart")) == 3  # two trend charts and the heat map

    at.selectbox(key="db-region").set_value("GD").run()
    assert not at.exception, at.exception

    # the ad hoc box hands the question to the chat page (the page radio already exists)
    at.text_input(key="adhoc-q").input("上季度哪个地区出现了季度末预付款激增？")
    button(at, "提问").click().run()
    assert not at.exception, at.exception
    assert at.sidebar.radio(key="page").value == "page_chat"
    messages = at.session_state["messages"]
    assert messages[0]["content"] == "上季度哪个地区出现了季度末预付款激增？"
    assert messages[1]["role"] == "assistant" and messages[1]["content"]
