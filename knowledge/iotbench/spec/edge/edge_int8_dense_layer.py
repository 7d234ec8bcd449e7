"""Integer-only inference of a quantised dense layer (int8 weights, int32 accumulation)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "edge_int8_dense_layer",
    "category": "edge",
    "modality": "edge",
    "difficulty": "hard",
    "methods": ["int32", "requantize", "zero_point", "clip", "matmul"],
}

FUNCTION = "int8_dense"
SPEC = """Target: Quantised fully connected layer as on a microcontroller: accumulate in int32
acc[o] = sum_i (x_q[i] - x_zero_point) * w_q[o, i] + bias_q[o] (weights symmetric, zero-point 0;
bias in units of x_scale * w_scale), then requantise y_q = clip(round(acc * x_scale * w_scale /
y_scale) + y_zero_point, -128, 127) as int8, followed by ReLU in the quantised domain
(y_q = max(y_q, y_zero_point)).

Input Specification:
- x_q (np.ndarray): quantised input vector, int8, shape (n_in,).
- w_q (np.ndarray): quantised weights, int8, shape (n_out, n_in).
- bias_q (np.ndarray): quantised bias, int32, shape (n_out,).
- qparams (dict): floats "x_scale", "w_scale", "y_scale" and ints "x_zero_point",
  "y_zero_point".

Output Specification:
- y_q (np.ndarray): quantised output after ReLU, int8, shape (n_out,).
"""


def int8_dense(
    x_q: np.ndarray, w_q: np.ndarray, bias_q: np.ndarray, qparams: dict[str, Any]
) -> np.ndarray:
    x = np.asarray(x_q).astype(np.int32) - int(qparams["x_zero_point"])
    acc = np.asarray(w_q).astype(np.int32) @ x + np.asarray(bias_q).astype(np.int32)
    mult = float(qparams["x_scale"]) * float(qparams["w_scale"]) / float(qparams["y_scale"])
    y = np.clip(np.round(acc * mult) + int(qparams["y_zero_point"]), -128, 127)
    return np.maximum(y, int(qparams["y_zero_point"])).astype(np.int8)


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(179)
    n_in, n_out = 64, 16
    x = rng.uniform(-1.0, 3.0, n_in)
    w = rng.normal(0, 0.3, (n_out, n_in))
    b = rng.normal(0, 0.5, n_out)
    x_scale = 4.0 / 255
    x_zp = round(-128 - (-1.0) / x_scale)
    x_q = np.clip(np.round(x / x_scale) + x_zp, -128, 127).astype(np.int8)
    w_scale = float(np.abs(w).max() / 127)
    w_q = np.clip(np.round(w / w_scale), -127, 127).astype(np.int8)
    bias_q = np.round(b / (x_scale * w_scale)).astype(np.int32)
    y_float = np.maximum(w @ x + b, 0.0)
    y_scale = float(np.abs(w @ x + b).max() * 2 / 255)
    y_zp = -10
    qp = {
        "x_scale": x_scale,
        "w_scale": w_scale,
        "y_scale": y_scale,
        "x_zero_point": x_zp,
        "y_zero_point": y_zp,
    }
    out = fn(x_q.copy(), w_q.copy(), bias_q.copy(), dict(qp))
    assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
    assert out.shape == (n_out,) and out.dtype == np.int8, (
        f"expected int8 ({n_out},), got {out.dtype} {out.shape}"
    )
    deq = (out.astype(np.float64) - y_zp) * y_scale
    err = np.abs(deq - y_float)
    assert np.all(err <= 2.5 * y_scale + 0.02), (
        f"output off by {err.max() / y_scale:.1f} steps (accumulate in int32, subtract zero "
        "points, requantise with x_scale * w_scale / y_scale)"
    )
    assert np.all(out >= y_zp), "ReLU: no output below the zero point"
