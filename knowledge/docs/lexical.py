"""BM25 over jieba tokens: the lexical half of hybrid retrieval.

Dense models miss exact identifiers (product codes, trial names, article numbers) that BM25 finds
at once, and BM25 misses paraphrases the embedder finds; fused by reciprocal rank they beat either.
jieba keeps its dictionary cache in our data directory (not /tmp, which a host may wipe or share).
Tokens are computed once at ingestion and stored with each chunk, so rebuilding the index after
a change is a cheap read, not a re-tokenisation of the whole corpus.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

# Names jieba would split wrongly; with them, "瑞畅" or "紫杉醇" survive as one token.
DOMAIN_WORDS = (
    "瑞通",
    "瑞畅",
    "瑞达",
    "瑞引",
    "瑞影",
    "瑞测",
    "康维",
    "博越",
    "药物洗脱支架",
    "药物涂层球囊",
    "球囊扩张导管",
    "血管内超声",
    "压力导丝",
    "西罗莫司",
    "雷帕霉素",
    "紫杉醇",
    "依维莫司",
    "晚期管腔丢失",
    "靶病变血运重建",
    "支架内再狭窄",
    "集采",
    "带量采购",
    "中选",
    "中选公示",
    "报量",
    "医保",
    "乙类",
    "丙类",
    "商业贿赂",
    "反不正当竞争法",
    "电子商务法",
    "价格法",
    "回扣",
    "赠品",
    "合规声明",
    "医联体",
)
_STOP = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "及",
        "或",
        "对",
        "为",
        "把",
        "被",
        "吗",
        "呢",
        "吧",
        "啊",
        "么",
        "什么",
        "哪些",
        "哪个",
        "如何",
        "怎么",
        "怎样",
        "多少",
        "有",
        "有没有",
        "是否",
        "我们",
        "我",
        "你",
        "他",
        "它",
        "这",
        "那",
        "这个",
        "那个",
        "请",
        "一下",
        "吗？",
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "for",
        "and",
        "or",
        "is",
        "are",
        "was",
        "be",
        "by",
        "with",
        "what",
        "which",
        "how",
        "does",
        "do",
        "did",
        "our",
        "we",
        "it",
        "its",
        "at",
        "as",
        "from",
        "that",
        "this",
    ]
)
_TOKEN_OK = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")


class Tokenizer:
    """jieba search-mode tokens, NFKC-normalised and lower-cased, without stop words."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._cache_dir = cache_dir
        self._jieba: Any = None
        self._lock = threading.Lock()

    def _tok(self) -> Any:
        with self._lock:
            if self._jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                if self._cache_dir is not None:
                    self._cache_dir.mkdir(parents=True, exist_ok=True)
                    tok.tmp_dir = str(self._cache_dir)
                tok.initialize()
                for word in DOMAIN_WORDS:
                    tok.add_word(word, freq=20000)
                self._jieba = tok
            return self._jieba

    def tokens(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFKC", text).lower()
        out: list[str] = []
        for token in self._tok().lcut_for_search(text):
            token = token.strip()
            if token and token not in _STOP and _TOKEN_OK.search(token):
                out.append(token)
        return out


class LexicalIndex:
    """A BM25 index over a snapshot of the collection (ids, tokens and metadata per chunk)."""

    def __init__(
        self, ids: Sequence[str], tokens: Sequence[Sequence[str]], metadatas: Sequence[dict[str, Any]]
    ):
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self.ids = list(ids)
        self.metadatas = list(metadatas)
        self._bm25: Any = None
        if self.ids:
            self._bm25 = bm25s.BM25()
            corpus = [list(t) if t else [""] for t in tokens]
            self._bm25.index(corpus, show_progress=False)

    def __len__(self) -> int:
        return len(self.ids)

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        if self._bm25 is None or not query_tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        known = [t for t in query_tokens if t in self._bm25.vocab_dict]
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def top(
        self, query_tokens: Sequence[str], k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Best `k` positions with a positive score, restricted to `allowed` when given."""
        scores = self.scores(query_tokens)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        positive = int(np.count_nonzero(scores > 0))
        if positive == 0:
            return []
        k = min(k, positive)
        part = np.argpartition(-scores, k - 1)[:k]
        order = part[np.argsort(-scores[part], kind="stable")]
        return [(int(i), float(scores[i])) for i in order]
