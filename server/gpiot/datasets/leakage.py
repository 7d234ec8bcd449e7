"""No-leakage check: token n-gram containment between training records and benchmark tasks.

Every text piece of a benchmark task (statement, spec, reference code, decomposition) is
tokenised (identifiers, numbers and single punctuation marks, lower-cased); a training record
leaks a piece when at least ``THRESHOLD`` of the piece's ``N``-grams occur in the record.
Pieces shorter than ``MIN_TOKENS`` tokens are too generic to judge and are skipped.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

N = 10
THRESHOLD = 0.25
MIN_TOKENS = 30
_TOKEN = re.compile(r"[a-z_][a-z0-9_]*|\d+(?:\.\d+)?|[^\sa-z0-9_]")


@dataclass(frozen=True)
class BenchPiece:
    source: str  # e.g. "spec/filtering/ecg_bandpass_filter.py#SPEC"
    text: str


@dataclass(frozen=True)
class Leak:
    record: str
    piece: str
    containment: float


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def ngrams(text: str, n: int = N) -> set[tuple[str, ...]]:
    toks = tokens(text)
    return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)}


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _python_pieces(rel: str, source: str) -> list[BenchPiece]:
    pieces = [BenchPiece(f"{rel}#source", source)]
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return pieces
    doc = ast.get_docstring(tree)
    if doc:
        pieces.append(BenchPiece(f"{rel}#docstring", doc))
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            if isinstance(node.value.value, str):
                name = ast.unparse(node.targets[0])
                pieces.append(BenchPiece(f"{rel}#{name}", node.value.value))
        elif isinstance(node, ast.FunctionDef):
            segment = ast.get_source_segment(source, node) or ""
            pieces.append(BenchPiece(f"{rel}#{node.name}", segment))
    return pieces


def benchmark_pieces(bench_root: Path) -> list[BenchPiece]:
    """Every text of the benchmark's tasks: Python files, JSON Lines rows, other text files."""
    pieces: list[BenchPiece] = []
    if not bench_root.is_dir():
        return pieces
    for path in sorted(p for p in bench_root.rglob("*") if p.is_file()):
        rel = path.relative_to(bench_root).as_posix()
        if path.suffix not in (".py", ".jsonl", ".json", ".md", ".txt"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".py":
            pieces += _python_pieces(rel, text)
        elif path.suffix == ".jsonl":
            for i, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    try:
                        row = json.loads(line)
                    except ValueError:
                        row = line
                    pieces.append(BenchPiece(f"{rel}:{i}", "\n".join(_strings(row))))
        else:
            pieces.append(BenchPiece(rel, text))
    return [p for p in pieces if len(tokens(p.text)) >= MIN_TOKENS]


class LeakIndex:
    """The benchmark's n-grams, for checking many records against every piece at once."""

    def __init__(self, pieces: list[BenchPiece]) -> None:
        self.pieces = pieces
        self.grams = [ngrams(p.text) for p in pieces]
        self.owner: dict[tuple[str, ...], list[int]] = {}
        for i, grams in enumerate(self.grams):
            for gram in grams:
                self.owner.setdefault(gram, []).append(i)

    def leaks(self, record_id: str, text: str) -> list[Leak]:
        hits: dict[int, int] = {}
        for gram in ngrams(text):
            for i in self.owner.get(gram, ()):
                hits[i] = hits.get(i, 0) + 1
        found = []
        for i, count in hits.items():
            containment = count / len(self.grams[i])
            if containment >= THRESHOLD:
                found.append(Leak(record_id, self.pieces[i].source, containment))
        return found
