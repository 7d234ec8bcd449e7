"""The knowledge retriever: notes for RT (``methods``), API reference entries for CG (``api``).

Notes are indexed by section; a query ranks sections and keeps each note's best section, so the
``k`` snippets come from ``k`` different notes. ``open_retriever`` never raises: when the index,
store or embedder is unavailable it returns ``NoRetrieval`` and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gpiot.retrieval import store
from gpiot.retrieval.chunks import API_COLLECTION, NOTES_COLLECTION, compact
from gpiot.retrieval.errors import KnowledgeError
from gpiot.retrieval.hook import NoRetrieval, Retriever, Snippet
from gpiot.retrieval.sparse import query_vector
from gpiot.settings import Settings

if TYPE_CHECKING:
    from qdrant_client import QdrantClient

    from gpiot.retrieval.embedder import Embedder

MODES = ("dense", "sparse", "hybrid")
NOTE_MODE = "hybrid"  # what measured best on knowledge/eval (docs/knowledge.md)
API_MODE = "hybrid"
SECTIONS_PER_NOTE = 8  # chunks fetched per wanted note, so k distinct notes survive grouping
SNIPPET_CHARS = 800
GROUNDING_NOTES = 2  # notes whose API mentions rank first in api()


@dataclass(frozen=True)
class NoteHit:
    note_id: str
    score: float
    payload: dict[str, Any]  # the best-scoring section's payload


class KnowledgeRetriever:
    """Implements the ``Retriever`` hook over a built index."""

    def __init__(
        self,
        client: QdrantClient,
        embedder: Embedder,
        note_mode: str = NOTE_MODE,
        api_mode: str = API_MODE,
    ) -> None:
        self.client = client
        self.embedder = embedder
        self.note_mode = note_mode
        self.api_mode = api_mode
        self._cache: dict[str, list[float]] = {}  # query → dense vector (methods, then api)
        self._has_notes = False

    def _dense(self, query: str) -> list[float]:
        vector = self._cache.get(query)
        if vector is None:
            vector = self.embedder.encode_one(query)
            if len(self._cache) >= 64:
                self._cache.pop(next(iter(self._cache)))
            self._cache[query] = vector
        return vector

    def _hits(
        self, collection: str, query: str, mode: str, limit: int, query_filter: Any = None
    ) -> list[store.Hit]:
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; use one of {', '.join(MODES)}")
        dense = self._dense(query) if mode != "sparse" else None
        sparse = query_vector(query) if mode != "dense" else None
        if sparse is not None and not sparse.indices:
            if dense is None:
                return []
            mode = "dense"  # nothing to match by keyword (e.g. only stop words)
        return store.query(
            self.client, collection, mode, dense, sparse, limit, max(limit, 50), query_filter
        )

    def search_notes(self, query: str, k: int, mode: str | None = None) -> list[NoteHit]:
        """The ``k`` best notes, each with its best-matching section."""
        hits = self._hits(NOTES_COLLECTION, query, mode or self.note_mode, k * SECTIONS_PER_NOTE)
        best: dict[str, NoteHit] = {}
        for hit in hits:
            note_id = str(hit.payload.get("note_id", ""))
            if note_id and note_id not in best:
                best[note_id] = NoteHit(note_id, hit.score, hit.payload)
        return list(best.values())[:k]

    def grounded_names(self, query: str, notes: int = GROUNDING_NOTES) -> list[str]:
        """The library functions that the best-matching notes' text uses (``payload["apis"]``)."""
        names: list[str] = []
        if not self._has_notes:
            self._has_notes = self.client.collection_exists(NOTES_COLLECTION)
            if not self._has_notes:  # an API-only index
                return names
        for hit in self.search_notes(query, notes):
            names += [str(n) for n in hit.payload.get("apis", [])]
        return list(dict.fromkeys(names))

    def search_api(
        self, query: str, k: int, mode: str | None = None, grounded: bool = True
    ) -> list[store.Hit]:
        """API entries for ``query``: first those the matching notes use, then any others."""
        mode = mode or self.api_mode
        hits: list[store.Hit] = []
        names = self.grounded_names(query) if grounded else []
        if names:
            only = store.any_of(("name", "short"), names)
            hits = self._hits(API_COLLECTION, query, mode, k, only)
        seen = {h.id for h in hits}
        hits += [h for h in self._hits(API_COLLECTION, query, mode, k) if h.id not in seen]
        return hits[:k]

    def methods(self, query: str, k: int) -> list[Snippet]:
        return [note_snippet(h) for h in self.search_notes(query, k)]

    def api(self, query: str, k: int) -> list[Snippet]:
        return [api_snippet(h) for h in self.search_api(query, k)]


def note_snippet(hit: NoteHit) -> Snippet:
    p = hit.payload
    text = str(p.get("text", ""))
    if p.get("parameters"):
        text = f"{text} Key parameters: {p['parameters']}."
    return Snippet(
        source=str(p.get("source", "")),
        title=f"{p.get('title', '')} — {p.get('section', '')}",
        text=compact(text, SNIPPET_CHARS),
        score=round(hit.score, 4),
        modality=str(p.get("modality", "")),
        section=str(p.get("section", "")),
        method=str(p.get("title", "")),
        parameters=str(p.get("parameters", "")),
    )


def api_snippet(hit: store.Hit) -> Snippet:
    p = hit.payload
    return Snippet(
        source=str(p.get("source", "")),
        title=str(p.get("name", "")),
        text=str(p.get("text", "")),
        score=round(hit.score, 4),
        section=str(p.get("entry_kind", "")),
    )


def open_knowledge(settings: Settings) -> KnowledgeRetriever:
    """The retriever over the configured index; a KnowledgeError saying why it cannot open."""
    from gpiot.retrieval.embedder import load_embedder

    location = store.store_location(settings)
    client = store.open_store(location)
    try:
        if store.count(client, NOTES_COLLECTION) == 0:
            raise KnowledgeError(
                f"the knowledge index in {location.describe()} is empty",
                "build it with: gpiot knowledge build",
            )
    except KnowledgeError:
        raise
    except Exception as exc:  # a server that fails mid-way, or a damaged local collection
        raise KnowledgeError(
            f"the knowledge index in {location.describe()} cannot be read: {exc}",
            "rebuild it with: gpiot knowledge build",
        ) from None
    return KnowledgeRetriever(client, load_embedder())


def open_retriever(settings: Settings) -> tuple[Retriever, str | None]:
    """(retriever, None), or (NoRetrieval, why) so the pipeline runs on without retrieval."""
    try:
        return open_knowledge(settings), None
    except KnowledgeError as exc:
        return NoRetrieval(), str(exc)
