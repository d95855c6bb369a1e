"""Writes evals/datasets/chat.jsonl: chat cases as reps and managers write them.

Run `python -m evals.datasets.build_chat` after editing. Facts come from shared/SCENARIO.md (stock,
prices, VBP, competitors, planted contracts) and from the seeded documents (trial figures). Each
case is (input, agents, contains[, extra expectations]); a list input is a thread of follow-ups.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

S, M, MA = "sales", "market", "medical_affairs"
ALL3 = [S, M, MA]

# (id prefix, tool, [(input, agents_any, contains, extra)])
Case = tuple[Any, list[str], list[str], dict[str, Any]]


def c(text: Any, agents: list[str], contains: list[str] | None = None, **extra: Any) -> Case:
    return (text, agents, contains or [], extra)


INVENTORY = [
    c("宁波东港那边瑞通支架库存够吗", [S], ["4200"]),
    c("上海的医院DCB能供货吗，库存多少", [S], ["35"]),
    c("江苏IVUS库存", [S], ["160"]),
    c("Stock of guidewires in Guangdong", [S], ["1900"]),
    c("jinan warehouse balloon catheter stock", [S], ["900"]),
    c("杭州仓 DCB 还有多少库存？", [S], ["35", "600"]),
    c("杭洲仓药球还剩几个", [S], ["35"]),
    c("杭州仓瑞昌球囊库存", [S], ["35"]),
    c("DCB 杭州仓 stock 多少", [S], ["35"]),
    c("济南仓IVUS还有货吗", [S], ["120"]),
    c("济南仓支架在途多少", [S], ["500"]),
    c("广州仓IVUS现在多少，在途呢", [S], ["75", "40"]),
    c("杭州仓压力导丝还有多少", [S], ["90"]),
    c("济南仓的FFR导丝库存", [S], ["45"]),
    c("广州仓PTCA球囊库存多少", [S], ["2400"]),
    c("杭州仓导丝有多少", [S], ["2600"]),
    c("滨江医院那边DCB能发货吗，库存够不够？", [S], ["35"]),
    c("青岛海湾医院的IVUS库存", [S], ["120"]),
    c("山东瑞影缺货了吗", [S], ["120"]),
    c("广州仓瑞通支架现货", [S], ["3100"]),
    c("济南仓药球库存", [S], ["260"]),
    c("How many RuiChang DCB do we have in the Hangzhou warehouse?", [S], ["35"]),
    c("Hangzhou warehouse DCB stock?", [S], ["35", "600"]),
    c("Is IVUS out of stock in Jinan?", [S], ["120"]),
    c("How many RuiTong DES units on hand in Guangzhou?", [S], ["3100"]),
    c("what's on order for stents at the jinan warehouse", [S], ["500"]),
    c("Guangzhou warehouse stock of the PTCA balloon", [S], ["2400"]),
    c("FFR wire stock in Hangzhou", [S], ["90"]),
    c("DCB stock in Guangdong", [S], ["420"]),
    c("IVUS inventory in the Guangzhou warehouse", [S], ["75", "40"]),
    c("guidewire stock jinan", [S], ["1200"]),
    c("Can we ship DCB to Binjiang Central Hospital, is there enough stock?", [S], ["35"]),
    c("do we have RuiYing IVUS in Hangzhou", [S], ["160"]),
]

SUBSTITUTES = [
    c("南山医院的IVUS有什么替代组合", [S], ["HMT-FFR-06"]),
    c("Substitute for the FFR wire at Tianhe hospital", [S], ["HMT-IVUS-05"]),
    c("滨江中心医院要瑞畅DCB，但杭州仓缺货，有什么替代方案？", [S], ["HMT-BC-03", "HMT-DES-01", "HMT-GW-04"]),
    c("滨江医院DCB没货了，推荐什么组合", [S], ["HMT-BC-03", "HMT-DES-01"]),
    c("宁波东港的药球有啥替代方案", [S], ["HMT-BC-03", "HMT-DES-01"]),
    c("历下人民医院IVUS没货，可以推荐哪些替代组合？", [S], ["HMT-FFR-06"]),
    c("青岛海湾IVUS缺货怎么办，有啥替代", [S], ["HMT-FFR-06"]),
    c("给天河心血管医院的支架有没有备选组合？", [S], ["HMT-GW-04"]),
    c("滨疆中心医院DCB的替代组合", [S], ["HMT-BC-03"]),
    c(
        "What can we offer Hangzhou Binjiang instead of the DCB while it's short?",
        [S],
        ["HMT-BC-03", "HMT-DES-01"],
    ),
    c("substitutes for IVUS at Jinan Lixia?", [S], ["HMT-FFR-06"]),
    c("alternatives for RuiChang at Ningbo Donggang", [S], ["HMT-DES-01"]),
    c("any in-stock combo for Qingdao Bay Hospital instead of IVUS", [S], ["HMT-FFR-06"]),
    c("Alternative combinations for H-GD-001 on the PTCA balloon?", [S], ["HMT-DCB-02"]),
    c("replacement bundle for DCB at Binjiang Community Hospital", [S], ["HMT-BC-03"]),
]

PRICE = [
    c("江苏的压力导丝单价能报多少", [S], ["7200"]),
    c("what price can I quote for IVUS in Shandong", [S], ["9500"]),
    c("给滨江中心医院报瑞通支架，单价最多能报多少？", [S], ["780"]),
    c("广东的瑞达球囊现在报价上限是多少？", [S], ["1150"]),
    c("瑞畅DCB在浙江签合同单价按多少报？", [S], ["6800", "5900"]),
    c("天河医院PTCA球囊能报多少钱", [S], ["1150"]),
    c("济南历下 FFR 报价多少", [S], ["7200"]),
    c("山东IVUS单价能报多少", [S], ["9500"]),
    c("深圳南山医院球囊扩张导管报价", [S], ["1150"]),
    c("What unit price can I quote for the RuiTong DES in Guangdong?", [S], ["780"]),
    c("Max price for RuiChang DCB at H-ZJ-001 today?", [S], ["6800", "5900"]),
    c("quote price for the PTCA balloon in Guangdong", [S], ["1150"]),
    c("How much can I quote Shenzhen Nanshan for the balloon catheter?", [S], ["1150"]),
    c("unit price for the guidewire in Shanghai", [S], ["650"]),
]

PROFILE = [
    c("青岛海湾医院是三甲吗", [S], ["三乙"]),
    c("Which medical group is Binjiang Community Hospital in?", [S], ["Binjiang Medical Alliance"]),
    c("介绍一下杭州滨江中心医院的情况", [S], ["三甲", "滨江医联体", "张伟"]),
    c("滨江医院是哪个医联体的？关联方有哪些？", [S], ["H-ZJ-003"]),
    c("宁波东港是几级医院，谁负责", [S], ["三乙", "张伟"]),
    c("天河心血管医院的负责代表是谁", [S], ["李娜"]),
    c("青岛海湾医院的情况", [S], ["三乙", "王强"]),
    c("历下医院客户档案", [S], ["王强"]),
    c("拜访前帮我看下南山医院", [S], ["李娜"]),
    c("Give me a profile of Guangzhou Tianhe Cardiovascular Hospital.", [S], ["Li Na"]),
    c("Who covers Ningbo Donggang?", [S], ["Zhang Wei"]),
    c("customer background for H-ZJ-001 before my visit", [S], ["Zhang Wei", "H-ZJ-003"]),
    c("what tier is Qingdao Bay Hospital", [S], ["三乙"]),
    c("Tell me about Shenzhen Nanshan Hospital", [S], ["Li Na"]),
]

CONTRACTS = [
    c("滨江中心医院的合同有没有赠品", [S], ["C-2026-0501"]),
    c("天河心血管医院的合同", [S], ["C-2026-0311"]),
    c("青岛海湾医院的合同和赠品", [S], ["C-2026-0412", "按摩椅"]),
    c("宁波东港签过哪些合同", [S], ["C-2026-0415"]),
    c("滨江中心医院今年签了哪些合同？", [S], ["C-2026-0501"]),
    c("列一下广州天河的合同明细", [S], ["C-2026-0311", "1000000"]),
    c("Show the contracts of Hangzhou Binjiang Central Hospital this year", [S], ["C-2026-0501"]),
    c("Which contracts has Qingdao Bay Hospital signed?", [S], ["C-2026-0412"]),
    c("contracts for Tianhe", [S], ["C-2026-0311"]),
    c("list Ningbo Donggang's contracts and gifts", [S], ["C-2026-0415"]),
]

ANALYTICS = [
    c("上个月各区域订单", [S], ["2026-10"], role="manager"),
    c("visits by rep this quarter", [S], ["Zhang Wei"], role="manager"),
    c("2026年Q3各区域预付款", [S], ["广东", "17"], role="manager"),
    c("三季度广东预付款按天统计", [S], ["2026-09"], role="manager"),
    c("上季度各大区的订单金额是多少？", [S], ["2026-Q3", "广东"], role="manager"),
    c("这个月每个代表拜访了多少次", [S], ["张伟"], role="manager"),
    c("今年各月合同签约额", [S], ["2026-01"], role="manager"),
    c("哪个区域季度末预付款异常多？看看2026年Q3按区域", [S], ["广东"], role="manager"),
    c("Prepayments by region in 2026-Q3", [S], ["Guangdong", "17"], role="manager"),
    c("Orders by region last quarter", [S], ["2026-Q3"], role="manager"),
    c("How many visits did each rep make last month?", [S], ["Zhang Wei"], role="manager"),
    c("Contract value by rep this year", [S], ["Li Na"], role="manager"),
    c("prepayments in Guangdong in 2026 Q3 by day", [S], ["2026-09"], role="manager"),
]

ACCESS = [
    c("上海DCB集采执行了没", [M], ["2027-01-01"]),
    c("Is the guidewire in any VBP programme? NRDL?", [M], ["乙类"]),
    c("瑞畅DCB在浙江集采是什么阶段？", [M], ["中选公示", "5900"]),
    c("瑞影IVUS是医保乙类还是丙类？", [M], ["丙类"]),
    c("山东IVUS招标进展如何？", [M], ["报量"]),
    c("广东瑞达球囊集采限价多少", [M], ["1150"]),
    c("瑞通支架国家集采限价", [M], ["798"]),
    c("瑞引导丝医保什么类别，有没有进集采", [M], ["乙类"]),
    c("DCB浙江联盟集采什么时候开始执行", [M], ["2027-01-01"]),
    c("江苏的药球集采情况", [M], ["中选公示"]),
    c("瑞昌在浙江集采中选了吗，博越报了多少", [M], ["5900", "5600"]),
    c("Is there a VBP price cap for the PTCA balloon in Guangdong?", [M], ["1150"]),
    c("What stage is the Zhejiang DCB alliance VBP at for RuiChang?", [M], ["award announced"]),
    c("NRDL category of the IVUS catheter", [M], ["丙类"]),
    c("Shandong IVUS tender status", [M], ["volume reporting"]),
    c("When does the DCB cap start in Zhejiang?", [M], ["2027-01-01"]),
    c("RuiTong DES national VBP cap", [M], ["798"]),
]

REGULATION = [
    c("价格法第十四条讲了什么", [M], ["价格"]),
    c("电子商务法第17条说了什么", [M], ["第十七条"]),
    c("反不正当竞争法第七条关于商业贿赂怎么规定", [M], ["第七条"]),
    c("What does Price Law article 14 say?", [M], ["Article 14"]),
    c("E-Commerce Law art. 17 summary", [M], ["Article 17"]),
]

COMPETITORS = [
    c("进口IVUS竞品卖多少钱", [M], ["11800"]),
    c("Kangwei balloon price", [M], ["1100"]),
    c("博越的药物球囊终端价多少？", [M], ["5600"]),
    c("康维支架多少钱", [M], ["760"]),
    c("Medix的IVUS价格", [M], ["11800"]),
    c("我们DCB的竞品有哪些", [M], ["博越", "5600"]),
    c("康维球囊终端价", [M], ["1100"]),
    c("Medix导丝多少钱", [M], ["720"]),
    c("压力导丝的竞品是谁，卖多少", [M], ["8500"]),
    c("博约球囊价格", [M], ["5600"]),
    c("What is Kangwei's stent price?", [M], ["760"]),
    c("Who competes with our IVUS catheter?", [M], ["VisionIVUS", "11800"]),
    c("Boyue DCB price", [M], ["5600"]),
    c("competitors of the FFR wire", [M], ["8500"]),
    c("Medix SilkWire price", [M], ["720"]),
    c("KW-Balloon terminal price", [M], ["1100"]),
]

AT_HOSPITAL = [
    c("滨江中心医院在用哪些竞品", [M], ["VisionIVUS"]),
    c("天河医院用了哪些竞品", [M], ["康维"]),
    c("宁波东港用的是谁家的药球", [M], ["博越"]),
    c("Which competitors are used at Tianhe hospital?", [M], ["Kangwei"]),
    c("competitor products at Hangzhou Binjiang", [M], ["VisionIVUS"]),
    c("what competitor products does Ningbo Donggang use", [M], ["Boyue"]),
]

PRICE_GAP = [
    c("博越球囊和我们DCB价差多少", [M], ["1200", "21.4"]),
    c("我们支架比康维贵多少", [M], ["20"]),
    c("IVUS 跟 Medix 比价格差多少", [M], ["2300"]),
    c("瑞测跟PressureWire价差", [M], ["1300"]),
    c("瑞畅比博越贵多少，集采报价差多少", [M], ["1200", "300"]),
    c("price gap between RuiChang and Boyue", [M], ["1200"]),
    c("How much cheaper is our FFR wire than Medix PressureWire?", [M], ["1300"]),
    c("price difference of our stent vs KW-Stent Pro", [M], ["20"]),
]

DOCS = [
    c("瑞畅DCB 12个月TLR是多少", [MA], ["3.2"]),
    c("瑞畅DCB的临床证据是什么？晚期管腔丢失多少？", [MA], ["0.21"]),
    c("瑞畅用的什么药物涂层", [MA], ["西罗莫司"]),
    c("瑞通支架的适应症", [MA], ["冠状动脉"]),
    c("雷帕霉素涂层和紫杉醇涂层有什么区别？", [MA], ["紫杉醇"]),
    c("RUICHANG-ISR 试验入组多少人", [MA], ["216"]),
    c("DCB用之前要怎么预扩张", [MA], ["预扩张"]),
    c("瑞通支架梁多厚", [MA], ["81"]),
    c("What does the RuiChang DCB registration trial show?", [MA], ["0.21"]),
    c("What coating is on the RuiChang DCB?", [MA], ["sirolimus"]),
    c("Indications of the RuiTong DES", [MA], [], contains_any=["coronary", "冠状动脉"]),
    c("late lumen loss of RuiChang vs Boyue", [MA], ["0.21", "0.28"]),
    c("strut thickness of RuiTong stent", [MA], ["81"]),
]

BATTLE = [
    c("给宁波东港人民医院做一份瑞畅的作战包", ALL3, ["35", "5600"], all=True),
    c("帮我准备杭州滨江中心医院瑞畅DCB的作战包", ALL3, ["35", "HMT-BC-03"], all=True),
    c("济南历下人民医院 IVUS 谈判材料", ALL3, ["HMT-FFR-06"], all=True),
    c("Build a battle pack for Hangzhou Binjiang Central Hospital on RuiChang DCB", ALL3, ["35"], all=True),
    c("battle pack for Qingdao Bay Hospital on IVUS", ALL3, ["HMT-FFR-06"], all=True),
    c("天河医院瑞达球囊的作战包", ALL3, ["1150"], all=True),
]

MULTI = [
    c("查一下杭州仓DCB库存，并且看看瑞畅的晚期管腔丢失数据", [S, MA], ["35", "0.21"], all=True),
    c(
        "What's the NRDL category of the IVUS catheter, and do we have stock in Jinan?",
        [S, M],
        ["丙类", "120"],
        all=True,
    ),
    c("博越球囊多少钱？另外杭州仓还有多少DCB？", [S, M], ["5600", "35"], all=True),
    c("How many DCB in Hangzhou, and also what's Boyue's price?", [S, M], ["35", "5600"], all=True),
    c("瑞畅的临床证据，同时查一下杭州仓库存", [S, MA], ["0.21", "35"], all=True),
    c("DCB在浙江的集采阶段，以及滨江医院DCB的替代方案", [S, M], ["中选公示", "HMT-BC-03"], all=True),
    c("康维支架多少钱？顺便看下广州仓支架库存", [S, M], ["760", "3100"], all=True),
    c("IVUS in Jinan stock, also Medix IVUS price", [S, M], ["120", "11800"], all=True),
]

FOLLOW_UPS = [
    c(["杭州仓IVUS多少", "DCB呢"], [S], ["35"]),
    c(["济南仓导丝库存", "那压力导丝呢"], [S], ["45"]),
    c(["瑞畅跟博越价差多少", "IVUS跟Medix呢"], [M], ["2300"]),
    c(["宁波东港用了哪些竞品", "那滨江中心医院呢"], [M], ["VisionIVUS"]),
    c(["What's the unit price for the DES in Guangdong?", "and in Zhejiang?"], [S], ["780"]),
    c(["上季度各区域预付款", "按天看广东的"], [S], ["2026-09"], role="manager"),
    c(["杭州仓DCB还有多少？", "那广州仓呢？"], [S], ["420"]),
    c(["济南仓IVUS库存", "广州仓呢"], [S], ["75"]),
    c(["博越球囊多少钱", "康维支架呢？"], [M], ["760"]),
    c(["介绍一下滨江中心医院", "他们今年签了哪些合同？"], [S], ["C-2026-0501"]),
    c(["How many DCB in Hangzhou?", "what about Jinan?"], [S], ["260"]),
    c(["Boyue DCB price?", "and Kangwei's stent?"], [M], ["760"]),
    c(["滨江医院DCB缺货有什么替代", "那青岛海湾的IVUS呢"], [S], ["HMT-FFR-06"]),
    c(["瑞畅在浙江集采什么阶段", "那瑞达球囊在广东呢"], [M], ["1150"]),
    c(["广州仓瑞通支架库存", "那济南仓的呢"], [S], ["2050"]),
    c(["天河医院的负责代表是谁", "那青岛海湾医院呢"], [S], ["王强"]),
    c(["IVUS stock in Guangzhou", "and in Hangzhou?"], [S], ["160"]),
    c(["Who covers Tianhe hospital?", "what about Qingdao Bay?"], [S], ["Wang Qiang"]),
    c(["Medix IVUS 多少钱", "那他们的压力导丝呢"], [M], ["8500"]),
    c(["宁波东港的合同", "那青岛海湾的呢"], [S], ["C-2026-0412"]),
]

CLARIFY = [
    c("替代方案有哪些", [], ["哪家医院"]),
    c("帮我做个作战包", [], ["哪家医院"]),
    c("build a battle pack", [], ["which hospital"]),
    c("这个报价能报多少", [], ["哪个产品"]),
    c("列一下合同", [], ["哪家医院"]),
]

# Managers' and legal's questions (roles manager / legal_compliance); figures computed from the demo
# world on 2026-11-30 (tools/analytics/metrics.py, tools/compliance, tools/workbench).
MGR, LEGAL = "manager", "legal_compliance"
METRICS = [
    c("上季度广东的跨部门响应时效是多少？", [S], ["广东", "18.83"], role=MGR),
    c("What is our AI-suggestion adoption rate this month?", [S], ["25.0%"], role=MGR),
    c("这个月AI建议的采纳率是多少", [S], ["25.0%"], role=MGR),
    c("2026年第三季度的采纳率", [S], ["64.3%"], role=MGR),
    c("上季度各区域的跨部门响应时效", [S], ["GD", "18.83", "ZJ", "27.11"], role=MGR),
    c("Closure rate of cross-department tasks last quarter", [S], ["90.5%"], role=MGR),
    c("今年的反馈密度是多少", [S], ["3.00"], role=MGR),
    c("现在还有多少未关闭的升级？", [S], ["未关闭升级1", "山东"], role=MGR),
    c("median response time in Guangdong last quarter", [S], ["18.83"], role=MGR),
    c("第四季度各项协作指标", [S], ["40.0%", "56.7%"], role=MGR),
    c(["上季度广东的跨部门响应时效是多少？", "那浙江呢"], [S], ["27.11"], role=MGR),
]

CHECKS = [
    c("C-2026-0412 合规吗", [S], ["gift_not_in_catalogue", "按摩椅"], role=LEGAL),
    c("is contract C-2026-0311 compliant?", [S], ["gift_ratio_exceeded", "4%"], role=LEGAL),
    c("帮我检查一下合同C-2026-0311有没有合规问题", [S], ["gift_ratio_exceeded", "4%"], role=LEGAL),
    c("合同 C-2026-0415 能过合规审查吗", [S], ["gift_declaration_missing"], role=LEGAL),
    c("Does contract C-2026-0501 pass compliance?", [S], ["passes every compliance rule"], role=MGR),
    c("合同C-2026-0501合规吗", [S], ["通过全部合规规则"], role=MGR),
]

RISKS = [
    c("Which region had a quarter-end prepayment spike?", [S], ["Guangdong", "GD-2026-Q3"], role=MGR),
    c("哪个区域出现了季末预付款集中的异常？", [S], ["广东", "GD-2026-Q3"], role=MGR),
    c("返利有没有跨年或关联方凑单的问题", [S], ["RB-2026-H-ZJ-001", "O-2025-1229"], role=LEGAL),
    c("现在有哪些合规风险？按区域看", [S], ["广东", "浙江", "山东"], role=LEGAL),
    c("compliance risks in Zhejiang", [S], ["C-2026-0415", "RB-2026-H-ZJ-001"], role=MGR),
]

WORKBENCH = [
    c("法务有哪些待处理的事项", [S], ["模式升级", "合同模板"], role=LEGAL),
    c("Open action items from visit feedback?", [S], ["33 open item"], role=MGR),
    c("我的待办有哪些", [S], ["法务合规", "模式升级"], role=LEGAL),
    c("医学部还有几个没处理的反馈", [S], ["共12项"], role=MGR),
    c("What is waiting in the legal workbench?", [S], ["legal & compliance", "contract template"], role=MGR),
    c("拜访反馈产生了哪些未关闭的待办？", [S], ["共33项"], role=MGR),
]


# The tool(s) each group exercises (`tools_any`): together they cover every registered tool.
GROUP_TOOLS: dict[str, list[str]] = {
    "inv": ["inventory_stock"],
    "sub": ["substitute_offers"],
    "price": ["price_quote"],
    "profile": ["customer_profile"],
    "contract": ["customer_contracts"],
    "analytics": ["store_analytics"],
    "access": ["market_access"],
    "law": ["regulation_lookup"],
    "comp": ["competitor_products", "competitor_price_gap"],
    "hosp": ["competitor_at_hospital"],
    "gap": ["competitor_price_gap"],
    "doc": ["doc_search"],
    "bp": ["battle_pack"],
    "mgr": ["manager_metrics"],
    "check": ["contract_compliance_check"],
    "risk": ["compliance_findings"],
    "wb": ["workbench_items"],
}


def cases() -> list[dict[str, Any]]:
    groups = {
        "inv": INVENTORY,
        "sub": SUBSTITUTES,
        "price": PRICE,
        "profile": PROFILE,
        "contract": CONTRACTS,
        "analytics": ANALYTICS,
        "access": ACCESS,
        "law": REGULATION,
        "comp": COMPETITORS,
        "hosp": AT_HOSPITAL,
        "gap": PRICE_GAP,
        "doc": DOCS,
        "bp": BATTLE,
        "mgr": METRICS,
        "check": CHECKS,
        "risk": RISKS,
        "wb": WORKBENCH,
        "multi": MULTI,
        "follow": FOLLOW_UPS,
        "clarify": CLARIFY,
    }
    out: list[dict[str, Any]] = []
    for prefix, group in groups.items():
        for i, (text, agents, contains, extra) in enumerate(group, start=1):
            expect: dict[str, Any] = {}
            if agents:
                expect["agents_all" if extra.get("all") else "agents_any"] = agents
            if contains:
                expect["contains"] = contains
            if extra.get("contains_any"):
                expect["contains_any"] = extra["contains_any"]
            if prefix in GROUP_TOOLS:
                expect["tools_any"] = GROUP_TOOLS[prefix]
            out.append(
                {
                    "id": f"chat-{prefix}-{i:02d}",
                    "suite": "chat",
                    "input": text,
                    "role": extra.get("role", "rep"),
                    "expect": expect,
                }
            )
    return out


def main() -> None:
    path = Path(__file__).with_name("chat.jsonl")
    rows = cases()
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} cases -> {path}")  # noqa: T201  (a build script)


if __name__ == "__main__":
    main()
