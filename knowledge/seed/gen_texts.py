"""Wording pools for the generated history (visit notes, work-item titles, recommendations).

Titles and option texts repeat tools/feedback/questions.yaml so that seeded work items read like
the ones the feedback service creates.
"""

from __future__ import annotations

PEOPLE_MET = [
    "心内科主任",
    "心内科副主任",
    "导管室主任",
    "导管室护士长",
    "介入科主治医师",
    "设备科科长",
    "采购办主任",
    "医务处处长",
]

NOTE_OPENERS = [
    "拜访{people}，介绍{product}的临床应用与供货安排。",
    "与{people}沟通{product}近期使用情况。",
    "跟进{people}，讨论{product}下季度采购计划。",
    "参加导管室例会，向{people}汇报{product}手术跟台情况。",
]

THEME_NOTES: dict[str, list[str]] = {
    "delivery_lead_time": [
        "科室担心近期到货周期偏长，询问能否保证手术排期用量。",
        "护士长反映上次补货晚到两天。",
    ],
    "price_focus": ["对方更关心价格，希望了解集采后的结算价。"],
    "clinical_focus": ["主任更关注临床效果和远期随访数据。"],
    "competitor_feature": ["主任提到竞品宣称支架梁更薄、通过性更好。", "对方提及竞品涂层药物的差异。"],
    "competitor_price": ["采购办表示竞品报价更低，希望我方跟进。"],
    "competitor_evidence": ["医生引用竞品最新的临床试验数据。"],
    "medical_support": ["希望医学部安排一次学术讲解，介绍晚期管腔丢失数据。"],
    "marketing_support": ["需要市场部提供竞品对比资料和科室会支持。"],
    "legal_support": ["院方对合同中的赠品条款有疑问，需要法务确认。"],
    "contract_template_flexibility": [
        "科室主任质疑我方标准合同模板过于僵化，希望调整退换货和结算条款。",
        "采购办认为我方合同模板缺乏灵活性，要求按医院模板签署。",
        "院方法务提出我方合同模板条款无法修改，影响签约进度。",
    ],
    "payment_terms": ["对方对回款周期条款有异议，希望延长账期。"],
    "vbp_volume_shift": ["院方表示集采执行后可能转向中选低价产品。"],
    "vbp_price_inquiry": ["询问联盟集采的执行时间和中选价格。"],
    "clinical_evidence_request": ["医生希望看到更多临床证据，例如12个月晚期管腔丢失数据。"],
    "adverse_event_signal": ["医生反映一例术中输送困难，已提醒按流程上报。"],
    "substitute_accepted": ["客户接受作战包中的替代组合。"],
    "substitute_rejected": ["客户拒绝替代组合，坚持使用原产品。"],
    "rebate_request": ["采购办提出额外返利诉求。"],
    "gift_request": ["科室询问能否提供会议赞助，已告知须按公司合规政策处理。"],
}

OPTION_TEXT: dict[str, tuple[str, str]] = {
    "Q-DELIVERY-A": ("是,担心缺货或到货慢", "Yes, worried about stock-outs or slow delivery"),
    "Q-COMPETITOR-A": (
        "是,竞品技术参数(如更薄支架梁、涂层药物)",
        "Yes, a competitor's technical feature (e.g. thinner struts, coating drug)",
    ),
    "Q-COMPETITOR-B": ("是,竞品价格更低", "Yes, the competitor's lower price"),
    "Q-COMPETITOR-C": ("是,竞品的临床数据", "Yes, the competitor's clinical data"),
    "Q-SUPPORT-A": ("需要医学部(学术讲解、临床数据)", "Medical affairs (scientific talk, clinical data)"),
    "Q-SUPPORT-B": (
        "需要市场部(物料、会议、竞品对比)",
        "Marketing (materials, meetings, competitor comparison)",
    ),
    "Q-SUPPORT-C": ("需要法务合规(合同、赠品、返利)", "Legal & compliance (contract, gifts, rebates)"),
    "Q-CONTRACT-A": (
        "客户质疑我方合同模板的灵活性",
        "The customer questioned the flexibility of our contract template",
    ),
    "Q-CONTRACT-B": ("对付款或回款条件有异议", "Objected to payment terms"),
    "Q-VBP-A": (
        "计划减少我方用量或转向中选低价产品",
        "Plans to cut our volume or switch to the lowest awarded bid",
    ),
    "Q-VBP-B": ("询问集采执行时间和价格", "Asked about VBP execution dates and prices"),
    "Q-CLINICAL-A": (
        "要求更多临床证据(如晚期管腔丢失数据)",
        "Asked for more clinical evidence (e.g. late lumen loss data)",
    ),
    "Q-CLINICAL-B": ("反映使用问题或疑似不良事件", "Reported a usage problem or suspected adverse event"),
    "Q-SUBSTITUTE-B": ("拒绝,坚持原产品", "Rejected, insists on the original product"),
    "Q-PRICE-A": ("要求额外折扣或返利", "Asked for an extra discount or rebate"),
    "Q-PRICE-B": ("要求赠品或赞助", "Asked for gifts or sponsorship"),
}

QUESTION_TEXT: dict[str, tuple[str, str]] = {
    "Q-DELIVERY": (
        "客户本次最关注的是否为交付周期?",
        "Was delivery lead time the customer's main concern this visit?",
    ),
    "Q-COMPETITOR": ("是否提及竞品某功能?", "Did the customer mention a competitor's feature?"),
    "Q-SUPPORT": ("是否需要其他部门支持?", "Do you need support from another department?"),
    "Q-CONTRACT": ("客户对我方合同条款有何反馈?", "How did the customer react to our contract terms?"),
    "Q-VBP": (
        "集采进展对医院采购的影响?",
        "How is volume-based procurement affecting the hospital's purchasing?",
    ),
    "Q-CLINICAL": (
        "医生对产品临床表现的反馈?",
        "What did the physicians say about the product's clinical performance?",
    ),
    "Q-SUBSTITUTE": (
        "客户是否接受作战包中的替代产品组合?",
        "Did the customer accept the battle pack's substitute combination?",
    ),
    "Q-PRICE": (
        "客户是否提出额外的价格、返利或赠品诉求?",
        "Did the customer ask for extra discounts, rebates or gifts?",
    ),
}

CLOSE_NOTES = ["已电话回复代表", "已安排跟进拜访", "资料已发送", "已在周会讨论并答复", "已处理完毕"]

RECOMMENDATIONS: dict[str, list[str]] = {
    "strategy": [
        "强调{product}与{competitor}的差异，邀请科室主任参加区域学术会",
        "以{product}的临床随访数据回应{competitor}的价格攻势",
        "围绕集采执行节点，提前锁定{product}的院内用量",
    ],
    "substitute": [
        "{product}库存紧张时，优先推荐作战包中的替代组合",
        "以手术套包形式组合{product}，提高单台手术价值",
    ],
    "next_step": [
        "两周内安排医学联络官拜访，讲解{product}的关键临床数据",
        "下次拜访带上{product}与{competitor}的对比资料",
        "与设备科确认{product}下季度报量",
    ],
}
REASONS: dict[str, list[str | None]] = {
    "adopted": ["已在拜访中使用", "客户反馈积极", None],
    "rejected": ["客户预算已锁定", "科室主任不接受替代方案", "时机不合适，集采尚未执行"],
    "invalid": ["推荐的组合在服务仓库实际缺货", "竞品价格信息已过期", "该医院不在此集采覆盖范围"],
}
