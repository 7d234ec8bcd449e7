"""The knowledge base's user-facing errors."""

from __future__ import annotations

from gpiot.errors import GpiotError


class KnowledgeError(GpiotError):
    """The knowledge index, its store or its embedder is unavailable or damaged."""


class NoteError(GpiotError):
    """A knowledge note cannot be parsed; the message names the file."""
