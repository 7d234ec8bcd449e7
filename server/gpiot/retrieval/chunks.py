"""What goes into the index: one chunk per note section and one per API entry.

A chunk's point id is a UUID derived from a SHA-256 of everything that determines its vectors and
payload (index schema, embedder, sparse scheme, key, texts, payload), so an unchanged chunk keeps
its id across builds and a changed one gets a new id: incremental planning is set arithmetic.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gpiot.retrieval.apiref import ApiEntry
from gpiot.retrieval.corpus import Note, Section
from gpiot.retrieval.sparse import SCHEME

SCHEMA_VERSION = "gpiot-knowledge-2"
NOTES_COLLECTION = "gpiot-notes"
API_COLLECTION = "gpiot-api"
NOTE_TEXT_CHARS = 700  # snippet text for RT: about 175 tokens, 3 snippets fit easily in 4096
API_TEXT_CHARS = 650


_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_DOTTED = re.compile(r"\b(?:np|numpy|scipy|sp|sklearn|signal|stats|fft|interpolate)(?:\.\w+)+")
_CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
_BARE = re.compile(r"^[A-Za-z_]\w*$")
_BUILTINS = frozenset(dir(builtins))
_ALIASES = (
    ("np.", "numpy."),
    ("sp.", "scipy."),
    ("signal.", "scipy.signal."),
    ("stats.", "scipy.stats."),
    ("interpolate.", "scipy.interpolate."),
    ("fft.", "scipy.fft."),
)


def api_mentions(text: str) -> list[str]:
    """Library names a note's text uses: qualified (``scipy.signal.butter``) or bare
    (``sosfiltfilt``), in order of first mention. Bare names come from code spans only."""
    found: list[str] = []
    for dotted in _DOTTED.findall(text):
        for alias, full in _ALIASES:
            if dotted.startswith(alias):
                dotted = full + dotted[len(alias) :]
                break
        found.append(dotted)
    for span in _CODE_SPAN.findall(text):
        span = span.strip()
        if _BARE.match(span) and ("_" in span or span[0].isupper() or len(span) > 4):
            found.append(span)
        found.extend(_CALL.findall(span))
    return list(dict.fromkeys(n for n in found if len(n) > 2 and n not in _BUILTINS))


@dataclass(frozen=True)
class Chunk:
    key: str  # the snippet source: "knowledge/notes/ecg/x.md#steps" or "api/scipy.signal.butter"
    dense_text: str  # what the embedder sees
    sparse_text: str  # what the keyword tokenizer sees
    payload: dict[str, Any] = field(hash=False, compare=False)

    def content_hash(self, embedder_id: str) -> str:
        blob = json.dumps(
            [
                SCHEMA_VERSION,
                embedder_id,
                SCHEME,
                self.key,
                self.dense_text,
                self.sparse_text,
                self.payload,
            ],
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def point_id(self, embedder_id: str) -> str:
        return str(uuid.UUID(self.content_hash(embedder_id)[:32]))


def compact(text: str, limit: int) -> str:
    """Whitespace collapsed (markdown list markers kept), cut at a word boundary."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    flat = " ".join(line for line in lines if line)
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rsplit(" ", 1)[0] + " …"


def note_section_chunk(note: Note, section: Section) -> Chunk:
    tags = ", ".join(note.tags)
    context = f"{note.title} ({note.modality}, {note.task})"
    dense = f"{context}. {section.title}: {compact(section.text, 1500)}"
    sparse = f"{note.title} {note.title} {note.task} {tags} {section.title}\n{section.text}"
    return Chunk(
        key=f"{note.source}#{section.anchor}",
        dense_text=dense,
        sparse_text=sparse,
        payload={
            "kind": "note",
            "note_id": note.id,
            "title": note.title,
            "modality": note.modality,
            "task": note.task,
            "tags": list(note.tags),
            "section": section.title,
            "anchor": section.anchor,
            "source": f"{note.source}#{section.anchor}",
            "path": note.source,
            "parameters": note.parameter_line(),
            "text": compact(section.text, NOTE_TEXT_CHARS),
        },
    )


def note_card_chunk(note: Note) -> Chunk:
    """A whole-note card: title, task, tags, key parameters and the summary's first lines."""
    summary = note.section("Summary") or note.sections[0]
    dense = (
        f"{note.title} ({note.modality}, {note.task}). Tags: {', '.join(note.tags)}. "
        f"{compact(summary.text, 900)}"
    )
    sparse = f"{note.title} {note.title} {note.task} {' '.join(note.tags)} {note.parameter_line()}"
    return Chunk(
        key=f"{note.source}#",
        dense_text=dense,
        sparse_text=sparse,
        payload={
            "kind": "note",
            "note_id": note.id,
            "title": note.title,
            "modality": note.modality,
            "task": note.task,
            "tags": list(note.tags),
            "section": summary.title,
            "anchor": summary.anchor,
            "source": f"{note.source}#{summary.anchor}",
            "path": note.source,
            "parameters": note.parameter_line(),
            "text": compact(summary.text, NOTE_TEXT_CHARS),
        },
    )


def note_chunks(notes: Iterable[Note], cards: bool = True) -> list[Chunk]:
    """A card and one chunk per section for every note; each carries the note's API mentions."""
    chunks: list[Chunk] = []
    for note in notes:
        apis = api_mentions("\n".join(s.text for s in note.sections))
        mine = [note_card_chunk(note)] if cards else []
        mine += [note_section_chunk(note, s) for s in note.sections]
        for chunk in mine:
            chunk.payload["apis"] = apis
        chunks += mine
    return chunks


def api_text(entry: ApiEntry, limit: int = API_TEXT_CHARS) -> str:
    """Signature, summary, the first parameters, returns and a short example: compact for CG."""
    parts = [f"{entry.module}.{entry.signature}", entry.summary]
    if entry.parameters:
        parts.append("Parameters: " + "; ".join(p.render() for p in entry.parameters[:6]))
    if entry.returns:
        parts.append("Returns: " + "; ".join(p.render() for p in entry.returns[:2]))
    if entry.methods:
        parts.append("Methods: " + ", ".join(entry.methods))
    text = compact("\n".join(parts), limit)
    if entry.examples:
        room = limit + 250 - len(text)
        example = entry.examples if len(entry.examples) <= room else ""
        if not example and room > 80:
            example = entry.examples[:room].rsplit("\n", 1)[0]
        if example:
            text += "\nExample:\n" + example
    return text


def api_chunk(entry: ApiEntry) -> Chunk:
    short = entry.name.rsplit(".", 1)[-1]
    params = " ".join(p.name for p in entry.parameters)
    dense = f"{entry.name}: {entry.summary} {entry.description}".strip()
    sparse = f"{entry.name} {short} {entry.summary} {entry.description} {params}"
    return Chunk(
        key=f"api/{entry.name}",
        dense_text=dense,
        sparse_text=sparse,
        payload={
            "kind": "api",
            "name": entry.name,
            "short": entry.name.rsplit(".", 1)[-1],
            "entry_kind": entry.kind,
            "module": entry.module,
            "signature": entry.signature,
            "summary": entry.summary,
            "source": f"api/{entry.name}",
            "title": entry.name,
            "text": api_text(entry),
        },
    )


def api_chunks(entries: Iterable[ApiEntry]) -> list[Chunk]:
    return [api_chunk(e) for e in entries]
