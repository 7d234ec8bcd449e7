"""Affine int8 quantisation of a float tensor with scale and zero-point."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "edge_int8_quantize",
    "category": "edge",
    "modality": "edge",
    "difficulty": "medium",
    "methods": ["scale", "zero_point", "clip", "round", "int8"],
}

FUNCTION = "quantize_int8"
SPEC = """Target: Asymmetric (affine) int8 quantisation as in TFLite: lo = min(min(x), 0),
hi = max(max(x), 0), scale = (hi - lo) / 255 (1.0 when hi == lo), zero_point =
round(-128 - lo / scale) clipped to [-128, 127], q = clip(round(x / scale) + zero_point, -128,
127) as int8; dequantisation is (q - zero_point) * scale.

Input Specification:
- x (np.ndarray): float tensor of any shape (e.g. weights or activations), float32 or float64.

Output Specification:
- q (np.ndarray): quantised values, int8, same shape as x.
- scale (float): quantisation step (real units per integer step).
- zero_point (int): integer that represents real 0.0, in [-128, 127].
"""


def quantize_int8(x: np.ndarray) -> tuple[np.ndarray, float, int]:
    a = np.asarray(x, dtype=np.float64)
    lo, hi = min(float(a.min()), 0.0), max(float(a.max()), 0.0)
    scale = (hi - lo) / 255.0 if hi > lo else 1.0
    zp = int(np.clip(round(-128 - lo / scale), -128, 127))
    q = np.clip(np.round(a / scale) + zp, -128, 127).astype(np.int8)
    return q, float(scale), zp


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(163)
    for x in (
        rng.normal(0.3, 1.2, (16, 8)).astype(np.float32),
        rng.uniform(0.5, 6.0, 100),  # all positive: 0 must still be representable
        rng.uniform(-3.0, -1.0, (4, 5, 2)),
    ):
        x.flat[0] = 0.0
        out = fn(x.copy())
        assert isinstance(out, tuple) and len(out) == 3, "return (q, scale, zero_point)"
        q, scale, zp = np.asarray(out[0]), float(out[1]), int(out[2])
        assert q.dtype == np.int8, f"q must be int8, got {q.dtype}"
        assert q.shape == x.shape, f"q shape {q.shape} != x shape {x.shape}"
        lo, hi = min(float(x.min()), 0.0), max(float(x.max()), 0.0)
        assert abs(scale - (hi - lo) / 255) <= 0.01 * (hi - lo) / 255, (
            f"scale {scale:.5g}, expected (hi - lo) / 255 = {(hi - lo) / 255:.5g}"
        )
        assert -128 <= zp <= 127, "zero_point must fit int8"
        err = np.abs((q.astype(np.float64) - zp) * scale - x)
        assert err.max() <= scale * 1.0 + 1e-6, f"dequantisation error {err.max():.4g} > one step"
        assert float(np.mean(err)) <= 0.3 * scale, "values must be rounded to the nearest level"
        assert int(q.flat[0]) == zp, "real 0.0 must quantise exactly to zero_point"
    out = fn(np.zeros(10))
    assert np.isfinite(float(out[1])) and float(out[1]) > 0, (
        "an all-zero tensor needs a valid scale"
    )
