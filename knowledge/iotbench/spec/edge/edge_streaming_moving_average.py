"""Causal moving average computed chunk by chunk with bounded state, as on a sensor node."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "edge_streaming_moving_average",
    "category": "edge",
    "modality": "edge",
    "difficulty": "medium",
    "methods": ["ring_buffer", "deque", "running_sum", "cumsum"],
}

FUNCTION = "streaming_moving_average"
SPEC = """Target: Causal moving average over the last `window` samples computed on a stream that
arrives in chunks, keeping only O(window) state between chunks (ring buffer and running sum);
before `window` samples have arrived the average is over the samples seen so far. The result must
equal the offline causal moving average of the concatenated stream.

Input Specification:
- chunks (list[np.ndarray]): consecutive 1-D chunks of sensor samples (float64), possibly of
  different lengths, some possibly empty.
- window (int): averaging window in samples, >= 1.

Output Specification:
- smoothed (np.ndarray): moving average of every sample of the stream, float64, shape
  (total number of samples,).
"""


def streaming_moving_average(chunks: list[np.ndarray], window: int) -> np.ndarray:
    buf = np.zeros(window)
    pos, count, total = 0, 0, 0.0
    out: list[float] = []
    for chunk in chunks:
        for v in np.asarray(chunk, dtype=np.float64):
            if count == window:
                total -= buf[pos]
            else:
                count += 1
            buf[pos] = v
            total += v
            pos = (pos + 1) % window
            out.append(total / count)
    return np.asarray(out, dtype=np.float64)


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(173)
    x = rng.normal(20, 3, 500)
    cuts = [0, 7, 7, 64, 65, 200, 333, 500]
    chunks = [x[a:b].copy() for a, b in itertools.pairwise(cuts)]
    for window in (1, 16, 50):
        out = fn([c.copy() for c in chunks], window)
        assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
        assert out.shape == (500,), f"shape {out.shape}, expected (500,) - one value per sample"
        csum = np.concatenate([[0.0], np.cumsum(x)])
        idx = np.arange(1, 501)
        lo = np.maximum(0, idx - window)
        expected = (csum[idx] - csum[lo]) / (idx - lo)
        assert np.allclose(out, expected, atol=1e-9), (
            f"window={window}: differs from the causal moving average (state must carry over "
            "between chunks; partial windows at the start)"
        )
