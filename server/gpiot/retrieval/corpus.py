"""Knowledge notes: YAML front matter plus ``## `` sections (format in docs/knowledge.md).

``load_notes`` parses every ``knowledge/notes/<modality>/<id>.md``; a bad note is reported as a
``NoteError`` naming the file and the rest are still returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gpiot.retrieval.errors import NoteError

REPO_ROOT = Path(__file__).resolve().parents[3]
NOTES_DIR = REPO_ROOT / "knowledge" / "notes"
EVAL_DIR = REPO_ROOT / "knowledge" / "eval"

MODALITIES = ("ecg", "ppg", "imu", "audio", "csi", "radar", "environmental", "edge", "data")
REQUIRED = ("id", "title", "modality", "task")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^## +(.+?)\s*#*\s*$")


@dataclass(frozen=True)
class Section:
    title: str  # the heading text, e.g. "Implementation notes"
    anchor: str  # GitHub-style slug, unique in the note, e.g. "implementation-notes"
    text: str  # the section body, stripped


@dataclass(frozen=True)
class Note:
    id: str
    title: str
    modality: str
    task: str
    source: str  # path relative to the repository root, e.g. "knowledge/notes/ecg/x.md"
    tags: tuple[str, ...] = ()
    parameters: tuple[tuple[str, str], ...] = ()
    references: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()

    def section(self, title: str) -> Section | None:
        wanted = title.lower()
        return next((s for s in self.sections if s.title.lower() == wanted), None)

    def parameter_line(self) -> str:
        """The front matter's key parameters on one line: ``a=1; b=5-15``."""
        return "; ".join(f"{k}={v}" for k, v in self.parameters)


@dataclass
class CorpusLoad:
    notes: list[Note] = field(default_factory=list)
    errors: list[NoteError] = field(default_factory=list)


def slug(heading: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return re.sub(r"\s", "-", text)


def split_front_matter(text: str, name: str) -> tuple[dict[str, Any], str]:
    """(front matter mapping, body); raises NoteError naming ``name`` when it is missing or bad."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise NoteError(f"{name}: no front matter", "the file must start with a '---' line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        raise NoteError(f"{name}: front matter is not closed", "end it with a '---' line") from None
    import yaml  # here, so that importing the CLI does not need the knowledge extra

    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        problem = " ".join(str(exc).split())
        raise NoteError(f"{name}: front matter is not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise NoteError(f"{name}: front matter must be a mapping of keys to values")
    return data, "\n".join(lines[end + 1 :])


def split_sections(body: str) -> list[Section]:
    """``## `` sections in order; ``#``/``###`` lines and fenced code stay inside their section.

    Text before the first ``## `` heading (other than a ``# `` title) becomes an "Overview"
    section. Empty sections are dropped; repeated headings get ``-1``, ``-2`` anchors.
    """
    parts: list[tuple[str, list[str]]] = [("Overview", [])]
    fenced = False
    for line in body.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else _HEADING.match(line)
        if heading:
            parts.append((heading.group(1).strip(), []))
        elif not (len(parts) == 1 and line.startswith("# ")):
            parts[-1][1].append(line)
    sections: list[Section] = []
    used: dict[str, int] = {}
    for title, content in parts:
        text = "\n".join(content).strip()
        if not text:
            continue
        anchor = slug(title) or "section"
        if anchor in used:
            used[anchor] += 1
            anchor = f"{anchor}-{used[anchor]}"
        else:
            used[anchor] = 0
        sections.append(Section(title, anchor, text))
    return sections


def _strings(value: Any, key: str, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return tuple(str(v).strip() for v in value)
    raise NoteError(f"{name}: '{key}' must be a list of strings")


def _parameters(value: Any, name: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise NoteError(f"{name}: 'parameters' must be a mapping of names to values")
    return tuple((str(k), _scalar(v)) for k, v in value.items())


def _scalar(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_scalar(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items())
    return str(value).strip()


def parse_note(text: str, source: str) -> Note:
    """One note from its text; ``source`` is its repository-relative path (also used in errors)."""
    data, body = split_front_matter(text, source)
    missing = [k for k in REQUIRED if not isinstance(data.get(k), str) or not data[k].strip()]
    if missing:
        raise NoteError(f"{source}: front matter lacks {', '.join(missing)}")
    note_id, modality = data["id"].strip(), data["modality"].strip()
    if not _ID.match(note_id):
        raise NoteError(f"{source}: id {note_id!r} is not kebab-case")
    if modality not in MODALITIES:
        raise NoteError(
            f"{source}: unknown modality {modality!r}", f"use one of {', '.join(MODALITIES)}"
        )
    path = Path(source)
    if path.suffix == ".md" and path.stem != note_id:
        raise NoteError(f"{source}: id {note_id!r} differs from the file name {path.stem!r}")
    if path.parent.name in MODALITIES and path.parent.name != modality:
        raise NoteError(f"{source}: modality {modality!r} differs from its folder")
    sections = split_sections(body)
    if not sections:
        raise NoteError(f"{source}: no '## ' sections after the front matter")
    return Note(
        id=note_id,
        title=data["title"].strip(),
        modality=modality,
        task=data["task"].strip(),
        source=source,
        tags=_strings(data.get("tags"), "tags", source),
        parameters=_parameters(data.get("parameters"), source),
        references=_strings_list(data.get("references"), source),
        sections=tuple(sections),
    )


def _strings_list(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.strip(),)
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value)
    raise NoteError(f"{name}: 'references' must be a list of citations")


def note_files(notes_dir: Path) -> list[Path]:
    return sorted(p for p in notes_dir.rglob("*.md") if p.is_file())


def load_notes(notes_dir: Path = NOTES_DIR, root: Path | None = None) -> CorpusLoad:
    """Parse every note under ``notes_dir``; sources are relative to ``root`` (its grandparent)."""
    if not notes_dir.is_dir():
        raise NoteError(f"{notes_dir}: no such notes folder", "give --notes or create the folder")
    base = root or notes_dir.parent.parent
    load = CorpusLoad()
    seen: dict[str, str] = {}
    for path in note_files(notes_dir):
        try:
            source = path.relative_to(base).as_posix()
        except ValueError:
            source = path.as_posix()
        try:
            note = parse_note(path.read_text(encoding="utf-8"), source)
        except NoteError as exc:
            load.errors.append(exc)
            continue
        except (OSError, UnicodeDecodeError) as exc:
            load.errors.append(NoteError(f"{source}: cannot read: {exc}"))
            continue
        if note.id in seen:
            load.errors.append(
                NoteError(f"{source}: id {note.id!r} is already used by {seen[note.id]}")
            )
            continue
        seen[note.id] = source
        load.notes.append(note)
    return load
