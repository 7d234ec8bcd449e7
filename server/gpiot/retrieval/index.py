"""Incremental index build: plan by content-derived point ids, embed only what is new.

``plan_update`` is pure: given the wanted chunks' ids and the ids in the store it says what to
embed, keep and remove. ``build_index`` runs it for the notes and API collections.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gpiot.retrieval import store
from gpiot.retrieval.apiref import collect_api
from gpiot.retrieval.chunks import API_COLLECTION, NOTES_COLLECTION, Chunk, api_chunks, note_chunks
from gpiot.retrieval.corpus import NOTES_DIR, load_notes
from gpiot.retrieval.errors import KnowledgeError
from gpiot.retrieval.sparse import document_vector

if TYPE_CHECKING:
    from qdrant_client import QdrantClient

    from gpiot.retrieval.embedder import Embedder

# progress(stage, done, total): stage is "notes" or "api"; total is the chunks to embed.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Plan:
    embed: list[tuple[str, Chunk]]  # (point id, chunk) to embed and upsert
    keep: int
    remove: list[str]  # point ids no longer wanted


def plan_update(wanted: Sequence[tuple[str, Chunk]], existing: set[str]) -> Plan:
    """What to embed (new ids), keep (ids already stored) and remove (stored, no longer wanted)."""
    unique: dict[str, Chunk] = {}
    for point_id, chunk in wanted:
        unique.setdefault(point_id, chunk)
    embed = [(i, c) for i, c in unique.items() if i not in existing]
    keep = sum(1 for i in unique if i in existing)
    remove = sorted(existing - unique.keys())
    return Plan(embed, keep, remove)


@dataclass
class CollectionReport:
    name: str
    chunks: int = 0
    embedded: int = 0
    kept: int = 0
    removed: int = 0

    def to_dict(self) -> dict[str, int | str]:
        return {
            "collection": self.name,
            "chunks": self.chunks,
            "embedded": self.embedded,
            "kept": self.kept,
            "removed": self.removed,
        }


@dataclass
class BuildReport:
    store: str
    notes: int = 0
    api_entries: int = 0
    collections: list[CollectionReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # bad notes, missing API modules
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "store": self.store,
            "notes": self.notes,
            "api_entries": self.api_entries,
            "collections": [c.to_dict() for c in self.collections],
            "problems": self.problems,
            "seconds": round(self.seconds, 2),
        }


def update_collection(
    client: QdrantClient,
    name: str,
    chunks: Sequence[Chunk],
    embedder: Embedder,
    progress: Progress | None = None,
    stage: str = "",
) -> CollectionReport:
    """Bring collection ``name`` to exactly ``chunks``, embedding only the new ones."""
    store.ensure_collection(client, name, embedder.dimension)
    wanted = [(c.point_id(embedder.id), c) for c in chunks]
    plan = plan_update(wanted, store.existing_ids(client, name))
    done = 0
    if progress:
        progress(stage, 0, len(plan.embed))

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(stage, done, len(plan.embed))

    if plan.embed:
        ids = [i for i, _ in plan.embed]
        vectors = embedder.encode([c.dense_text for _, c in plan.embed], on_batch=advance)
        sparse = [document_vector(c.sparse_text) for _, c in plan.embed]
        store.upsert(client, name, ids, vectors, sparse, [c.payload for _, c in plan.embed])
    if plan.remove:
        store.delete(client, name, plan.remove)
    return CollectionReport(name, len(wanted), len(plan.embed), plan.keep, len(plan.remove))


def build_index(
    client: QdrantClient,
    embedder: Embedder,
    location: str,
    notes_dir: Path = NOTES_DIR,
    api: bool = True,
    progress: Progress | None = None,
) -> BuildReport:
    """Index every note section (and, with ``api``, the API reference) incrementally."""
    start = time.perf_counter()
    report = BuildReport(location)
    corpus = load_notes(notes_dir)
    report.problems += [str(e) for e in corpus.errors]
    report.notes = len(corpus.notes)
    if not corpus.notes:
        raise KnowledgeError(
            f"no valid notes under {notes_dir}",
            "; ".join(report.problems[:3]) or "add knowledge/notes/<modality>/<id>.md files",
        )
    report.collections.append(
        update_collection(
            client, NOTES_COLLECTION, note_chunks(corpus.notes), embedder, progress, "notes"
        )
    )
    if api:
        entries, problems = collect_api()
        report.problems += problems
        report.api_entries = len(entries)
        report.collections.append(
            update_collection(
                client, API_COLLECTION, api_chunks(entries), embedder, progress, "api"
            )
        )
    report.seconds = time.perf_counter() - start
    return report
