"""Markdown and PDF rendering; the PDF embeds a CJK font or refuses with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from tools.battle_pack import BattlePackService, render_pdf
from tools.battle_pack.render_md import render
from tools.common import Principal, Role
from tools.registry import ToolContext, all_tools
from tools.services import Services


def test_markdown_has_every_part(service: BattlePackService) -> None:
    md = render(service.build("H-ZJ-001", "HMT-DCB-02", save=False))
    for heading in (
        "## 形势 Situation",
        "## 谈判策略",
        "### 策略 C",
        "## 替代产品组合",
        "## 临床价值对比",
        "## 来源 Sources",
    ):
        assert heading in md
    assert "| 12个月晚期管腔丢失 12-month late lumen loss | 0.21 mm | 0.28 mm |" in md
    assert "未选用（库存不足）" in md  # the DCB-02 + GW-04 offer is short at WH-HZ


def test_pdf_embeds_a_cjk_font(service: BattlePackService, tmp_path: Path) -> None:
    try:
        render_pdf.find_cjk_font()
    except render_pdf.FontNotFoundError:
        pytest.fail("no CJK font installed: run `make system-deps` (fonts-wqy-zenhei)")
    pack = service.build("H-SD-002", "HMT-IVUS-05", save=False)
    out = render_pdf.render(pack, tmp_path / "pack.pdf")
    reader = PdfReader(out)
    fonts = [f.get_object() for p in reader.pages for f in p["/Resources"]["/Font"].values()]
    assert any("/FontFile2" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts)
    text = "".join(p.extract_text() for p in reader.pages)
    assert "青岛海湾医院" in text and "11,800" in text


def test_pdf_without_font_fails_clearly(
    service: BattlePackService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render_pdf, "CANDIDATES", (tmp_path / "none.ttc",))
    monkeypatch.setattr(render_pdf.subprocess, "run", lambda *a, **k: type("R", (), {"stdout": ""})())
    pack = service.build("H-SD-002", "HMT-IVUS-05", save=False)
    with pytest.raises(render_pdf.FontNotFoundError, match="fonts-wqy-zenhei"):
        render_pdf.render(pack, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_battle_pack_tool(services: Services, service: BattlePackService) -> None:
    spec = all_tools()["battle_pack"]
    ctx = ToolContext(principal=Principal(role=Role.REP, person_id="P-WQ"), services=services)
    result = spec.call(ctx, spec.args_schema(customer_id="青岛海湾医院", product_id="瑞影"))
    assert result.pack_id == "BP-H-SD-002-HMT-IVUS-05-20261130"  # type: ignore[attr-defined]
    assert result.sources and "## 形势 Situation" in result.markdown  # type: ignore[attr-defined]
