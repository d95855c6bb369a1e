"""All store models; importing this module registers every table on `Base.metadata`."""

from knowledge.store.models.activity import BattlePack, FeedbackAnswer, Recommendation, Visit, WorkItem
from knowledge.store.models.catalog import (
    AlternativeOffer,
    GiftCatalogueItem,
    Product,
    Province,
    Stock,
    Warehouse,
)
from knowledge.store.models.commerce import (
    Contract,
    ContractAttachment,
    ContractGift,
    ContractLine,
    Order,
    Prepayment,
    RebateProgramme,
)
from knowledge.store.models.governance import (
    ApiKey,
    AuditEntry,
    ComplianceFinding,
    ComplianceRule,
    Document,
    Thread,
)
from knowledge.store.models.jobs import Job
from knowledge.store.models.market import (
    Competitor,
    CompetitorProduct,
    CustomerCompetitor,
    InsurancePolicy,
    VbpAward,
    VbpProgramme,
)
from knowledge.store.models.parties import Customer, MedicalGroup, Person

__all__ = [
    "AlternativeOffer",
    "ApiKey",
    "AuditEntry",
    "BattlePack",
    "Competitor",
    "CompetitorProduct",
    "ComplianceFinding",
    "ComplianceRule",
    "Contract",
    "ContractAttachment",
    "ContractGift",
    "ContractLine",
    "Customer",
    "CustomerCompetitor",
    "Document",
    "FeedbackAnswer",
    "GiftCatalogueItem",
    "InsurancePolicy",
    "Job",
    "MedicalGroup",
    "Order",
    "Person",
    "Prepayment",
    "Product",
    "Province",
    "RebateProgramme",
    "Recommendation",
    "Stock",
    "Thread",
    "VbpAward",
    "VbpProgramme",
    "Visit",
    "Warehouse",
    "WorkItem",
]
