"""Entity resolver over the demo world: partial names, pinyin typos, nicknames, ambiguity, masking."""

from __future__ import annotations

import pytest

from knowledge.store.db import SessionFactory
from tools.entities.index import Entity, EntityIndex
from tools.entities.resolver import EntityResolver


@pytest.fixture
def resolver(demo_factory: SessionFactory) -> EntityResolver:
    return EntityResolver(demo_factory)


def _ids(resolver: EntityResolver, text: str) -> list[tuple[str, str]]:
    return [(m.kind, m.entity.id) for m in resolver.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("滨江医院的合同", ("customer", "H-ZJ-001")),  # partial name: not the community hospital
        ("滨江社区医院", ("customer", "H-ZJ-003")),
        ("Binjiang hospital stock", ("customer", "H-ZJ-001")),
        ("天河医院", ("customer", "H-GD-001")),
        ("瑞昌在浙江", ("product", "HMT-DCB-02")),  # homophone typo of 瑞畅
        ("滨疆中心医院", ("customer", "H-ZJ-001")),  # homophone typo of 滨江
        ("DCB 多少", ("product", "HMT-DCB-02")),  # our product, not Boyue PTX DCB
        ("药球", ("product", "HMT-DCB-02")),
        ("康维球囊终端价", ("competitor_product", "CMP-KW-B")),
        ("Kangwei balloon price", ("competitor_product", "CMP-KW-B")),
        ("Medix 的产品", ("competitor", "CMP-MX")),
        ("杭州仓", ("warehouse", "WH-HZ")),
        ("张伟负责哪些医院", ("person", "P-ZW")),
        ("DES in Shanghai", ("province", "SH")),
    ],
)
def test_finds_what_reps_write(resolver: EntityResolver, text: str, expected: tuple[str, str]) -> None:
    assert expected in _ids(resolver, text)


def test_longest_mention_wins(resolver: EntityResolver) -> None:
    found = _ids(resolver, "杭州滨江中心医院")
    assert found == [("customer", "H-ZJ-001")]  # not also 杭州 the warehouse city


def test_ascii_aliases_respect_word_boundaries(resolver: EntityResolver) -> None:
    assert ("product", "HMT-DES-01") not in _ids(resolver, "please describe the situation")


def test_equal_weights_make_a_mention_ambiguous() -> None:
    a = Entity("customer", "H-1", "东城医院", "Dongcheng Hospital")
    b = Entity("customer", "H-2", "东城医院二院", "Dongcheng Hospital 2")
    index = EntityIndex(entities=[a, b])
    index.add(a, "东城", 0.5)
    index.add(b, "东城", 0.5)
    index.finish()
    (mention,) = index.find("东城的合同")
    assert mention.ambiguous and {mention.entity.id, *(e.id for e in mention.alternatives)} == {"H-1", "H-2"}


def test_mask_replaces_entities_with_their_kind(resolver: EntityResolver) -> None:
    assert resolver.mask("杭州仓 DCB 还有多少库存？") == "WAREHOUSE PRODUCT 还有多少库存？"
    assert resolver.mask("How many DES in Guangzhou?") == "How many PRODUCT in WAREHOUSE ?"
