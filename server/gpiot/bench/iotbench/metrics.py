"""The benchmark's metrics as pure functions: pass@k, BLEU-4, method use, completeness, cosine."""

from __future__ import annotations

import ast
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

_TOKEN = re.compile(r"\w+|[^\w\s]")


def pass_at_k(n: int, c: int, k: int) -> float | None:
    """Unbiased pass@k of Chen et al. (2021): ``1 - C(n-c, k) / C(n, k)``.

    ``n`` samples of which ``c`` passed; None when fewer than ``k`` samples were drawn.
    Computed as a product, which stays exact in floating point for large ``n``.
    """
    if not 0 <= c <= n:
        raise ValueError(f"need 0 <= c <= n, got n={n}, c={c}")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if n < k:
        return None
    if n - c < k:
        return 1.0
    return 1.0 - float(np.prod(1.0 - k / np.arange(n - c + 1, n + 1)))


def tokenize(text: str) -> list[str]:
    """Lower-cased words and single punctuation marks (the tokenisation BLEU is computed on)."""
    return _TOKEN.findall(text.lower())


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def bleu4(candidate: Sequence[str], reference: Sequence[str]) -> float:
    """Sentence BLEU-4 (uniform weights, one reference) with add-one smoothing for n = 2..4.

    Smoothing follows Lin & Och (2004), as in NLTK's ``method2``: the clipped n-gram matches and
    the n-gram count both get +1 for n >= 2; unigram precision is unsmoothed, so a candidate that
    shares no word with the reference scores 0. Brevity penalty ``exp(1 - r/c)`` when c < r.
    """
    if not candidate or not reference:
        return 0.0
    log_sum = 0.0
    for n in range(1, 5):
        cand = _ngrams(candidate, n)
        ref = _ngrams(reference, n)
        matches = sum(min(count, ref[gram]) for gram, count in cand.items())
        total = max(0, len(candidate) - n + 1)
        if n > 1:
            matches, total = matches + 1, total + 1
        if matches == 0:
            return 0.0
        log_sum += math.log(matches / total) / 4
    c, r = len(candidate), len(reference)
    penalty = 1.0 if c >= r else math.exp(1 - r / c)
    return penalty * math.exp(log_sum)


def decomposition_text(subtasks: Iterable[tuple[str, Sequence[str]]]) -> str:
    """The text BLEU compares: each sub-task's name then its steps, one per line, no numbering."""
    lines: list[str] = []
    for name, steps in subtasks:
        lines.append(name)
        lines.extend(steps)
    return "\n".join(lines)


def called_names(source: str) -> set[str] | None:
    """Names of everything the module calls (``f(...)`` → f, ``a.b.f(...)`` → f), with names
    imported under an alias (``from scipy.signal import butter as b``) mapped back to the original
    name. None when the source does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
    names: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name):
            names.add(aliases.get(func.id, func.id))
        elif isinstance(func, ast.Attribute):
            names.add(func.attr)
    return names


def uses_method(source: str, methods: Sequence[str]) -> bool:
    """Does the code call any of ``methods``? A dotted method (``signal.butter``) matches by its
    last part; checked statically, so a call in dead code still counts."""
    names = called_names(source)
    if names is None:
        return False
    return any(m.rsplit(".", 1)[-1] in names for m in methods)


def cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity of every row of ``a`` with every row of ``b``."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    an = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    bn = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    return np.asarray(an @ bn.T)


def completeness(similarity: np.ndarray, threshold: float) -> float:
    """Fraction of reference sub-tasks (rows) matched by some generated one (columns) with cosine
    similarity >= ``threshold``. No generated sub-task at all scores 0."""
    if similarity.ndim != 2 or similarity.shape[0] == 0:
        raise ValueError("need a (reference × generated) similarity matrix with a reference row")
    if similarity.shape[1] == 0:
        return 0.0
    return float(np.mean(similarity.max(axis=1) >= threshold))


def code_lines(source: str) -> int:
    """Non-blank lines, the denominator of lint findings per 100 lines."""
    return sum(1 for line in source.splitlines() if line.strip())


def rate(flags: Iterable[bool]) -> float | None:
    values = list(flags)
    return sum(values) / len(values) if values else None


def mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None
