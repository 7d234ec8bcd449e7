"""Flag outlying sensor readings with a robust (median/MAD) z-score."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "env_robust_zscore",
    "category": "anomaly",
    "modality": "environmental",
    "difficulty": "easy",
    "methods": ["median", "MAD", "0.6745", "nanmedian"],
}

FUNCTION = "robust_outliers"
SPEC = """Target: Robust z-score outlier detection: z = 0.6745 * (x - median) / MAD with
MAD = median(|x - median|), both over the non-NaN readings; readings with |z| > threshold are
anomalies; NaN readings are never anomalies.

Input Specification:
- values (np.ndarray): sensor readings (e.g. humidity in %), float64, shape (n,), may hold NaN.
- threshold (float): robust z-score threshold, typically 3.5.

Output Specification:
- anomalies (np.ndarray): bool mask, True for anomalous readings, shape (n,).
"""


def robust_outliers(values: np.ndarray, threshold: float) -> np.ndarray:
    x = np.asarray(values, dtype=np.float64)
    med = np.nanmedian(x)
    mad = np.nanmedian(np.abs(x - med))
    with np.errstate(invalid="ignore", divide="ignore"):
        z = 0.6745 * (x - med) / mad
    return np.nan_to_num(np.abs(z), nan=0.0) > threshold


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(109)
    x = 45.0 + 2.0 * rng.standard_normal(3000)
    bad = np.array([10, 500, 1200, 2999])
    x[bad] = [80.0, 5.0, 70.0, 99.0]
    x[[50, 51, 52]] = np.nan
    out = fn(x.copy(), 3.5)
    assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
    assert out.shape == x.shape and out.dtype == bool, "return a bool mask with the input's shape"
    assert np.all(out[bad]), f"missed anomalies at {bad[~out[bad]].tolist()}"
    assert not np.any(out[[50, 51, 52]]), "NaN readings are not anomalies"
    assert int(out.sum()) - bad.size <= 6, f"{int(out.sum()) - bad.size} normal readings flagged"
    # a huge outlier must not mask the others (a mean/std z-score fails this)
    y = 20.0 + 0.5 * rng.standard_normal(200)
    y[5], y[100] = 1e6, 24.0
    out2 = np.asarray(fn(y, 3.5))
    assert bool(out2[5]) and bool(out2[100]), "use median and MAD, not mean and std"
