"""The `where` documents sent to Chroma: role clause first, filters, and their local twin."""

from __future__ import annotations

import pytest

from knowledge.docs.filters import FilterError, build_where, matches, province_code
from knowledge.docs.models import ROLES
from tools.common import Role

META = {
    "roles": ["rep", "manager", "admin"],
    "doc_type": "vbp_status",
    "product_ids": ["HMT-DCB-02"],
    "provinces": ["ZJ"],
    "language": "zh",
    "effective_ord": 20261101,
}


def test_role_vocabulary_matches_the_tools_role_enum() -> None:
    assert set(ROLES) == {r.value for r in Role}


def test_every_non_admin_search_carries_the_role_clause() -> None:
    assert build_where("rep", None) == {"roles": {"$contains": "rep"}}
    where = build_where(Role.MARKETING, {"doc_type": "law"})
    assert where == {"$and": [{"roles": {"$contains": "marketing"}}, {"doc_type": "law"}]}
    assert build_where("admin", None) is None
    assert build_where(["rep", "manager"], None) == {
        "$or": [{"roles": {"$contains": "rep"}}, {"roles": {"$contains": "manager"}}]
    }


def test_unknown_roles_and_filters_are_refused() -> None:
    with pytest.raises(FilterError, match="unknown role"):
        build_where("ceo", None)
    with pytest.raises(FilterError, match="unknown filter"):
        build_where("rep", {"colour": "red"})
    with pytest.raises(FilterError, match="not a date"):
        build_where("rep", {"effective_on": "yesterday"})
    with pytest.raises(FilterError, match="needs the caller's role"):
        build_where([], None)


def test_province_names_codes_and_national_documents() -> None:
    assert province_code("浙江") == province_code("Zhejiang") == province_code("zj") == "ZJ"
    assert province_code("全国") == "CN"
    assert province_code("西藏") == "西藏"
    where = build_where("admin", {"province": "广东"})
    assert where == {"$or": [{"provinces": {"$contains": "GD"}}, {"provinces": {"$contains": "CN"}}]}
    assert matches({"provinces": ["CN"]}, where)
    assert not matches({"provinces": ["ZJ"]}, where)


@pytest.mark.parametrize(
    ("role", "filters", "expected"),
    [
        ("rep", None, True),
        ("marketing", None, False),
        ("admin", None, True),
        ("rep", {"doc_type": "vbp_status", "language": "zh"}, True),
        ("rep", {"doc_type": ["law", "policy"]}, False),
        ("rep", {"product_id": "HMT-DCB-02"}, True),
        ("rep", {"product_id": "HMT-DES-01,HMT-DCB-02"}, True),
        ("rep", {"product_id": "HMT-DES-01"}, False),
        ("rep", {"province": "ZJ"}, True),
        ("rep", {"province": "GD"}, False),
        ("rep", {"effective_on": "2026-11-30"}, True),
        ("rep", {"effective_on": "2026-10-31"}, False),
        ("rep", {"effective_after": "2026-11-01"}, True),
        ("rep", {"effective_after": "2026-11-02"}, False),
    ],
)
def test_local_evaluation_agrees_with_the_filter_semantics(
    role: str, filters: dict[str, str] | None, expected: bool
) -> None:
    assert matches(META, build_where(role, filters)) is expected


def test_visibility_by_ids_uses_per_role_keys() -> None:
    from knowledge.docs.filters import visible_ids_where

    assert visible_ids_where("rep", ["a:c000"], None) == {"vis_rep": {"$in": ["a:c000"]}}
    assert visible_ids_where("admin", ["a:c000"], None) == {"chunk_id": {"$in": ["a:c000"]}}
    assert visible_ids_where(["rep", "marketing"], ["x"], {"doc_type": "law"}) == {
        "$and": [
            {"$or": [{"vis_rep": {"$in": ["x"]}}, {"vis_marketing": {"$in": ["x"]}}]},
            {"doc_type": "law"},
        ]
    }
    with pytest.raises(FilterError):
        visible_ids_where("ceo", ["x"], None)
