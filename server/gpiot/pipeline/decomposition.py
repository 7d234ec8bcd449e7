"""The decomposition contract (TD output): ordered sub-tasks with implementation steps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_len: int = 40) -> str:
    """A safe, importable file-name stem: lowercase ASCII letters, digits and underscores."""
    slug = _NON_SLUG.sub("_", text.lower()).strip("_")[:max_len].rstrip("_")
    if not slug:
        return "subtask"
    return slug if not slug[0].isdigit() else f"step_{slug}"


@dataclass(frozen=True)
class SubTask:
    name: str
    steps: tuple[str, ...]

    @property
    def slug(self) -> str:
        return slugify(self.name)

    def to_markdown(self) -> str:
        return "\n".join([self.name, *(f"  {i}. {s}" for i, s in enumerate(self.steps, 1))])

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "steps": list(self.steps)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SubTask:
        return cls(str(data["name"]).strip(), tuple(str(s).strip() for s in data.get("steps", [])))


@dataclass(frozen=True)
class Decomposition:
    statement: str
    subtasks: tuple[SubTask, ...]

    def to_markdown(self) -> str:
        return "\n".join(f"{i}. {t.to_markdown()}" for i, t in enumerate(self.subtasks, 1))

    def to_dict(self) -> dict[str, Any]:
        return {"statement": self.statement, "subtasks": [t.to_dict() for t in self.subtasks]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Decomposition:
        return cls(
            str(data.get("statement", "")),
            tuple(SubTask.from_dict(t) for t in data.get("subtasks", [])),
        )
