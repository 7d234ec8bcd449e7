"""Time-domain heart-rate-variability metrics from R-R intervals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "ecg_time_domain_hrv",
    "category": "hrv",
    "modality": "ecg",
    "difficulty": "medium",
    "methods": ["sdnn", "rmssd", "pnn50", "std", "diff"],
}

FUNCTION = "time_domain_hrv"
SPEC = """Target: Compute time-domain HRV metrics from R-R intervals given in seconds: mean R-R,
SDNN (sample standard deviation, ddof=1), RMSSD (root mean square of successive differences),
pNN50 (percentage of successive differences larger than 50 ms) and mean heart rate (60 / R-R,
averaged over beats). NaN intervals (rejected beats) are ignored.

Input Specification:
- rr_s (np.ndarray): R-R intervals in seconds, float64, shape (n_intervals,), may contain NaN.

Output Specification:
- metrics (dict): keys "mean_rr_ms", "sdnn_ms", "rmssd_ms" (milliseconds), "pnn50" (percent,
  0-100) and "mean_hr_bpm" (beats per minute), all float.
"""


def time_domain_hrv(rr_s: np.ndarray) -> dict[str, float]:
    rr = np.asarray(rr_s, dtype=np.float64)
    diffs = np.diff(rr) * 1000.0
    diffs = diffs[~np.isnan(diffs)]
    rr = rr[~np.isnan(rr)]
    return {
        "mean_rr_ms": float(np.mean(rr) * 1000.0),
        "sdnn_ms": float(np.std(rr, ddof=1) * 1000.0),
        "rmssd_ms": float(np.sqrt(np.mean(diffs**2))),
        "pnn50": float(100.0 * np.mean(np.abs(diffs) > 50.0)),
        "mean_hr_bpm": float(np.mean(60.0 / rr)),
    }


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(13)
    rr = 0.85 + 0.04 * np.sin(np.arange(300) / 4.0) + rng.normal(0, 0.03, 300)
    out = fn(rr.copy())
    assert isinstance(out, dict), f"expected dict, got {type(out).__name__}"
    keys = {"mean_rr_ms", "sdnn_ms", "rmssd_ms", "pnn50", "mean_hr_bpm"}
    assert keys <= set(out), f"missing keys {sorted(keys - set(out))}"
    d = np.diff(rr) * 1000
    expected = {
        "mean_rr_ms": rr.mean() * 1000,
        "sdnn_ms": rr.std(ddof=1) * 1000,
        "rmssd_ms": np.sqrt(np.mean(d**2)),
        "pnn50": 100 * np.mean(np.abs(d) > 50),
        "mean_hr_bpm": np.mean(60 / rr),
    }
    for k, v in expected.items():
        got = float(out[k])
        assert abs(got - v) <= 1e-3 * abs(v) + 1e-6, f"{k} = {got:.4f}, expected {v:.4f}"
    # NaN intervals are ignored (pairs that touch a NaN are dropped from the differences)
    rr_nan = rr.copy()
    rr_nan[[10, 150]] = np.nan
    out2 = fn(rr_nan)
    for k in keys:
        assert np.isfinite(float(out2[k])), f"{k} is not finite when the input holds NaN"
    valid = rr_nan[~np.isnan(rr_nan)]
    assert abs(float(out2["sdnn_ms"]) - valid.std(ddof=1) * 1000) < 1e-3 * valid.std() * 1000, (
        "sdnn_ms must ignore NaN intervals"
    )
    assert abs(float(out2["mean_hr_bpm"]) - np.mean(60 / valid)) < 0.01, "mean_hr_bpm ignores NaN"
