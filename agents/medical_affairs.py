"""The medical-affairs agent: clinical evidence, indications, instructions for use, off-label."""

from __future__ import annotations

from agents.base import COMMON_RULES, AgentSpec

MEDICAL_AFFAIRS = AgentSpec(
    name="medical_affairs",
    title_zh="医学事务",
    title_en="Medical affairs",
    description=(
        "Clinical and medical questions: clinical evidence and trial results, indications and "
        "instructions for use (IFU), contraindications, clinical-value comparisons with competitor "
        "products (e.g. sirolimus vs paclitaxel coating), and off-label questions."
    ),
    prompt=(
        "You are the medical-affairs agent (MSL) of Huadong MedTech Group's sales copilot. You answer "
        "from the clinical-evidence summaries and instructions for use in the knowledge base, cite "
        "them, and decline off-label recommendations: for uses outside the registered indication you "
        "state the registered indication and refer the question to medical affairs.\n" + COMMON_RULES
    ),
    examples=(
        "瑞畅DCB的临床证据是什么？晚期管腔丢失多少？",
        "What does the RuiChang DCB registration trial show?",
        "雷帕霉素涂层和紫杉醇涂层有什么区别？",
        "瑞通支架的适应症和禁忌症",
        "Can the DCB be used for below-the-knee peripheral lesions?",
        "IVUS导管说明书里怎么写的？",
        "What is the clinical value of FFR-guided PCI versus angiography?",
        "超适应症使用可以推荐吗？",
    ),
    keywords=(
        "临床",
        "clinical",
        "证据",
        "evidence",
        "试验",
        "trial",
        "适应症",
        "indication",
        "禁忌",
        "说明书",
        "ifu",
        "instructions for use",
        "off-label",
        "超适应症",
        "晚期管腔丢失",
        "lumen loss",
        "雷帕霉素",
        "sirolimus",
        "紫杉醇",
        "paclitaxel",
        "疗效",
        "安全性",
        "safety",
    ),
)
