"""Argument schemas of the shipped tools: the ids a model (or the offline entity resolver) fills.

Field descriptions name the id formats with demo examples, because an OpenAI-compatible model
reads them to fill calls and the offline model maps resolved entities onto these field names
(customer_id, product_id, province, warehouse_id, period, ...).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

CUSTOMER = "Customer (hospital) id, e.g. H-ZJ-001 (杭州滨江中心医院); a name or alias also resolves."
PRODUCT = "Our product id, e.g. HMT-DCB-02 (瑞畅药物涂层球囊 RuiChang DCB); a name or alias also resolves."
PROVINCE = "Province code or name: ZJ/浙江, GD/广东, SD/山东, JS/江苏, SH/上海."
WAREHOUSE = "Warehouse id: WH-HZ 杭州仓, WH-GZ 广州仓, WH-JN 济南仓."
PERIOD = "Period: 2026-Q3, 2026-11, 2026, 上个月 / last month, 上季度 / last quarter, 今年 / this year."


class StockArgs(BaseModel):
    product_id: str | None = Field(None, description=PRODUCT)
    warehouse_id: str | None = Field(None, description=WAREHOUSE)
    province: str | None = Field(None, description=PROVINCE + " Uses the warehouse serving it.")
    customer_id: str | None = Field(None, description=CUSTOMER + " Uses the warehouse serving it.")


class SubstitutesArgs(BaseModel):
    customer_id: str = Field(description=CUSTOMER)
    product_id: str = Field(description=PRODUCT + " The product that cannot be supplied or is contested.")
    limit: int = Field(2, ge=1, le=5, description="How many in-stock offers to return (default 2).")


class PriceArgs(BaseModel):
    product_id: str = Field(description=PRODUCT)
    customer_id: str | None = Field(None, description=CUSTOMER)
    province: str | None = Field(None, description=PROVINCE)


class CustomerArgs(BaseModel):
    customer_id: str = Field(description=CUSTOMER)


class ContractsArgs(BaseModel):
    customer_id: str = Field(description=CUSTOMER)
    period: str | None = Field(None, description=PERIOD + " Contracts signed since its start.")


class AnalyticsArgs(BaseModel):
    metric: Literal["orders", "contracts", "prepayments", "visits"] = Field(
        "orders", description="What to count: orders 订单, contracts 合同, prepayments 预付款, visits 拜访."
    )
    group_by: Literal["region", "rep", "customer", "product", "month", "quarter", "week", "day", "total"] = (
        Field(
            "region", description="Grouping: region (province), rep, customer, product, or a calendar bucket."
        )
    )
    period: str | None = Field(None, description=PERIOD)
    province: str | None = Field(None, description=PROVINCE)
    rep_id: str | None = Field(None, description="Sales rep id or name, e.g. 张伟 / Zhang Wei.")
    customer_id: str | None = Field(None, description=CUSTOMER)
    product_id: str | None = Field(None, description=PRODUCT)


class AccessArgs(BaseModel):
    product_id: str = Field(description=PRODUCT)
    province: str | None = Field(None, description=PROVINCE + " Omit for every province.")


class RegulationArgs(BaseModel):
    law: str | None = Field(
        None, description="Law name, e.g. 反不正当竞争法 Anti-Unfair Competition Law, 电子商务法, 价格法."
    )
    article: int | None = Field(None, ge=1, description="Article number, e.g. 7 for 第七条.")
    query: str = Field("", description="What the caller wants to know, in their words.")


class CompetitorProductArgs(BaseModel):
    product_id: str | None = Field(None, description=PRODUCT + " Lists competitors against it.")
    competitor: str | None = Field(
        None, description="Competitor company or product id/name, e.g. CMP-BY-D, 博越, Medix, 康维."
    )


class HospitalCompetitorArgs(BaseModel):
    customer_id: str = Field(description=CUSTOMER)


class PriceGapArgs(BaseModel):
    product_id: str = Field(description=PRODUCT)
    competitor_product_id: str | None = Field(
        None, description="Competitor product id or name, e.g. CMP-BY-D 博越紫杉醇球囊; omit for all."
    )
    province: str | None = Field(None, description=PROVINCE + " Applies our VBP cap in force there.")


class DocSearchArgs(BaseModel):
    query: str = Field(description="The question or keywords, Chinese or English.")
    doc_type: (
        Literal["ifu", "clinical_evidence", "competitor_intel", "vbp_status", "policy", "law", "playbook"]
        | None
    ) = Field(None, description="Restrict to one kind of document.")
    product_id: str | None = Field(None, description=PRODUCT + " Restrict to documents about it.")
    k: int = Field(5, ge=1, le=20, description="How many passages.")
