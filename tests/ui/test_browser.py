"""One real-browser journey: sign in, ask in Chinese, see the streamed answer and open its citation,
build a battle pack and see its three sections; then the manager dashboard and the visit form on a
phone. Screenshots go to docs/screenshots/ (the README shows them)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.ui.servers import ROOT, running_stack

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = ROOT / "docs" / "screenshots"


def settle(page: Any) -> None:
    """Wait until the Streamlit script run triggered by the last action has finished."""
    page.wait_for_timeout(400)
    page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=120_000)
    page.wait_for_timeout(600)


def sign_in(page: Any, url: str, key: str) -> None:
    page.goto(url)
    page.get_by_label("API 密钥").fill(key)
    page.get_by_role("button", name="登录").click()
    settle(page)


def shoot(page: Any, name: str, height: int) -> None:
    """The app scrolls inside its own container, so a tall viewport stands in for a full page."""
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": height})
    settle(page)
    page.screenshot(path=str(SHOTS / name))
    page.set_viewport_size(size)


def test_rep_journey_in_real_browser(seeded_template: Path, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium is missing: `make test` installs it (make system-deps)")
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with running_stack(seeded_template, tmp_path) as stack, sync_playwright() as pw:
        assert stack.ui_url
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.set_default_timeout(60_000)
        sign_in(page, stack.ui_url, stack.key("rep", "P-ZW"))
        expect(page.get_by_text("当前角色")).to_be_visible()

        # chat: the steps box fills while the answer streams in, then the citation opens its text
        box = page.get_by_placeholder("问点什么", exact=False)
        box.fill("瑞畅药物涂层球囊的临床证据是什么？晚期管腔丢失多少")
        box.press("Enter")
        answer = page.locator('[data-testid="stChatMessage"]').nth(1)
        expect(answer).to_contain_text("0.21 mm", timeout=90_000)
        settle(page)
        expect(answer).to_contain_text(re.compile(r"DOC-EVD-DCB-02:c\d{3}"))
        answer.locator("summary").filter(has_text="处理步骤").click()
        expect(answer).to_contain_text("doc_search")
        answer.locator('[data-testid="stExpander"] summary').filter(has_text="来源").click()
        answer.locator('[data-testid="stPopover"] button').first.click()
        settle(page)
        opened = page.locator('[data-testid="stPopoverBody"]')
        expect(opened).to_contain_text("RUICHANG")
        expect(opened).to_contain_text("evidence-dcb-02.md")
        shoot(page, "chat.png", 2000)
        page.keyboard.press("Escape")

        # battle pack: type to search, build, three sections
        page.locator('[data-testid="stSidebar"] label').filter(has_text="作战包").click()
        settle(page)
        for label, typed in (("客户", "宁波"), ("产品", "瑞畅")):
            page.get_by_label(label).click()
            page.keyboard.type(typed)
            page.keyboard.press("Enter")
            settle(page)
        page.get_by_role("button", name="生成作战包").click()
        settle(page)
        for section in ("① 形势", "② 谈判策略", "替代组合", "③ 临床价值对比"):
            expect(page.locator("h3").filter(has_text=section)).to_be_visible()
        expect(page.get_by_text("已推送至", exact=False)).to_be_visible()
        expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(2)
        shoot(page, "battle_pack.png", 4400)

        # the manager's dashboard
        page.get_by_role("button", name="退出").click()
        settle(page)
        sign_in(page, stack.ui_url, stack.key("manager", "P-CJ"))
        expect(page.locator('[data-testid="stMetric"]')).to_have_count(6)
        expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(3)
        shoot(page, "dashboard.png", 2300)

        # a rep's phone: pages as pills on top, the visit form in one column
        phone = browser.new_page(
            viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN"
        )
        phone.set_default_timeout(60_000)
        sign_in(phone, stack.ui_url, stack.key("rep", "P-ZW"))
        phone.locator(".st-key-mobile-nav button").filter(has_text="拜访反馈").click()
        settle(phone)
        phone.get_by_label("客户").click()
        phone.keyboard.type("滨江中心")
        phone.keyboard.press("Enter")
        phone.get_by_role("button", name="下一步").click()
        settle(phone)
        expect(phone.get_by_text("请回答 3 个问题")).to_be_visible()
        phone.screenshot(path=str(SHOTS / "visit_phone.png"), full_page=True)
        browser.close()
