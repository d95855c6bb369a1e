"""The committed history is exactly what the generator produces (fixed seed): no hand edits drift."""

from __future__ import annotations

from pathlib import Path

from knowledge.seed.generate import WORLD, generate


def test_generator_reproduces_committed_history(tmp_path: Path) -> None:
    counts = generate(tmp_path)
    committed = WORLD / "history"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in committed.iterdir())
    for path in tmp_path.iterdir():
        assert path.read_bytes() == (committed / path.name).read_bytes(), path.name
    assert counts["contracts"] >= 200 and counts["visits"] >= 100


def test_world_is_small() -> None:
    assert sum(p.stat().st_size for p in WORLD.rglob("*") if p.is_file()) < 5 * 2**20
