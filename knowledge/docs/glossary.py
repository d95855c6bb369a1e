"""A bilingual domain glossary for the lexical half of retrieval.

Reps ask in Chinese about English documents and in English about Chinese ones; BM25 cannot match
"price cap" to 限价 on its own. Each group below lists spellings of one concept (Chinese, English,
codes); a query that mentions one spelling is expanded with the others before BM25 scoring. The
dense half needs no help (the embedder is multilingual), so expansion is applied to BM25 only.
"""

from __future__ import annotations

import re
from functools import lru_cache

GROUPS: tuple[tuple[str, ...], ...] = (
    # provinces and places
    ("浙江", "zhejiang"), ("广东", "guangdong"), ("山东", "shandong"), ("江苏", "jiangsu"), ("上海", "shanghai"),
    ("杭州", "hangzhou"), ("济南", "jinan"), ("广州", "guangzhou"),
    # products and companies
    ("瑞通", "ruitong"), ("瑞畅", "ruichang"), ("瑞达", "ruida"), ("瑞引", "ruiyin"), ("瑞影", "ruiying"),
    ("瑞测", "ruice"), ("康维", "kangwei"), ("博越", "boyue"),
    ("药物涂层球囊", "药球", "dcb", "drug-coated balloon"), ("药物洗脱支架", "des", "drug-eluting stent"),
    ("支架", "stent"), ("球囊", "balloon"), ("导丝", "guidewire", "wire"), ("血管内超声", "ivus"),
    ("压力导丝", "ffr", "pressure wire"),
    # market access
    ("集采", "带量采购", "集中采购", "vbp", "procurement", "tender"), ("中选", "awarded", "award", "won"),
    ("限价", "price cap", "cap"), ("报量", "volume reporting"), ("阶段", "stage"), ("执行", "execution", "in force"),
    ("联盟", "alliance"), ("医保", "reimbursement", "reimbursed", "insurance", "nrdl"), ("乙类", "class b"),
    ("丙类", "自费", "class c", "self-pay"), ("协议量", "agreed volume"), ("价格", "price", "cost"), ("库存", "stock", "inventory"), ("仓", "warehouse"),
    # clinical
    ("晚期管腔丢失", "late lumen loss", "lll"), ("靶病变血运重建", "tlr"), ("靶血管失败", "tvf"),
    ("支架血栓", "stent thrombosis"), ("适应症", "indication", "indications"),
    ("禁忌症", "contraindication", "contraindications"), ("储存", "有效期", "storage", "stored", "shelf life"),
    ("双联抗血小板", "双抗", "dapt", "antiplatelet"), ("额定爆破压", "rated burst pressure", "rbp"),
    ("分辨率", "resolution"), ("漂移", "drift"), ("预扩张", "pre-dilation", "predilation"), ("外周", "peripheral"),
    ("大血管", "large vessel", "large-vessel"), ("小血管", "small vessel", "small-vessel"),
    ("头端负荷", "tip load"), ("通过外径", "crossing profile"), ("支架梁", "strut", "struts"),
    ("涂层", "coating", "coated"), ("西罗莫司", "雷帕霉素", "sirolimus"), ("紫杉醇", "paclitaxel"),
    ("依维莫司", "everolimus"), ("聚合物", "polymer"),
    # compliance and legal
    ("礼品", "赠品", "gift", "gifts"), ("招待", "工作餐", "hospitality", "meal", "meals"),
    ("商业贿赂", "bribery", "bribe"), ("回扣", "kickback", "kickbacks"), ("返利", "rebate"),
    ("价格歧视", "price discrimination"), ("倾销", "dumping"), ("串通", "collusion", "collude"),
    ("合同", "contract"), ("模板", "template"), ("账期", "payment terms", "payment term"),
    ("法务", "legal"), ("外部律师", "outside counsel"), ("预付款", "prepayment", "prepayments"),
    ("季末", "quarter-end"), ("推广", "宣传", "promotion", "promotional", "promoted"),
    ("审批", "审核", "approval", "approve", "review"), ("折扣", "discount", "discounts"),
    ("罚款", "fine", "fines", "penalty"), ("竞品", "competitor"), ("研究", "试验", "trial", "study"),
)  # fmt: skip

_CJK = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[list[re.Pattern[str]], tuple[str, ...]]]:
    compiled = []
    for group in GROUPS:
        pats = [
            re.compile(re.escape(t))
            if _CJK.search(t)
            else re.compile(rf"(?<![a-z0-9]){re.escape(t)}(?![a-z0-9])")
            for t in group
        ]
        compiled.append((pats, group))
    return compiled


def expansions(query: str) -> list[str]:
    """Other spellings of every glossary concept the query mentions (not those it already uses)."""
    text = query.casefold()
    out: list[str] = []
    for pats, group in _patterns():
        present = [t for p, t in zip(pats, group, strict=True) if p.search(text)]
        if present:
            out.extend(t for t in group if t not in present)
    return out
