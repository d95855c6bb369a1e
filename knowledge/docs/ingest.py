"""Ingestion: files → chunks → vectors and tokens → Chroma, idempotent by content hash.

An unchanged file (same bytes, same metadata overrides, same chunker) is skipped without embedding;
a changed one has its old chunks replaced only after its new ones are embedded, so a failure never
leaves a document half-gone. A file that cannot be read is reported and the others go on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowledge.docs.chunking import Chunk, chunk_blocks
from knowledge.docs.filters import NATIONAL, date_ord, province_code, vis_key
from knowledge.docs.loaders import SUPPORTED, Parsed, UnreadableDocumentError, read_document
from knowledge.docs.models import ROLES, FileOutcome, IngestReport
from knowledge.docs.store import bump_version
from knowledge.docs.vector_cache import text_key

if TYPE_CHECKING:
    from knowledge.docs.kb import KnowledgeBase

log = logging.getLogger(__name__)

CHUNKER_VERSION = "3"  # bump when chunk text or stored metadata change: forces re-ingestion
EMBED_BATCH = 16
META_KEYS = ("id", "title", "doc_type", "product_ids", "province", "language", "roles", "effective_date")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Prepared:
    path: Path
    doc_id: str
    content_hash: str
    meta: dict[str, Any]
    chunks: list[Chunk]
    status: str  # added | updated


def expand(paths: Sequence[Path], exclude_names: Sequence[str] = ()) -> list[Path]:
    """Files as given, directories walked recursively (supported types, no hidden files)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path).parts
                if (
                    child.is_file()
                    and child.suffix.lower() in SUPPORTED
                    and not any(p.startswith(".") for p in rel)
                    and child.name not in exclude_names
                ):
                    out.append(child)
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def _list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[,，]", value) if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


def _detect_language(text: str) -> str:
    cjk = len(_CJK.findall(text))
    latin = len(re.findall(r"[A-Za-z]+", text))
    if cjk and latin * 2 > cjk:
        return "mixed"
    return "zh" if cjk else "en"


def _slug(stem: str) -> str:
    return re.sub(r"[^0-9A-Za-z\u3400-\u9fff_.-]+", "-", stem).strip("-") or "doc"


def resolve_meta(path: Path, parsed: Parsed, overrides: dict[str, Any]) -> dict[str, Any]:
    """Front matter, then flags (flags win), then defaults; raises UnreadableDocumentError on bad roles."""
    front = {k: parsed.meta.get(k) for k in META_KEYS if parsed.meta.get(k) not in (None, "", [])}
    merged = {**front, **{k: v for k, v in overrides.items() if v not in (None, "", [])}}
    roles = _list(merged.get("roles")) or list(ROLES)
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise UnreadableDocumentError(f"{path.name}: unknown role(s) {unknown}; known: {', '.join(ROLES)}")
    if "admin" not in roles:
        roles.append("admin")
    effective = merged.get("effective_date")
    if isinstance(effective, dt.datetime):
        effective = effective.date()
    if effective is not None and not isinstance(effective, dt.date):
        try:
            effective = dt.date.fromisoformat(str(effective))
        except ValueError as exc:
            raise UnreadableDocumentError(
                f"{path.name}: effective_date {effective!r} is not YYYY-MM-DD"
            ) from exc
    body = "\n".join(b.text for b in parsed.blocks)
    return {
        "doc_id": str(merged.get("id") or _slug(path.stem)),
        "title": str(merged.get("title") or parsed.title or path.stem),
        "doc_type": str(merged.get("doc_type") or "other").lower(),
        "product_ids": _list(merged.get("product_ids")),
        "provinces": [province_code(p) for p in _list(merged.get("province"))] or [NATIONAL],
        "language": str(merged.get("language") or _detect_language(body)),
        "roles": roles,
        "effective_date": effective.isoformat() if effective else "",
        "effective_ord": date_ord(effective) if effective else 0,
    }


_PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _display_path(path: Path) -> str:
    """Relative to the working directory, else to the project (the demo documents), else absolute."""
    resolved = path.resolve()
    for root in (Path.cwd().resolve(), _PROJECT_ROOT):
        if resolved.is_relative_to(root):
            return str(resolved.relative_to(root))
    return str(resolved)


def _existing_hash(kb: KnowledgeBase, doc_id: str) -> str | None:
    got = kb.collection.get(where={"doc_id": doc_id}, limit=1, include=["metadatas"])
    metas = got["metadatas"] or []
    return str(metas[0].get("content_hash")) if metas else None


def prepare(
    kb: KnowledgeBase, path: Path, overrides: dict[str, Any], seen: dict[str, Path]
) -> Prepared | FileOutcome:
    if not path.exists():
        return FileOutcome(path=str(path), status="error", error=f"{path}: no such file")
    raw, parsed = read_document(path)
    meta = resolve_meta(path, parsed, overrides)
    doc_id = meta["doc_id"]
    if doc_id in seen:
        raise UnreadableDocumentError(
            f"{path.name}: document id {doc_id!r} is already used by {seen[doc_id]}"
        )
    seen[doc_id] = path
    canonical = json.dumps({k: v for k, v in overrides.items() if v}, sort_keys=True, default=str)
    digest = hashlib.sha256(raw + canonical.encode() + CHUNKER_VERSION.encode()).hexdigest()
    existing = _existing_hash(kb, doc_id)
    meta["source_path"] = _display_path(path)
    meta["source_abs"] = str(path.resolve())
    if existing == digest:
        _ensure_registered(kb, doc_id, digest, meta)
        return FileOutcome(path=str(path), doc_id=doc_id, status="unchanged")
    chunks = chunk_blocks(parsed.blocks)
    if not chunks:
        raise UnreadableDocumentError(f"{path.name}: no text to index")
    return Prepared(path, doc_id, digest, meta, chunks, "updated" if existing else "added")


def ingest_paths(
    kb: KnowledgeBase,
    paths: Sequence[Path],
    overrides: dict[str, Any],
    progress: Callable[[str, int, int], None] | None = None,
    exclude_names: Sequence[str] = (),
    prune: bool = False,
) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    kb.last_ingest_keys = []
    seen: dict[str, Path] = {}
    pending: list[Prepared] = []
    for path in expand(paths, exclude_names):
        try:
            result = prepare(kb, path, overrides, seen)
        except UnreadableDocumentError as exc:
            log.warning("ingest skipped %s: %s", path, exc)
            report.files.append(FileOutcome(path=str(path), status="error", error=str(exc)))
            continue
        if isinstance(result, FileOutcome):
            report.files.append(result)
        else:
            pending.append(result)
    total = sum(len(p.chunks) for p in pending)
    done = 0
    if progress:
        progress("embedding", 0, total)
    embed_s = 0.0
    for item in pending:
        t0 = time.perf_counter()

        def tick(n: int, base: int = done, doc_id: str = item.doc_id) -> None:
            if progress:
                progress(doc_id, base + n, total)

        ids, docs, metas, vectors = _records(kb, item, tick)
        embed_s += time.perf_counter() - t0
        kb.collection.delete(where={"doc_id": item.doc_id})
        kb.collection.add(ids=ids, documents=docs, metadatas=metas, embeddings=vectors)  # type: ignore[arg-type]
        done += len(ids)
        _register(kb, item)
        report.files.append(
            FileOutcome(path=str(item.path), doc_id=item.doc_id, status=item.status, chunks=len(ids))
        )
    if kb.vector_cache is not None:
        kb.vector_cache.save()
    if prune:
        report.files.extend(prune_missing(kb, paths))
    if pending or any(f.status == "removed" for f in report.files):
        bump_version(kb.collection)
        kb.invalidate()
    report.seconds = time.perf_counter() - started
    report.embed_seconds = embed_s
    return report


def _records(
    kb: KnowledgeBase, item: Prepared, tick: Callable[[int], None]
) -> tuple[list[str], list[str], list[dict[str, Any]], list[Any]]:
    meta = item.meta
    ids, docs, metas, heads = [], [], [], []
    for chunk in item.chunks:
        head = f"{meta['title']}\n{chunk.section}\n" if chunk.section else f"{meta['title']}\n"
        heads.append(head + chunk.text)
        ids.append(f"{item.doc_id}:c{chunk.index:03d}")
        docs.append(chunk.text)
        metas.append(
            {
                **meta,
                "chunk_id": ids[-1],
                **{vis_key(role): ids[-1] for role in meta["roles"]},
                "section": chunk.section,
                "page": chunk.page or 0,
                "chunk_index": chunk.index,
                "content_hash": item.content_hash,
                "tokens": " ".join(kb.tokenizer.tokens(head + chunk.text)),
            }
        )
    fingerprint = str(getattr(kb.embedder, "fingerprint", kb.embedder.name))
    keys = [text_key(fingerprint, h) for h in heads]
    kb.last_ingest_keys.extend(keys)
    cache = kb.vector_cache
    vectors: list[Any] = [cache.get(key) if cache is not None else None for key in keys]
    missing = [i for i, v in enumerate(vectors) if v is None]
    tick(len(heads) - len(missing))
    for start in range(0, len(missing), EMBED_BATCH):
        batch = missing[start : start + EMBED_BATCH]
        for i, vector in zip(batch, kb.embedder.embed_passages([heads[i] for i in batch]), strict=True):
            vectors[i] = vector
            if cache is not None:
                cache.put(keys[i], vector)
        tick(len(heads) - len(missing) + min(start + EMBED_BATCH, len(missing)))
    for m in metas:  # Chroma rejects empty lists as metadata values
        if not m["product_ids"]:
            m["product_ids"] = ["-"]
    return ids, docs, metas, vectors


def _register(kb: KnowledgeBase, item: Prepared) -> None:
    _upsert_row(kb, item.doc_id, item.content_hash, item.meta, len(item.chunks))


def _ensure_registered(kb: KnowledgeBase, doc_id: str, digest: str, meta: dict[str, Any]) -> None:
    """An unchanged document still gets its registry row (e.g. after `copilot seed --reset`)."""
    if kb.session_factory is None:
        return
    from knowledge.store.models.governance import Document

    with kb.session_factory() as session:
        row = session.get(Document, doc_id)
        if row is not None and row.content_hash == digest:
            return
    chunks = len(kb.collection.get(where={"doc_id": doc_id}, include=[])["ids"])
    _upsert_row(kb, doc_id, digest, meta, chunks)


def _upsert_row(kb: KnowledgeBase, doc_id: str, digest: str, meta: dict[str, Any], chunks: int) -> None:
    if kb.session_factory is None:
        return
    from knowledge.store.models.governance import Document

    with kb.session_factory() as session, session.begin():
        row = session.get(Document, doc_id) or Document(id=doc_id)
        row.title = meta["title"][:256]
        row.source_path = meta["source_path"][:512]
        row.content_hash = digest
        row.doc_type = meta["doc_type"][:32]
        row.language = meta["language"][:8]
        row.roles = list(meta["roles"])
        row.meta = {k: meta[k] for k in ("product_ids", "provinces", "effective_date")}
        row.chunk_count = chunks
        row.ingested_at = dt.datetime.now(dt.UTC)
        session.add(row)


def remove_document(kb: KnowledgeBase, doc_id: str) -> int:
    got = kb.collection.get(where={"doc_id": doc_id}, include=[])
    if got["ids"]:
        kb.collection.delete(ids=got["ids"])
        bump_version(kb.collection)
        kb.invalidate()
    if kb.session_factory is not None:
        from knowledge.store.models.governance import Document

        with kb.session_factory() as session, session.begin():
            row = session.get(Document, doc_id)
            if row is not None:
                session.delete(row)
    return len(got["ids"])


def prune_missing(kb: KnowledgeBase, roots: Sequence[Path]) -> list[FileOutcome]:
    """Remove documents whose source file lay under one of `roots` and no longer exists."""
    dirs = [r.resolve() for r in roots if r.is_dir()]
    gone: dict[str, str] = {}
    for _cid, meta in kb._scan():
        raw = str(meta.get("source_abs") or "")
        if not raw or meta.get("doc_id") in gone:
            continue
        source = Path(raw)
        if any(source.is_relative_to(d) for d in dirs) and not source.exists():
            gone[str(meta.get("doc_id"))] = str(meta.get("source_path"))
    outcomes = []
    for doc_id, shown in gone.items():
        n = remove_document(kb, doc_id)
        outcomes.append(FileOutcome(path=shown, doc_id=doc_id, status="removed", chunks=n))
    return outcomes
