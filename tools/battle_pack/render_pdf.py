"""PDF rendering with fpdf2 and an embedded CJK TrueType font.

A PDF without an embedded Chinese font prints boxes on most readers, so we refuse to write one:
if no CJK font is found, `FontNotFoundError` says which files were tried and how to install one
(`apt-get install fonts-wqy-zenhei`). The font is subset and embedded by fpdf2.
"""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Sequence
from pathlib import Path

from tools.battle_pack.models import BattlePackDoc
from tools.battle_pack.render_md import LETTERS

CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
)


class FontNotFoundError(RuntimeError):
    """No CJK TrueType font is installed; the message says how to get one."""


def find_cjk_font(extra: Sequence[Path] = ()) -> Path:
    """The first CJK TrueType/collection font found (explicit paths, known paths, then fc-list)."""
    for path in (*extra, *CANDIDATES):
        if path.is_file():
            return path
    try:
        listed = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=5, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        listed = ""
    for line in listed.splitlines():
        path = Path(line.split(":", 1)[0].strip())
        if path.suffix.lower() in (".ttf", ".ttc") and path.is_file():
            return path
    tried = ", ".join(str(p) for p in (*extra, *CANDIDATES))
    raise FontNotFoundError(
        f"no CJK TrueType font found (tried {tried} and fc-list :lang=zh); "
        "install one, e.g. `apt-get install -y fonts-wqy-zenhei` (or `make system-deps`)"
    )


def render(pack: BattlePackDoc, out: Path, font: Path | None = None) -> Path:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    font_path = font or find_cjk_font()
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.add_font("cjk", fname=str(font_path))
    pdf.add_font("cjk", style="B", fname=str(font_path))  # CJK fonts rarely ship a bold face
    pdf.add_page()
    pdf.set_title(f"Battle pack {pack.meta.id}")
    head = FontFace(emphasis="BOLD", fill_color=(225, 232, 245))
    tags = {s.key: f"S{i}" for i, s in enumerate(pack.sources, start=1)}

    def cite(keys: list[str]) -> str:
        return ", ".join(tags[k] for k in dict.fromkeys(keys) if k in tags)

    def heading(text: str, size: int = 13) -> None:
        pdf.ln(2)
        pdf.set_font("cjk", size=size)
        pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=9)

    def para(text: str) -> None:
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")

    def table(rows: list[list[str]], widths: tuple[int, ...]) -> None:
        pdf.set_font("cjk", size=8)
        with pdf.table(col_widths=widths, headings_style=head, line_height=4.5, text_align="LEFT") as t:
            for row in rows:
                r = t.row()
                for value in row:
                    r.cell(value)
        pdf.set_font("cjk", size=9)

    heading(f"作战包 Battle pack：{pack.customer_name} × {pack.product_name}", 16)
    para(
        f"{pack.meta.id} · {pack.meta.pack_date} · v{pack.meta.version} · compliance: {pack.compliance.status}"
    )
    heading("形势 Situation")
    table([["", "", "src"]] + [[s.label, s.text, cite(s.sources)] for s in pack.situation], (22, 140, 18))
    heading("谈判策略 Negotiation strategies")
    for letter, s in zip(LETTERS, pack.strategies, strict=False):
        heading(f"{letter}. {s.title}", 11)
        para(s.applies_when)
        for p in s.talking_points:
            para(f"  • {p}")
        para(f"? {s.objection}")
        para(f"→ {s.answer}")
        for e in s.evidence:
            para(f"  [{cite(e.sources)}] {e.text}")
    heading("替代产品组合 Substitute combinations")
    rows = [["", "products", "CNY", "why", "src"]]
    for letter, sub in zip(LETTERS, pack.substitutes, strict=False):
        names = " + ".join(f"{ln.name} ({ln.product_id})" for ln in sub.lines)
        rows.append([f"{letter}. {sub.label}", names, sub.bundle_price, sub.why, cite(sub.sources)])
    table(rows, (24, 40, 16, 82, 18))
    for skipped in pack.skipped_substitutes:
        para(f"× {skipped.label} ({' + '.join(skipped.products)}): {skipped.reason}")
    cc = pack.clinical_comparison
    heading("临床价值对比 Clinical value comparison")
    para(cc.summary)
    rows = [["", cc.product_name, cc.competitor_name, "study", "src"]]
    rows += [
        [
            r.attribute,
            r.ours.value,
            r.competitor.value,
            r.study,
            cite([*r.ours.sources, *r.competitor.sources]),
        ]
        for r in cc.rows
    ]
    table(rows, (32, 38, 38, 54, 18))
    if pack.calculations:
        heading("计算 Calculations")
        for c in pack.calculations:
            para(f"{c.label}: {c.shown}  [{cite(c.sources)}]")
    heading("来源 Sources")
    pdf.set_font("cjk", size=7)
    for src in pack.sources:
        para(f"[{tags[src.key]}] {src.kind} {src.key} {src.title} {src.detail}".strip())
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out
