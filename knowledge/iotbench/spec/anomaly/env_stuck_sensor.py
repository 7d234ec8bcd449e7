"""Detect a stuck sensor: runs of identical readings lasting too long."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "env_stuck_sensor",
    "category": "anomaly",
    "modality": "environmental",
    "difficulty": "medium",
    "methods": ["diff", "run_length", "flatnonzero"],
}

FUNCTION = "stuck_segments"
SPEC = """Target: Flag readings that belong to a run of exactly repeated values (consecutive samples
with |x[i] - x[i-1]| <= 1e-9) lasting at least min_duration_s seconds, i.e. a run of at least
round(min_duration_s * fs) samples.

Input Specification:
- values (np.ndarray): sensor readings (e.g. temperature in degC), float64, shape (n,).
- fs (float): sampling rate in Hz.
- min_duration_s (float): minimum stuck duration in seconds.

Output Specification:
- stuck (np.ndarray): bool mask, True for readings inside a stuck run, shape (n,).
"""


def stuck_segments(values: np.ndarray, fs: float, min_duration_s: float) -> np.ndarray:
    x = np.asarray(values, dtype=np.float64)
    min_len = round(min_duration_s * fs)
    out = np.zeros(x.size, dtype=bool)
    start = 0
    for i in range(1, x.size + 1):
        if i == x.size or abs(x[i] - x[i - 1]) > 1e-9:
            if i - start >= min_len:
                out[start:i] = True
            start = i
    return out


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(113)
    fs = 1.0 / 60.0  # one reading per minute
    x = 20.0 + np.round(rng.normal(0, 0.3, 1000), 2)
    x[100:160] = 21.37  # stuck for one hour
    x[500:505] = 19.5  # a short plateau (5 minutes): not stuck
    x[900:] = 0.0  # sensor died
    out = fn(x.copy(), fs, 30 * 60.0)
    assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
    assert out.shape == x.shape and out.dtype == bool, "return a bool mask with the input's shape"
    assert np.all(out[100:160]) and np.all(out[900:]), "stuck runs must be flagged entirely"
    assert not out[:100].any() and not out[160:900].any(), (
        "only runs lasting >= min_duration_s may be flagged (convert seconds to samples with fs)"
    )
