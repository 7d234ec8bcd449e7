"""The retrieval hook the pipeline calls; ``NoRetrieval`` when no knowledge index is available.

The knowledge base's implementation is ``gpiot.retrieval.search.KnowledgeRetriever`` (opened with
``gpiot.retrieval.search.open_retriever``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Snippet:
    source: str  # e.g. "knowledge/notes/ecg/ecg-pan-tompkins.md#steps" or "api/scipy.signal.butter"
    title: str
    text: str
    score: float | None = None  # the retriever's score (RRF or cosine), when there is one
    modality: str = ""  # the note's modality (ecg, imu, ...); "" for API entries
    section: str = ""  # the note section ("Steps") or the API entry's kind ("function", "class")
    method: str = ""  # a note's title: the method RT may choose; "" for API entries
    parameters: str = ""  # a note's key parameters on one line: "a=1; b=5-15"

    def render(self) -> str:
        return f"[{self.source}] {self.title}: {self.text}"


class Retriever(Protocol):
    def methods(self, query: str, k: int) -> list[Snippet]:
        """Algorithm notes for a sub-task (goes into RT's prompt and the spec's sources)."""
        ...

    def api(self, query: str, k: int) -> list[Snippet]:
        """API reference snippets for the functions CG is about to use."""
        ...


class NoRetrieval:
    """The retriever used when no knowledge store is configured."""

    def methods(self, query: str, k: int) -> list[Snippet]:
        return []

    def api(self, query: str, k: int) -> list[Snippet]:
        return []
