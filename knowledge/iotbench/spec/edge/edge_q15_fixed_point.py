"""Convert float samples to Q15 fixed point with saturation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "edge_q15_fixed_point",
    "category": "edge",
    "modality": "edge",
    "difficulty": "easy",
    "methods": ["q15", "clip", "round", "int16"],
}

FUNCTION = "to_q15"
SPEC = """Target: Convert floats to Q15 fixed point for a microcontroller DSP: q = round(x * 32768)
saturated to [-32768, 32767], returned as int16 (never wrapping around on overflow).

Input Specification:
- x (np.ndarray): float samples, nominally in [-1, 1), float64, shape (n,).

Output Specification:
- q15 (np.ndarray): Q15 values, int16, shape (n,).
"""


def to_q15(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round(np.asarray(x, dtype=np.float64) * 32768.0), -32768, 32767).astype(
        np.int16
    )


def check(fn: Callable[..., Any]) -> None:
    x = np.array([0.0, 0.5, -0.5, 0.25, 1.0, 1.7, -1.0, -2.0, 0.999, 3.0517578125e-05])
    out = fn(x.copy())
    assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
    assert out.dtype == np.int16, f"dtype {out.dtype}, expected int16"
    expected = [0, 16384, -16384, 8192, 32767, 32767, -32768, -32768, 32735, 1]
    assert out.tolist() == expected, f"got {out.tolist()}, expected {expected} (saturate, no wrap)"
    rng = np.random.default_rng(167)
    y = rng.uniform(-1, 1, 1000)
    q = np.asarray(fn(y))
    assert np.max(np.abs(q / 32768.0 - y)) <= 0.5 / 32768 + 1e-12, "round to the nearest Q15 step"
