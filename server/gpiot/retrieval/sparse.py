"""Keyword (BM25) sparse vectors from our own tokenizer, for Qdrant's sparse index.

Documents get BM25's saturated, length-normalised term frequency; queries get 1.0 per distinct
term; Qdrant multiplies by the collection's IDF (``Modifier.IDF``), so the dot product is BM25.
The average document length is a constant (not the corpus's), so a chunk's vector depends only on
its own text and unchanged chunks never need new vectors when others change.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass

K1 = 1.2
B = 0.75
AVG_DOC_TOKENS = 120.0  # typical section length in tokens after stop-word removal
SCHEME = f"bm25-v1-k{K1}-b{B}-avg{AVG_DOC_TOKENS}"

_TOKEN = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")
_STOPWORD_TEXT = """
a an and are as at be been but by can do does each for from has have how i if in into is it its
of on or our so such than that the their them then there these this those to use used uses using
via was we were what when where which while with within without you your should must may will
would one two per also all any both more most not no only other same some very
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def _stem(word: str) -> str:
    """A light suffix stripper: plurals, -ing, -ed (enough to match "peaks"/"peak", "filtering")."""
    if len(word) <= 3 or word[-1].isdigit():
        return word
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lower-case terms; ``pan-tompkins`` and ``scipy.signal.find_peaks`` also yield their parts."""
    terms: list[str] = []
    for match in _TOKEN.finditer(text.lower()):
        token = match.group(0)
        parts = re.split(r"[-_.]", token)
        if len(parts) > 1:  # the compound itself, with its last part stemmed: "r-peak"
            terms.append(token[: len(token) - len(parts[-1])] + _stem(parts[-1]))
        for part in parts:
            if part and part not in STOPWORDS and not (len(part) == 1 and part.isalpha()):
                terms.append(_stem(part))
    return terms


def term_index(term: str) -> int:
    """A stable 31-bit index for ``term`` (CRC-32, so it is the same in every process)."""
    return zlib.crc32(term.encode("utf-8")) & 0x7FFFFFFF


@dataclass(frozen=True)
class SparseVector:
    indices: tuple[int, ...]
    values: tuple[float, ...]

    def as_dict(self) -> dict[int, float]:
        return dict(zip(self.indices, self.values, strict=True))


def _vector(weights: dict[int, float]) -> SparseVector:
    ordered = sorted(weights.items())
    return SparseVector(tuple(i for i, _ in ordered), tuple(round(w, 6) for _, w in ordered))


def document_vector(text: str) -> SparseVector:
    """BM25 document weights: tf·(k1+1) / (tf + k1·(1 − b + b·len/avg))."""
    terms = tokenize(text)
    counts = Counter(term_index(t) for t in terms)
    norm = K1 * (1 - B + B * len(terms) / AVG_DOC_TOKENS)
    return _vector({i: tf * (K1 + 1) / (tf + norm) for i, tf in counts.items()})


def query_vector(text: str) -> SparseVector:
    """1.0 per distinct query term (IDF is applied by the store)."""
    return _vector({term_index(t): 1.0 for t in tokenize(text)})
