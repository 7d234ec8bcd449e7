"""The specification contract (RT output, CG input), after the paper's format.

A spec renders to Markdown that goes into a generated module's and function's docstring, and parses
back from that text, so a spec the user edited in the file is the spec that is used next time::

    Target: Detect R-peaks in a single-lead ECG with the Pan-Tompkins algorithm.

    Input Specification:
    - ecg (np.ndarray): 1-D ECG signal in millivolts, shape (n_samples,).
    - fs (float): sampling rate in Hz.

    Output Specification:
    - r_peaks (np.ndarray): sample indices of the detected R-peaks, shape (n_beats,).
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Any

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PARAM_LINE = re.compile(
    r"^\s*[-*]\s+`?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"\((?P<type>[^)]*(?:\([^)]*\)[^)]*)*)\)`?\s*:\s*(?P<desc>.*)$"
)
_SECTIONS = {
    "target": "target",
    "input specification": "inputs",
    "output specification": "outputs",
    "sources": "sources",
}


class SpecFormatError(ValueError):
    """Text that should hold a spec does not."""


def is_identifier(name: str) -> bool:
    return bool(IDENTIFIER.match(name)) and not keyword.iskeyword(name)


@dataclass(frozen=True)
class Param:
    """One input or output parameter: ``name (type): description``."""

    name: str
    type: str
    description: str

    def __post_init__(self) -> None:
        if not is_identifier(self.name):
            raise SpecFormatError(f"parameter name {self.name!r} is not a Python identifier")

    def render(self) -> str:
        return f"{self.name} ({self.type}): {self.description}"

    @classmethod
    def parse(cls, line: str) -> Param:
        match = _PARAM_LINE.match(line)
        if not match:
            raise SpecFormatError(f"not a parameter line `- name (type): description`: {line!r}")
        return cls(match["name"], match["type"].strip(), match["desc"].strip())

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "type": self.type, "description": self.description}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Param:
        return cls(str(data["name"]), str(data["type"]), str(data.get("description", "")))


@dataclass(frozen=True)
class Spec:
    """Target, inputs and outputs of one sub-task's function."""

    function: str
    target: str
    inputs: tuple[Param, ...]
    outputs: tuple[Param, ...]
    sources: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not is_identifier(self.function):
            raise SpecFormatError(f"function name {self.function!r} is not a Python identifier")
        for group in (self.inputs, self.outputs):
            names = [p.name for p in group]
            if len(set(names)) != len(names):
                raise SpecFormatError(f"duplicate parameter names in {names}")

    @property
    def signature(self) -> str:
        """The ``def`` line CG must produce, without annotations."""
        return f"def {self.function}({', '.join(p.name for p in self.inputs)}):"

    def to_markdown(self) -> str:
        lines = [f"Target: {self.target}", "", "Input Specification:"]
        lines += [f"- {p.render()}" for p in self.inputs] or ["- (none)"]
        lines += ["", "Output Specification:"]
        lines += [f"- {p.render()}" for p in self.outputs] or ["- (none)"]
        if self.sources:
            lines += ["", f"Sources: {', '.join(self.sources)}"]
        return "\n".join(lines)

    @classmethod
    def from_markdown(cls, text: str, function: str) -> Spec:
        """Parse the rendering of :meth:`to_markdown` (indentation and wrapped lines allowed)."""
        parts: dict[str, list[str]] = {"target": [], "inputs": [], "outputs": [], "sources": []}
        current: str | None = None
        for raw in text.splitlines():
            line = raw.strip()
            head, sep, rest = line.partition(":")
            key = _SECTIONS.get(head.strip().lower()) if sep else None
            if key is not None:
                current = key
                if rest.strip():
                    parts[key].append(rest.strip())
                continue
            if current is None or not line:
                continue
            if current in ("inputs", "outputs"):
                if line.startswith(("-", "*")):
                    parts[current].append(line)
                elif parts[current]:  # a wrapped description continues the previous item
                    parts[current][-1] += " " + line
            else:
                parts[current].append(line)
        if not parts["target"]:
            raise SpecFormatError("no `Target:` section")
        if not any(text.lower().count(s) for s in ("input specification", "output specification")):
            raise SpecFormatError("no `Input Specification:` / `Output Specification:` sections")

        def params(items: list[str]) -> tuple[Param, ...]:
            return tuple(Param.parse(i) for i in items if i.lstrip("-* ").strip() != "(none)")

        sources = tuple(s.strip() for s in " ".join(parts["sources"]).split(",") if s.strip())
        return cls(
            function=function,
            target=" ".join(parts["target"]),
            inputs=params(parts["inputs"]),
            outputs=params(parts["outputs"]),
            sources=sources,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "function": self.function,
            "target": self.target,
            "inputs": [p.to_dict() for p in self.inputs],
            "outputs": [p.to_dict() for p in self.outputs],
            "sources": list(self.sources),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Spec:
        return cls(
            function=str(data["function"]),
            target=str(data["target"]),
            inputs=tuple(Param.from_dict(p) for p in data.get("inputs", [])),
            outputs=tuple(Param.from_dict(p) for p in data.get("outputs", [])),
            sources=tuple(str(s) for s in data.get("sources", [])),
        )
