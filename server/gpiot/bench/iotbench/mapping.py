"""Map an application's inputs and outputs onto the names a generated pipeline chose.

The generated ``pipeline.run(...)`` names its parameters after the specs RT wrote (``ecg_signal``,
``sampling_rate``), not after the application's harness (``ecg``, ``fs``). Each wanted name is
matched to an available one by the first rule that decides it:

1. ``exact``: the same name;
2. ``normalised``: the same words after lower-casing, dropping filler and unit words
   (``signal``, ``data``, ``raw``, ``hz``, ``mv`` …), singularising, and mapping sampling-rate
   synonyms (``sampling_rate``, ``sample_rate``, ``sr``, …) to ``fs``;
3. ``overlap``: the available name sharing the most words (Jaccard > 0), when it is the unique best;
4. ``kind``: for inputs, the only remaining wanted name of a kind (array, scalar, bool, text,
   mapping) takes the only remaining available value of that kind; for outputs, a remaining wanted
   name takes the *last* produced value of a compatible kind (the pipeline's final result).

A wanted name left over is a mapping failure, recorded by the harness. This module uses only the
standard library: the sandboxed child loads it by file path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

_FILLER = frozenset(
    {
        "signal",
        "data",
        "raw",
        "input",
        "in",
        "the",
        "of",
        "array",
        "values",
        "value",
        "hz",
        "mv",
        "s",
        "sec",
        "secs",
        "seconds",
        "ms",
        "bpm",
        "np",
        "arr",
        "vector",
        "series",
        "x",
    }
)
_FS = frozenset(
    {
        "fs",
        "sampling_rate",
        "sample_rate",
        "sampling_frequency",
        "sample_frequency",
        "sr",
        "srate",
        "rate",
        "sampling_freq",
        "sample_freq",
        "frequency",
        "freq",
        "fs_hz",
    }
)
_ARRAY_WORDS = re.compile(r"\b(np\.ndarray|ndarray|array|list|sequence|indices|vector)\b", re.I)
_SCALAR_WORDS = re.compile(r"\b(float|int|integer|number|scalar)\b", re.I)


@dataclass
class NameMapping:
    pairs: dict[str, str] = field(default_factory=dict)  # wanted name → available name
    rules: dict[str, str] = field(default_factory=dict)  # wanted name → rule that matched it
    missing: list[str] = field(default_factory=list)  # wanted names nothing matched

    @property
    def ok(self) -> bool:
        return not self.missing

    def to_dict(self) -> dict[str, Any]:
        return {"pairs": dict(self.pairs), "rules": dict(self.rules), "missing": list(self.missing)}


def kind_of_type(type_text: str) -> str | None:
    """A spec parameter type's kind (``np.ndarray`` → array); None when unknown."""
    text = type_text.strip().lower()
    if text.startswith(("np.ndarray", "list", "tuple", "ndarray")):
        return "array"
    if text in ("float", "int"):
        return "scalar"
    if text == "bool":
        return "bool"
    if text == "str":
        return "text"
    if text == "dict":
        return "mapping"
    return None


def kind_of_description(text: str) -> str | None:
    """A harness description's kind, when it says so (``1-D array`` → array)."""
    if _ARRAY_WORDS.search(text):
        return "array"
    if _SCALAR_WORDS.search(text):
        return "scalar"
    return None


def kind_of_value(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "scalar"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, list | tuple) or hasattr(value, "shape"):
        shape = getattr(value, "shape", None)
        return "scalar" if shape == () else "array"
    if type(value).__name__.startswith(("float", "int")):  # numpy scalars
        return "scalar"
    return "other"


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words(name: str) -> tuple[str, ...]:
    """The meaningful words of a name, normalised (see the module docstring)."""
    lowered = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower().strip("_")
    if lowered in _FS or lowered.replace("_hz", "") in _FS:
        return ("fs",)
    parts = [p for p in re.split(r"[^a-z0-9]+", lowered) if p]
    kept = [_singular(p) for p in parts if p not in _FILLER]
    joined = "_".join(kept)
    if joined in _FS:
        return ("fs",)
    return tuple(kept) if kept else tuple(_singular(p) for p in parts)


def _compatible(wanted: str | None, available: str | None) -> bool:
    return wanted is None or available is None or wanted == available


def map_names(
    wanted: Sequence[tuple[str, str | None]],
    available: Sequence[tuple[str, str | None]],
    *,
    prefer_last: bool = False,
) -> NameMapping:
    """Match each ``(name, kind)`` in ``wanted`` to a distinct one in ``available``."""
    result = NameMapping()
    free = dict(available)
    order = [name for name, _ in available]

    def take(name: str, chosen: str, rule: str) -> None:
        result.pairs[name] = chosen
        result.rules[name] = rule
        free.pop(chosen)

    pending = list(wanted)
    for name, _kind in list(pending):  # 1. exact
        if name in free:
            take(name, name, "exact")
            pending.remove((name, _kind))
    for name, kind in list(pending):  # 2. normalised words
        key = set(words(name))
        hits = [a for a in free if set(words(a)) == key and _compatible(kind, free[a])]
        if len(hits) == 1:
            take(name, hits[0], "normalised")
            pending.remove((name, kind))
    for name, kind in list(pending):  # 3. word overlap, unique best
        key = set(words(name))
        scored = []
        for a in free:
            other = set(words(a))
            if key and other and _compatible(kind, free[a]):
                scored.append((len(key & other) / len(key | other), a))
        scored.sort(reverse=True)
        if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            take(name, scored[0][1], "overlap")
            pending.remove((name, kind))
    for name, kind in list(pending):  # 4. kind
        candidates = [a for a in order if a in free and _compatible(kind, free[a])]
        if prefer_last and candidates:
            take(name, candidates[-1], "kind")
            pending.remove((name, kind))
            continue
        rivals = [n for n, k in pending if k == kind]
        if kind is not None and len(candidates) == 1 and len(rivals) == 1:
            take(name, candidates[0], "kind")
            pending.remove((name, kind))
    result.missing = [name for name, _ in pending]
    return result


def map_inputs(
    run_params: Sequence[tuple[str, str]], inputs: Mapping[str, Any]
) -> tuple[dict[str, Any], NameMapping]:
    """Keyword arguments for the generated ``run(...)`` from the harness's inputs.

    ``run_params`` are the generated run()'s ``(name, spec type)`` pairs in order.
    """
    wanted = [(name, kind_of_type(type_text)) for name, type_text in run_params]
    available = [(name, kind_of_value(value)) for name, value in inputs.items()]
    mapping = map_names(wanted, available)
    return {w: inputs[a] for w, a in mapping.pairs.items()}, mapping


def map_outputs(
    expected: Mapping[str, str], produced: Mapping[str, Any]
) -> tuple[dict[str, Any], NameMapping]:
    """The application's outputs (name → description) picked from what run() returned."""
    wanted = [(name, kind_of_description(text)) for name, text in expected.items()]
    available = [(name, kind_of_value(value)) for name, value in produced.items()]
    mapping = map_names(wanted, available, prefer_last=True)
    return {w: produced[a] for w, a in mapping.pairs.items()}, mapping
