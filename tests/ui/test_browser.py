"""One real-browser journey: sign in, ask in Chinese, see the streamed answer and its citation,
build a battle pack and see its three sections. Screenshots go to docs/screenshots/ (README)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.servers import ROOT, running_stack

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "docs" / "screenshots"


def test_rep_journey_in_real_browser(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium is missing: `make test` installs it (make system-deps)")
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with running_stack(tmp_path / "data") as stack, sync_playwright() as pw:
        key = stack.key("rep", "P-ZW")
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.set_default_timeout(60_000)
        assert stack.ui_url
        page.goto(stack.ui_url)
        page.get_by_label("API 密钥").fill(key)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_text("当前角色")).to_be_visible()

        box = page.get_by_placeholder("问点什么", exact=False)
        box.fill("瑞畅药物涂层球囊的临床证据是什么？晚期管腔丢失多少")
        box.press("Enter")
        answer = page.locator('[data-testid="stChatMessage"]').nth(1)
        expect(answer).to_contain_text("瑞畅", timeout=90_000)
        expect(page.get_by_text("来源", exact=False).first).to_be_visible()
        page.get_by_text("来源", exact=False).first.click()
        page.screenshot(path=str(SHOTS / "chat.png"), full_page=True)

        page.get_by_text("作战包", exact=True).first.click()
        page.get_by_label("客户").click()
        page.keyboard.type("宁波")
        page.keyboard.press("Enter")
        page.get_by_label("产品").click()
        page.keyboard.type("瑞畅")
        page.keyboard.press("Enter")
        page.get_by_role("button", name="生成作战包").click()
        for section in ("谈判策略", "替代组合", "临床价值对比"):
            expect(page.get_by_text(section, exact=False).first).to_be_visible(timeout=90_000)
        page.screenshot(path=str(SHOTS / "battle_pack.png"), full_page=True)
        browser.close()
