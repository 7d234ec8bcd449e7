"""The retrieval hook the pipeline calls. Until the knowledge base lands it retrieves nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Snippet:
    source: str  # e.g. "knowledge/ecg/pan_tompkins.md#steps"
    title: str
    text: str

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
