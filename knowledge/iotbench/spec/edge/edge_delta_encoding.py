"""Delta-encode integer sensor samples for a low-bandwidth radio link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "edge_delta_encoding",
    "category": "edge",
    "modality": "edge",
    "difficulty": "easy",
    "methods": ["diff", "bit_length", "int32"],
}

FUNCTION = "delta_encode"
SPEC = """Target: Delta-encode int16 ADC samples: keep the first sample, then the differences
x[i] - x[i-1] computed in int32 (no int16 overflow), and the number of bits a signed two's
complement field needs to hold every difference (bit_length(max |d|) + 1; 1 when all are 0).

Input Specification:
- samples (np.ndarray): ADC samples, int16, shape (n,), n >= 1.

Output Specification:
- first (int): the first sample.
- deltas (np.ndarray): successive differences, int32, shape (n - 1,).
- bits (int): signed bits needed per delta.
"""


def delta_encode(samples: np.ndarray) -> tuple[int, np.ndarray, int]:
    x = np.asarray(samples).astype(np.int32)
    d = np.diff(x).astype(np.int32)
    peak = int(np.max(np.abs(d))) if d.size else 0
    return int(x[0]), d, peak.bit_length() + 1


def check(fn: Callable[..., Any]) -> None:
    x = np.array([1000, 1003, 998, 998, 1010, -32768, 32767, 32760], dtype=np.int16)
    out = fn(x.copy())
    assert isinstance(out, tuple) and len(out) == 3, "return (first, deltas, bits)"
    first, d, bits = int(out[0]), np.asarray(out[1]), int(out[2])
    assert first == 1000, f"first = {first}, expected 1000"
    assert d.shape == (7,), f"deltas shape {d.shape}, expected (7,)"
    assert d.dtype == np.int32, f"deltas dtype {d.dtype}, expected int32"
    assert d.tolist() == [3, -5, 0, 12, -33778, 65535, -7], f"deltas {d.tolist()} (int16 overflow?)"
    assert bits == 17, f"bits = {bits}, expected 17 for max |delta| 65535"
    decoded = np.concatenate([[first], first + np.cumsum(d)])
    assert np.array_equal(decoded, x.astype(np.int64)), "decoding must give the samples back"
    small = fn(np.array([5, 6, 4, 5], dtype=np.int16))
    assert int(small[2]) == 3, "max |delta| 2 needs 3 signed bits"
