"""Training records: one chat in the runtime's exact prompt format, with provenance.

The messages are built with :mod:`gpiot.pipeline.prompts` (the functions the runtime calls at
inference time), so an adapter learns exactly what the runtime asks; only the final assistant
message is the target.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from gpiot.pipeline import prompts
from gpiot.pipeline.decomposition import Decomposition, SubTask
from gpiot.pipeline.spec import Spec

Role = Literal["td", "cg"]


@dataclass(frozen=True)
class Record:
    """One training example (a JSON Lines row of tdd.jsonl or cgd.jsonl)."""

    id: str
    role: Role
    messages: tuple[tuple[str, str], ...]  # (role, content), the last one the assistant's answer
    source: str  # seed file and entry, e.g. "seeds/cg/ecg.py::bandpass_qrs"
    augmentation: tuple[str, ...] = ()  # applied rules, e.g. ("representation:csv",); () = seed
    subset: str = ""  # TD: modality; CG: D1 (IoT reference), D2 (module description), D3 (usage)
    modality: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "role": self.role,
            "messages": [{"role": r, "content": c} for r, c in self.messages],
            "source": self.source,
            "augmentation": list(self.augmentation),
            "subset": self.subset,
            "modality": self.modality,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        role = str(data["role"])
        if role not in ("td", "cg"):
            raise ValueError(f"unknown role {role!r}")
        return cls(
            id=str(data["id"]),
            role="td" if role == "td" else "cg",
            messages=tuple((str(m["role"]), str(m["content"])) for m in data["messages"]),
            source=str(data["source"]),
            augmentation=tuple(str(a) for a in data.get("augmentation", [])),
            subset=str(data.get("subset", "")),
            modality=str(data.get("modality", "")),
        )

    @property
    def answer(self) -> str:
        return self.messages[-1][1]

    @property
    def prompt_text(self) -> str:
        """Everything the record's own user turn says (the part that differs between records)."""
        return self.messages[-2][1]


def td_answer(decomposition: Decomposition) -> str:
    """The TD target: JSON of ``prompts.TD_SCHEMA``, spaced like the prompt's worked example."""
    return json.dumps({"subtasks": [t.to_dict() for t in decomposition.subtasks]})


def td_record(
    rid: str,
    decomposition: Decomposition,
    source: str,
    augmentation: tuple[str, ...] = (),
    modality: str = "",
) -> Record:
    messages = [(m.role, m.content) for m in prompts.td_messages(decomposition.statement)]
    messages.append(("assistant", td_answer(decomposition)))
    return Record(rid, "td", tuple(messages), source, augmentation, modality, modality)


def cg_answer(module: str) -> str:
    """The CG target: the module in one fenced block, as the CG grammar produces it."""
    return f"```python\n{module.strip(chr(10))}\n```"


@dataclass(frozen=True)
class CgExample:
    """What a CG record is built from."""

    spec: Spec
    module: str
    subtask: SubTask | None = None
    api_notes: tuple[str, ...] = field(default=())


def cg_record(
    rid: str,
    example: CgExample,
    source: str,
    subset: str,
    augmentation: tuple[str, ...] = (),
    modality: str = "",
) -> Record:
    chat = prompts.cg_messages(example.spec, example.subtask, list(example.api_notes))
    messages = [(m.role, m.content) for m in chat]
    messages.append(("assistant", cg_answer(example.module)))
    return Record(rid, "cg", tuple(messages), source, augmentation, subset, modality)
