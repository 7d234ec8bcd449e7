"""Retrieval quality and speed on the labelled queries (``knowledge/eval/queries-*.jsonl``).

Metrics are at note level: a query's ranking is its notes in order of their best section.
recall@k = |relevant ∩ top k| / |relevant|, averaged over queries; MRR = mean of 1/rank of the
first relevant note (0 when none is in the ranking). The pure functions take rankings; ``evaluate``
runs the retriever.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gpiot.retrieval.errors import NoteError

CUTOFFS = (1, 3, 5)
RANK_DEPTH = 10
API_QUERIES = "api-queries.jsonl"  # CG-style queries labelled with acceptable API entries


@dataclass(frozen=True)
class Query:
    text: str
    relevant: tuple[str, ...]
    modality: str
    source: str  # "file.jsonl:line"


def load_queries(eval_dir: Path) -> tuple[list[Query], list[str]]:
    """Every query in ``eval_dir/queries-*.jsonl``; malformed lines are reported, not fatal."""
    queries: list[Query] = []
    problems: list[str] = []
    for path in sorted(eval_dir.glob("queries-*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                data = json.loads(line)
                relevant = data["relevant"]
                if isinstance(relevant, str):
                    relevant = [relevant]
                query = Query(
                    str(data["query"]).strip(),
                    tuple(str(r) for r in relevant),
                    str(data.get("modality", "")),
                    where,
                )
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                problems.append(f"{where}: not a labelled query ({exc})")
                continue
            if not query.text or not query.relevant:
                problems.append(f"{where}: empty query or no relevant notes")
                continue
            queries.append(query)
    return queries, problems


def check_labels(queries: Iterable[Query], note_ids: set[str]) -> list[str]:
    """Labels that name notes which do not exist."""
    return [
        f"{q.source}: unknown note id {r!r}"
        for q in queries
        for r in q.relevant
        if r not in note_ids
    ]


def recall_at(ranking: Sequence[str], relevant: Sequence[str], k: int) -> float:
    wanted = set(relevant)
    return len(wanted & set(ranking[:k])) / len(wanted) if wanted else 0.0


def reciprocal_rank(ranking: Sequence[str], relevant: Sequence[str]) -> float:
    wanted = set(relevant)
    return next((1.0 / i for i, note in enumerate(ranking, 1) if note in wanted), 0.0)


@dataclass
class Scores:
    queries: int = 0
    recall: dict[int, float] = field(default_factory=dict)
    mrr: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"queries": self.queries}
        out.update({f"recall@{k}": round(v, 4) for k, v in sorted(self.recall.items())})
        out["mrr"] = round(self.mrr, 4)
        return out


def score(rankings: Sequence[Sequence[str]], queries: Sequence[Query]) -> Scores:
    n = len(queries)
    if n == 0:
        return Scores()
    recall = {
        k: sum(recall_at(r, q.relevant, k) for r, q in zip(rankings, queries, strict=True)) / n
        for k in CUTOFFS
    }
    mrr = sum(reciprocal_rank(r, q.relevant) for r, q in zip(rankings, queries, strict=True)) / n
    return Scores(n, recall, mrr)


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile (``pct`` in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * pct / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class ModeResult:
    mode: str
    overall: Scores
    by_modality: dict[str, Scores]
    latency_ms: list[float]
    misses: list[dict[str, Any]]  # queries whose relevant notes are not all in the top 5

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            **self.overall.to_dict(),
            "latency_ms": {
                "p50": round(percentile(self.latency_ms, 50), 2),
                "p95": round(percentile(self.latency_ms, 95), 2),
            },
            "by_modality": {m: s.to_dict() for m, s in sorted(self.by_modality.items())},
            "misses": self.misses,
        }


# search(query, k, mode) → note ids in rank order
Search = Callable[[str, int, str], list[str]]


def evaluate_mode(search: Search, queries: Sequence[Query], mode: str) -> ModeResult:
    """Rank every query (after one warm-up query) and score the rankings."""
    if queries:
        search(queries[0].text, RANK_DEPTH, mode)  # warm caches; not timed
    rankings: list[list[str]] = []
    latency: list[float] = []
    for query in queries:
        start = time.perf_counter()
        rankings.append(search(query.text, RANK_DEPTH, mode))
        latency.append((time.perf_counter() - start) * 1000)
    modalities = sorted({q.modality for q in queries})
    by_modality = {
        m: score(
            [r for r, q in zip(rankings, queries, strict=True) if q.modality == m],
            [q for q in queries if q.modality == m],
        )
        for m in modalities
    }
    misses = [
        {"query": q.text, "relevant": list(q.relevant), "top5": r[:5], "source": q.source}
        for r, q in zip(rankings, queries, strict=True)
        if recall_at(r, q.relevant, 5) < 1.0
    ]
    return ModeResult(mode, score(rankings, queries), by_modality, latency or [0.0], misses)


def best_mode(results: Sequence[ModeResult]) -> str:
    """Highest recall@5, then MRR, then lowest p50 latency."""
    return max(
        results,
        key=lambda r: (
            round(r.overall.recall.get(5, 0.0), 4),
            round(r.overall.mrr, 4),
            -percentile(r.latency_ms, 50),
        ),
    ).mode


def summarise_latency(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(values, 50), 2),
        "p95": round(percentile(values, 95), 2),
        "mean": round(statistics.fmean(values), 2),
    }


def require_queries(queries: Sequence[Query], eval_dir: Path) -> None:
    if not queries:
        raise NoteError(f"no labelled queries in {eval_dir}/queries-*.jsonl")


def load_api_queries(path: Path) -> list[Query]:
    """CG-style queries whose ``relevant`` lists acceptable API entries (any one is a hit)."""
    if not path.is_file():
        return []
    queries, _ = load_queries_file(path)
    return queries


def load_queries_file(path: Path) -> tuple[list[Query], list[str]]:
    queries: list[Query] = []
    problems: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                data = json.loads(line)
                queries.append(
                    Query(
                        str(data["query"]),
                        tuple(data["relevant"]),
                        str(data.get("modality", "")),
                        f"{path.name}:{number}",
                    )
                )
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                problems.append(f"{path.name}:{number}: {exc}")
    return queries, problems


def hit_at(ranking: Sequence[str], acceptable: Sequence[str], k: int) -> float:
    return 1.0 if set(ranking[:k]) & set(acceptable) else 0.0


def score_any(rankings: Sequence[Sequence[str]], queries: Sequence[Query]) -> dict[str, float]:
    """hit@1/3 (some acceptable entry in the top k) and MRR, for any-of labels."""
    n = max(len(queries), 1)
    pairs = list(zip(rankings, queries, strict=True))
    return {
        "queries": len(queries),
        "hit@1": round(sum(hit_at(r, q.relevant, 1) for r, q in pairs) / n, 4),
        "hit@3": round(sum(hit_at(r, q.relevant, 3) for r, q in pairs) / n, 4),
        "mrr": round(sum(reciprocal_rank(r, q.relevant) for r, q in pairs) / n, 4),
    }
