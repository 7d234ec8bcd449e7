"""The Qdrant store: embedded local mode under the user cache by default, or a Qdrant server.

``knowledge_store`` setting: "" → ``<cache_dir>/knowledge``; a path → embedded Qdrant in that
folder; an ``http(s)://`` URL → that server (with ``knowledge_api_key``). Everything after opening
is the same code. Embedded mode locks its folder to one client per process, so clients are shared:
``open_store`` returns the same client for the same folder until ``close_store``.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpiot.retrieval.errors import KnowledgeError
from gpiot.retrieval.sparse import SparseVector
from gpiot.settings import Settings

if TYPE_CHECKING:
    from qdrant_client import QdrantClient

DENSE = "dense"
SPARSE = "sparse"
_SCROLL_PAGE = 512
_UPSERT_BATCH = 128

_clients: dict[str, QdrantClient] = {}
_clients_lock = threading.Lock()


@dataclass(frozen=True)
class StoreLocation:
    kind: str  # "local" or "server"
    where: str  # a folder or a URL
    api_key: str = ""

    @property
    def is_local(self) -> bool:
        return self.kind == "local"

    def describe(self) -> str:
        return (
            f"embedded Qdrant in {self.where}" if self.is_local else f"Qdrant server {self.where}"
        )


def store_location(settings: Settings) -> StoreLocation:
    value = settings.knowledge_store.strip()
    if value.startswith(("http://", "https://")):
        return StoreLocation("server", value, settings.knowledge_api_key)
    folder = Path(value).expanduser() if value else Path(settings.cache_dir) / "knowledge"
    return StoreLocation("local", str(folder.resolve()))


def open_store(location: StoreLocation, create: bool = False) -> QdrantClient:
    """The shared client for ``location``; a KnowledgeError with a hint when it cannot open.

    A local folder that does not exist is created only with ``create`` (``gpiot knowledge build``);
    otherwise it means the index was never built.
    """
    with _clients_lock:
        client = _clients.get(location.where)
        if client is not None:
            return client
        try:
            from qdrant_client import QdrantClient
        except ImportError:
            raise KnowledgeError(
                "qdrant-client is not installed", "pip install 'gpiot[knowledge]'"
            ) from None
        if location.is_local:
            client = _open_local(location, create)
        else:
            client = _open_server(QdrantClient, location)
        _clients[location.where] = client
        return client


def _open_local(location: StoreLocation, create: bool) -> QdrantClient:
    from qdrant_client import QdrantClient

    folder = Path(location.where)
    if not folder.exists() and not create:
        raise KnowledgeError(
            f"no knowledge index at {folder}", "build it with: gpiot knowledge build"
        )
    if folder.exists() and not folder.is_dir():
        raise KnowledgeError(f"knowledge store {folder} is not a folder", "set knowledge_store")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return QdrantClient(path=str(folder))
    except RuntimeError as exc:
        if "already accessed" in str(exc):
            raise KnowledgeError(
                f"the knowledge index at {folder} is in use by another process",
                "close the other gpiot process (e.g. the language server), or share one index "
                "through a Qdrant server: set knowledge_store to its URL",
            ) from None
        raise _damaged(folder, exc) from None
    except Exception as exc:  # sqlite, pickle, JSON or OS errors from a damaged folder
        raise _damaged(folder, exc) from None


def _damaged(folder: Path, exc: BaseException) -> KnowledgeError:
    problem = " ".join(str(exc).split())[:200] or type(exc).__name__
    return KnowledgeError(
        f"the knowledge index at {folder} cannot be opened ({type(exc).__name__}: {problem})",
        f"delete the folder and rebuild: rm -r '{folder}' && gpiot knowledge build",
    )


def _open_server(client_class: type[QdrantClient], location: StoreLocation) -> QdrantClient:
    try:
        client = client_class(url=location.where, api_key=location.api_key or None, timeout=10)
        client.get_collections()
    except Exception as exc:
        problem = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise KnowledgeError(
            f"the Qdrant server at {location.where} cannot be reached: {problem}",
            "check knowledge_store and knowledge_api_key, or clear knowledge_store to use the "
            "local index",
        ) from None
    return client


def close_store(location: StoreLocation) -> None:
    """Close and forget the shared client (releases an embedded folder's lock)."""
    with _clients_lock:
        client = _clients.pop(location.where, None)
    if client is not None:
        client.close()


@atexit.register
def close_all() -> None:
    """Close every shared client at exit (qdrant-client's own ``__del__`` runs too late)."""
    with _clients_lock:
        clients = list(_clients.values())
        _clients.clear()
    for client in clients:
        with contextlib.suppress(Exception):  # closing at shutdown must never raise
            client.close()


def ensure_collection(client: QdrantClient, name: str, dimension: int) -> None:
    """Create ``name`` with a cosine dense vector and an IDF-weighted sparse vector, if absent."""
    from qdrant_client import models

    if client.collection_exists(name):
        return
    client.create_collection(
        name,
        vectors_config={
            DENSE: models.VectorParams(size=dimension, distance=models.Distance.COSINE)
        },
        sparse_vectors_config={SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)},
    )


def existing_ids(client: QdrantClient, name: str) -> set[str]:
    """Every point id in ``name`` (empty when the collection does not exist)."""
    if not client.collection_exists(name):
        return set()
    ids: set[str] = set()
    offset: Any = None
    while True:
        points, offset = client.scroll(
            name, limit=_SCROLL_PAGE, offset=offset, with_payload=False, with_vectors=False
        )
        ids.update(str(p.id) for p in points)
        if offset is None:
            return ids


def count(client: QdrantClient, name: str) -> int:
    if not client.collection_exists(name):
        return 0
    return int(client.count(name, exact=True).count)


def _sparse(vector: SparseVector) -> Any:
    from qdrant_client import models

    return models.SparseVector(indices=list(vector.indices), values=list(vector.values))


def upsert(
    client: QdrantClient,
    name: str,
    ids: Sequence[str],
    dense: Sequence[list[float]],
    sparse: Sequence[SparseVector],
    payloads: Sequence[dict[str, Any]],
) -> None:
    from qdrant_client import models

    for start in range(0, len(ids), _UPSERT_BATCH):
        stop = start + _UPSERT_BATCH
        points = [
            models.PointStruct(id=i, vector={DENSE: d, SPARSE: _sparse(s)}, payload=p)
            for i, d, s, p in zip(
                ids[start:stop],
                dense[start:stop],
                sparse[start:stop],
                payloads[start:stop],
                strict=True,
            )
        ]
        client.upsert(name, points=points, wait=True)


def delete(client: QdrantClient, name: str, ids: Sequence[str]) -> None:
    from qdrant_client import models

    for start in range(0, len(ids), _UPSERT_BATCH):
        selector = models.PointIdsList(points=list(ids[start : start + _UPSERT_BATCH]))
        client.delete(name, points_selector=selector, wait=True)


def any_of(fields: Sequence[str], values: Sequence[str]) -> Any:
    """A filter: some ``field`` in ``fields`` equals some value in ``values``."""
    from qdrant_client import models

    return models.Filter(
        should=[
            models.FieldCondition(key=f, match=models.MatchAny(any=list(values))) for f in fields
        ]
    )


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    payload: dict[str, Any]


def query(
    client: QdrantClient,
    name: str,
    mode: str,
    dense: list[float] | None,
    sparse: SparseVector | None,
    limit: int,
    prefetch_limit: int = 50,
    query_filter: Any = None,
) -> list[Hit]:
    """``mode``: "dense", "sparse" or "hybrid" (both prefetched, fused by reciprocal rank)."""
    from qdrant_client import models

    if mode == "dense" and dense is not None:
        response = client.query_points(
            name,
            query=dense,
            using=DENSE,
            limit=limit,
            with_payload=True,
            query_filter=query_filter,
        )
    elif mode == "sparse" and sparse is not None:
        response = client.query_points(
            name,
            query=_sparse(sparse),
            using=SPARSE,
            limit=limit,
            with_payload=True,
            query_filter=query_filter,
        )
    elif mode == "hybrid" and dense is not None and sparse is not None:
        response = client.query_points(
            name,
            prefetch=[
                models.Prefetch(
                    query=dense, using=DENSE, limit=prefetch_limit, filter=query_filter
                ),
                models.Prefetch(
                    query=_sparse(sparse), using=SPARSE, limit=prefetch_limit, filter=query_filter
                ),
            ],
            query=models.FusionQuery(fusion=models.Fusion.RRF),
            limit=limit,
            with_payload=True,
        )
    else:
        raise ValueError(f"unknown retrieval mode {mode!r} or missing query vector")
    return [Hit(str(p.id), float(p.score), dict(p.payload or {})) for p in response.points]


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in _files(path))


def _files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        yield from (p for p in path.rglob("*") if p.is_file())
