"""TD seeds: IoT applications with curated decompositions, read from a compact text format.

See ``knowledge/datasets/SCHEMA.md`` for the format. Each template lists ``vars`` whose values are
zipped: one application per position, the same substitution in the statement and every step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gpiot.datasets.cgseeds import SeedError
from gpiot.pipeline.decomposition import Decomposition, SubTask

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class TdSeed:
    id: str
    file: str
    modality: str
    signal: str  # what the signal is called, e.g. "ECG"
    unit: str
    body: str  # the statement without its input clause
    input: str  # what the input is, e.g. "a 1-D array of the ECG in millivolts"
    subtasks: tuple[SubTask, ...]  # the first one loads the input

    @property
    def statement(self) -> str:
        return f"{self.body} Input: {self.input}."

    @property
    def decomposition(self) -> Decomposition:
        return Decomposition(self.statement, self.subtasks)


def _fill(text: str, values: dict[str, str], where: str) -> str:
    def sub(match: re.Match[str]) -> str:
        if match.group(1) not in values:
            raise SeedError(f"{where}: unknown placeholder {{{match.group(1)}}}")
        return values[match.group(1)]

    return _PLACEHOLDER.sub(sub, text)


def _expand(block: list[str], rel: str) -> list[TdSeed]:
    head = [p.strip() for p in block[0].removeprefix("==").split("|")]
    if len(head) != 4:
        raise SeedError(f"{rel}: `== id | modality | signal | unit` expected, got {block[0]!r}")
    app_id, modality, signal_name, unit = head
    fields: dict[str, str] = {}
    tasks: list[str] = []
    for line in block[1:]:
        if line.startswith("- "):
            tasks.append(line[2:])
        else:
            key, sep, value = line.partition(":")
            if not sep:
                raise SeedError(f"{rel}::{app_id}: unexpected line {line!r}")
            fields[key.strip()] = value.strip()
    columns: dict[str, list[str]] = {}
    for part in fields.get("vars", "").split(";"):
        if part.strip():
            key, _, listed = part.partition("=")
            columns[key.strip()] = [v.strip() for v in listed.split(",")]
    counts = {len(v) for v in columns.values()} or {1}
    if len(counts) != 1:
        raise SeedError(f"{rel}::{app_id}: every vars entry needs the same number of values")
    seeds = []
    for i in range(counts.pop()):
        values = {k: v[i] for k, v in columns.items()}
        where = f"{rel}::{app_id}"
        subtasks = []
        for task in tasks:
            name, _, steps = task.partition(":")
            subtasks.append(
                SubTask(
                    _fill(name.strip(), values, where),
                    tuple(_fill(s.strip(), values, where) for s in steps.split(" | ")),
                )
            )
        seeds.append(
            TdSeed(
                id=f"{app_id}.{i + 1}",
                file=rel,
                modality=modality,
                signal=signal_name,
                unit=unit,
                body=_fill(fields.get("statement", ""), values, where),
                input=_fill(fields.get("input", ""), values, where),
                subtasks=tuple(subtasks),
            )
        )
    return seeds


def load_td_seed_file(path: Path, root: Path) -> list[TdSeed]:
    rel = path.relative_to(root).as_posix()
    blocks: list[list[str]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("=="):
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
        else:
            raise SeedError(f"{rel}: text before the first `==` line: {line!r}")
    return [seed for block in blocks for seed in _expand(block, rel)]


def load_td_seeds(folder: Path, root: Path) -> list[TdSeed]:
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise SeedError(f"no TD seed files in {folder}")
    seeds = [s for f in files for s in load_td_seed_file(f, root)]
    ids = [s.id for s in seeds]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SeedError(f"duplicate TD seed ids: {', '.join(dupes)}")
    return seeds
